"""The titulaires of the buyer's markets (données essentielles) seen from the annex: which of them answered."""

"""The buyer's published contract data (données essentielles de la commande publique, DECP) and the titulaires
of its markets: reading DECP files (JSON 2.0.x and its XML form, JSON 1.x, consolidated files), matching them to
markets, and the record of each import (docs/formats.md, « Données essentielles (DECP) »)."""

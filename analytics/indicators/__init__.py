"""Indicator arithmetic of INDICATORS.md: pure functions or one SQL aggregation each."""

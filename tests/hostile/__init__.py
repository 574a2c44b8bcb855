"""Hostile-input battery (a package: its test_dates.py must not clash with tests/text/test_dates.py)."""

"""Snapshot support for users' test suites (filled in by the testing work)."""

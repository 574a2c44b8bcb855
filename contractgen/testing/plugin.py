"""pytest plugin entry point (fixtures are added by the testing work)."""

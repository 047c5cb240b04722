"""The `dikjamila` command line."""

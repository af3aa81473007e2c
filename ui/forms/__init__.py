"""One small form pattern every record form of the app is built from (issue 18)."""

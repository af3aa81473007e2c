"""The workstation settings dialog and its connection tests."""

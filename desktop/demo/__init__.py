"""The demo bottling plant: three years of records and its live condition data."""

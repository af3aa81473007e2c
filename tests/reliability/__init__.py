"""Reliability tests: crashes, backups, upgrades and bad input."""

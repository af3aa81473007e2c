"""People and the installation: users, notifications, backup and restore, settings, imports."""

"""The preventive-maintenance planning calendar of the desktop app."""

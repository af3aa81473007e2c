"""The Qt front end (PySide6): windows, panels, item models, dialogs."""

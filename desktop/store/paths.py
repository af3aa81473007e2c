"""Where Wrenchbook keeps its files, known without importing the database layer.

The desktop app needs its data folder (log, workstation settings) before its window shows, and
the window shows before SQLAlchemy is imported (about half a second of the start).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Wrenchbook"
DB_FILENAME = "wrenchbook.sqlite3"


def default_data_dir() -> Path:
    """`WRENCHBOOK_DATA_DIR`, else the platform's per-user data folder."""
    configured = os.environ.get("WRENCHBOOK_DATA_DIR")
    return Path(configured) if configured else Path(platformdirs.user_data_dir(APP_NAME, False))

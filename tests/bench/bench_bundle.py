"""The frozen bundle's unpacked size, as `installer/build.py` counts it, against its target.

Measures the bundle in `$WRENCHBOOK_BUNDLE`, else `dist/wrenchbook`; where there is none yet it
builds one there first (minutes of PyInstaller), so `run.py` with no name still reports it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from installer.build import folder_size
from tests.bench import Figure

BENCH = "bundle"
ROOT = Path(__file__).resolve().parents[2]
TARGET_MB = 250


def run() -> list[Figure]:
    bundle = Path(os.environ.get("WRENCHBOOK_BUNDLE", ROOT / "dist" / "wrenchbook"))
    if not bundle.is_dir():
        subprocess.run([sys.executable, str(ROOT / "installer" / "build.py")], cwd=ROOT, check=True)
    files = sum(1 for p in bundle.rglob("*") if p.is_file())  # as build.py counts them
    return [
        Figure(
            BENCH,
            f"frozen bundle unpacked ({files:,} files)",
            folder_size(bundle) / 1e6,
            "MB",
            target=f"<= {TARGET_MB} MB",
            limit_value=TARGET_MB,
        )
    ]

"""Builds the one-folder bundle: `python installer/build.py [--dist DIR] [--work DIR]`.

Prints the bundle folder and its unpacked size; the Windows workflow and the slow packaging
test both build through here, so there is one way to make a bundle.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "installer" / "wrenchbook.spec"
NAME = "wrenchbook"


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the Wrenchbook one-folder bundle.")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output (default dist/)")
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build", help="PyInstaller's work folder (build/)"
    )
    args = parser.parse_args(argv)
    began = time.perf_counter()
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level=WARN",
        f"--distpath={args.dist}",
        f"--workpath={args.work}",
        str(SPEC),
    ]
    done = subprocess.run(command, cwd=ROOT, check=False)
    if done.returncode != 0:
        print(f"PyInstaller failed (exit {done.returncode})", file=sys.stderr)
        return done.returncode
    bundle = args.dist.resolve() / NAME
    files = sum(1 for p in bundle.rglob("*") if p.is_file())
    print(f"bundle: {bundle}")
    print(f"size: {folder_size(bundle) / 1e6:.1f} MB unpacked in {files:,} files")
    print(f"built in {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

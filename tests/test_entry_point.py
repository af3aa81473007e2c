"""main.py: which command lines open the desktop app, and that it starts without the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import main
from desktop.cli import command_names

ROOT = Path(__file__).resolve().parents[1]


def test_the_written_out_subcommands_are_the_parsers() -> None:
    assert command_names() == main.SUBCOMMANDS


def test_options_alone_open_the_app_and_a_subcommand_or_help_does_not() -> None:
    assert main.wants_gui([])
    assert main.wants_gui(["--db", "sqlite:///x.sqlite3", "--no-plant"])
    assert not main.wants_gui(["--db", "sqlite:///x.sqlite3", "wo", "list"])
    assert not main.wants_gui(["--help"])


def test_deciding_to_open_the_app_imports_neither_the_cli_nor_the_data_layer() -> None:
    probe = (
        "import sys; sys.argv = ['main.py']; import main; main.wants_gui([]); "
        "print(sorted(m for m in ('desktop.cli', 'pandas', 'asyncua', 'sqlalchemy') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"

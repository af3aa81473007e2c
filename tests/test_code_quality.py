"""Lint, format, types (mypy) and the architecture contracts (the engine never imports Qt) run
with the suite."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    "command",
    [
        ("ruff", "check", "."),
        ("ruff", "format", "--check", "."),
        ("lint-imports",),
        # Files, strictness and the shrinking list of known errors: pyproject.toml [tool.mypy].
        ("mypy",),
    ],
    ids=["ruff-check", "ruff-format", "import-contracts", "mypy"],
)
def test_tool_passes(command):
    executable = shutil.which(command[0]) or str(Path(sys.executable).with_name(command[0]))
    done = _run(executable, *command[1:])
    assert done.returncode == 0, done.stdout + done.stderr


def test_engine_imports_without_qt():
    done = _run(
        sys.executable,
        "-c",
        "import sys, desktop.cli, desktop.services.orders.work_orders; "
        "assert not any(m.startswith(('PySide6', 'pyqtgraph')) for m in sys.modules)",
    )
    assert done.returncode == 0, done.stderr

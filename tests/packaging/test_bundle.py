"""`--self-test` from source and from the PyInstaller bundle, as the build machine runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STEPS = ("data folder", "database", "demo plant", "main window", "work-order sheet", "OPC UA")


def run(*command: str | Path, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def assert_every_step_passed(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for step in STEPS:
        assert any(line.startswith("ok") and f" {step} " in line for line in lines), done.stdout
    assert lines[-1].startswith("self-test passed in")


def test_self_test_passes_from_source():
    done = run(sys.executable, "main.py", "--self-test", timeout=300)
    assert_every_step_passed(done)
    assert "(from source," in done.stdout


def test_a_failing_step_exits_non_zero_and_names_the_step(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    unwritable = blocker / "data"
    done = run(sys.executable, "main.py", "--self-test", "--data-dir", unwritable, timeout=120)
    assert done.returncode == 1
    assert "FAIL  data folder" in done.stdout
    assert "self-test failed at step 'data folder'" in done.stderr
    assert not any(line.startswith("ok    database") for line in done.stdout.splitlines())


def test_a_self_test_refuses_a_folder_that_already_holds_data(tmp_path):
    (tmp_path / "wrenchbook.sqlite3").write_bytes(b"someone's work")
    done = run(sys.executable, "main.py", "--self-test", "--data-dir", tmp_path, timeout=120)
    assert done.returncode == 1
    assert "already holds a database" in done.stderr
    assert (tmp_path / "wrenchbook.sqlite3").read_bytes() == b"someone's work"


@pytest.mark.bundle  # minutes of PyInstaller: its own CI step (.ci/run)
def test_the_bundle_builds_and_passes_its_self_test(tmp_path):
    built = run(
        sys.executable,
        "installer/build.py",
        "--dist",
        tmp_path / "dist",
        "--work",
        tmp_path / "work",
        timeout=1800,
    )
    assert built.returncode == 0, built.stdout + built.stderr[-5000:]
    bundle = tmp_path / "dist" / "wrenchbook"
    assert f"bundle: {bundle}" in built.stdout
    print(built.stdout)  # the size and build time, for the CI log
    executable = bundle / ("wrenchbook.exe" if sys.platform == "win32" else "wrenchbook")
    done = run(executable, "--self-test", timeout=300)
    assert_every_step_passed(done)
    assert "(frozen bundle," in done.stdout
    fonts = bundle / "_internal" / "resources" / "fonts"
    if sys.platform != "win32":  # .ci/run installs fonts-droid-fallback; Windows names a file
        assert (fonts / "DroidSansFallbackFull.ttf").is_file()  # 日本 prints from the bundle
    version = (bundle / "_internal" / "VERSION").read_text(encoding="utf-8").strip()
    assert done.stdout.startswith(f"Wrenchbook {version} self-test")

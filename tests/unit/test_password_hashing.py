"""Passwords are hashed with argon2 at production cost; only the test suite makes it cheap."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desktop.services.admin.users import CHEAP_HASHING_ENV, _matches, hash_password

ROOT = Path(__file__).resolve().parents[2]
# argon2-cffi's defaults, RFC 9106's low-memory profile: 64 MiB, 3 passes, 4 lanes.
PRODUCTION_PREFIX = "$argon2id$v=19$m=65536,t=3,p=4$"


def test_the_app_hashes_at_production_cost_without_the_test_switch():
    env = {key: value for key, value in os.environ.items() if key != CHEAP_HASHING_ENV}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from desktop.services.admin.users import _matches, hash_password; "
            "h = hash_password('correct-horse-1'); "
            "print(h); print(_matches(h, 'correct-horse-1'), _matches(h, 'wrong-horse-1'))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    stored, verdicts = done.stdout.splitlines()
    assert stored.startswith(PRODUCTION_PREFIX)
    assert verdicts == "True False"


def test_the_suite_hashes_cheaply_and_its_hashes_still_check():
    stored = hash_password("correct-horse-1")
    assert stored.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert _matches(stored, "correct-horse-1")
    assert not _matches(stored, "wrong-horse-1")

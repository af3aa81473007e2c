"""Qt tests run offscreen, on a seeded database, as a logged-in planner unless told otherwise."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

from desktop.domain.permissions import Actor
from desktop.store.database import Database
from tests.conftest import FakeClock
from ui.context import AppContext


@pytest.fixture
def app_context(
    db: Database, actors: dict[str, Actor], tmp_path: Path, clock: FakeClock
) -> AppContext:
    """A context for panels under test, acting as the seeded planner ``paula``, on test time."""
    return AppContext(db=db, actor=actors["paula"], data_dir=tmp_path, clock=clock)

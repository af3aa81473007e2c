"""What every panel of the desktop app is built from: database, logged-in user, clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop.services.clock import Clock, utc_now

if TYPE_CHECKING:
    from pathlib import Path

    from desktop.domain.permissions import Actor
    from desktop.store.database import Database


@dataclass
class AppContext:
    """Handed to each panel's constructor: ``SomePanel(context, parent=None)``.

    Panels build their services from ``db`` and act as ``actor``; they never open sessions or
    build SQL of their own. The main window calls a panel's ``refresh()`` (if it has one) when
    another workstation or process changed the database, so every panel that shows stored data
    offers ``refresh(self) -> None``.
    """

    db: Database
    actor: Actor
    data_dir: Path
    clock: Clock = field(default=utc_now)

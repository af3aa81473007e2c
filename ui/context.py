"""What every panel of the desktop app is built from: database, logged-in user, clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from desktop.services.shared.clock import Clock, utc_now

if TYPE_CHECKING:
    from pathlib import Path

    from desktop.domain.permissions import Actor
    from desktop.services.orders.lockout import TagReader
    from desktop.store.database import Database
    from ui.services import Services


@dataclass
class AppContext:
    """Handed to each panel's constructor: ``SomePanel(context, parent=None)``.

    Panels take their services from ``services`` (built once, with this context's clock) and
    act as ``actor``; they never open sessions or build SQL of their own. The main window calls
    a panel's ``refresh()`` (if it has one) when another workstation or process changed the
    database, so every panel that shows stored data offers ``refresh(self) -> None``.
    """

    db: Database
    actor: Actor
    data_dir: Path
    clock: Clock = field(default=utc_now)
    read_tag: TagReader | None = None
    """Reads a plant tag live (lock-out verification); set once the plant link exists."""

    @cached_property
    def services(self) -> Services:
        from ui.services import Services  # the services' imports wait until a panel asks

        return Services(self)

"""The PM generator run by a second OS process in the concurrency tests."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from desktop.services.admin.users import UserService
from desktop.services.pm.pm_generator import PMGenerator
from desktop.store.database import Database

if TYPE_CHECKING:
    from multiprocessing.synchronize import Barrier


def run_generator(url: str, username: str, until: str, barrier: Barrier) -> list[str]:
    """Run the generator once after the barrier; the numbers of the orders this process made."""
    db = Database(url)
    try:
        generator = PMGenerator(db)
        actor = UserService(db).actor_for(username)
        barrier.wait()
        result = generator.run(actor, until=date.fromisoformat(until))
        return [o.number for o in result.created if o.number is not None]
    finally:
        db.dispose()

"""Reading the checklist templates a work order can be given."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from desktop.store.models import ChecklistTemplate, ChecklistTemplateItem

if TYPE_CHECKING:
    from desktop.store.database import Database


@dataclass(frozen=True)
class ChecklistTemplateRecord:
    code: str
    name: str
    asset_class: str | None
    safety: bool
    item_count: int


class ChecklistTemplateService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def list(self) -> list[ChecklistTemplateRecord]:
        """The active templates, ordered by code."""
        query = (
            select(
                ChecklistTemplate.code,
                ChecklistTemplate.name,
                ChecklistTemplate.asset_class,
                ChecklistTemplate.safety,
                func.count(ChecklistTemplateItem.id),
            )
            .outerjoin(
                ChecklistTemplateItem, ChecklistTemplateItem.template_id == ChecklistTemplate.id
            )
            .where(ChecklistTemplate.active.is_(True))
            .group_by(ChecklistTemplate.id)
            .order_by(ChecklistTemplate.code)
        )
        with self._db.unit_of_work(write=False) as session:
            return [ChecklistTemplateRecord(*row) for row in session.execute(query)]

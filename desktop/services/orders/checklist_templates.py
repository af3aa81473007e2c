"""Checklist templates: checks, measurements with unit and limits, texts, signatures."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from desktop.domain.enums import ChecklistItemKind
from desktop.domain.errors import NotFound, ValidationFailed
from desktop.domain.permissions import Action, Actor, require
from desktop.domain.phrases import Phrase
from desktop.services.shared import audit, revisions
from desktop.services.shared.clock import Clock, utc_now
from desktop.store.models import ChecklistTemplate, ChecklistTemplateItem

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session

    from desktop.store.database import Database


@dataclass(frozen=True)
class TemplateItem:
    kind: ChecklistItemKind
    text: str
    unit: str | None = None
    low: float | None = None
    high: float | None = None
    required: bool = True


@dataclass(frozen=True)
class NewTemplate:
    """A checklist; `safety` marks lock-out/tag-out lists that must be answered in full."""

    code: str
    name: str
    items: tuple[TemplateItem, ...]
    asset_class: str | None = None
    safety: bool = False


@dataclass(frozen=True)
class TemplateView:
    code: str
    name: str
    asset_class: str | None
    safety: bool
    active: bool
    items: tuple[TemplateItem, ...] = field(default=())


@dataclass(frozen=True)
class ChecklistTemplateRecord:
    """One line of the template picker: enough to choose, without loading the items."""

    code: str
    name: str
    asset_class: str | None
    safety: bool
    item_count: int


def template_problems(new: NewTemplate) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not new.code.strip() or len(new.code) > 32 or any(c.isspace() for c in new.code):
        problems["code"] = "1-32 characters without spaces"
    if not new.name.strip():
        problems["name"] = "required"
    if not new.items:
        problems["items"] = "a checklist needs at least one item"
    for n, item in enumerate(new.items, start=1):
        key = f"item {n}"
        if not item.text.strip() or len(item.text) > 300:
            problems[key] = "needs a text of at most 300 characters"
        elif item.kind is ChecklistItemKind.MEASUREMENT:
            if not item.unit:
                problems[key] = Phrase('"{text}" is a measurement: give its unit', text=item.text)
            elif item.low is None and item.high is None:
                problems[key] = Phrase(
                    '"{text}" is a measurement: give a low or high limit', text=item.text
                )
            elif item.low is not None and item.high is not None and item.low > item.high:
                problems[key] = Phrase(
                    '"{text}": the low limit is above the high limit', text=item.text
                )
        elif item.unit or item.low is not None or item.high is not None:
            problems[key] = Phrase(
                '"{text}": only measurements have a unit and limits', text=item.text
            )
    return problems


def _items(items: Sequence[TemplateItem]) -> list[ChecklistTemplateItem]:
    return [
        ChecklistTemplateItem(
            position=n, kind=i.kind, text=i.text.strip(), unit=i.unit, low=i.low, high=i.high,
            required=i.required,
        )
        for n, i in enumerate(items, start=1)
    ]  # fmt: skip


def _json(view: TemplateView) -> dict[str, object]:
    return {
        "name": view.name,
        "asset_class": view.asset_class,
        "safety": view.safety,
        "items": [[i.kind.value, i.text, i.unit, i.low, i.high, i.required] for i in view.items],
    }


def _view(template: ChecklistTemplate) -> TemplateView:
    return TemplateView(
        template.code,
        template.name,
        template.asset_class,
        template.safety,
        template.active,
        tuple(
            TemplateItem(i.kind, i.text, i.unit, i.low, i.high, i.required) for i in template.items
        ),
    )


class ChecklistTemplateService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock

    def create(self, actor: Actor, new: NewTemplate) -> TemplateView:
        return self.create_many(actor, [new])[0]

    def create_many(self, actor: Actor, templates: Sequence[NewTemplate]) -> list[TemplateView]:
        """Add templates all or nothing; problems are named per template code."""
        require(actor, Action.MANAGE_CHECKLISTS)
        problems: dict[str, str] = {}
        codes = [t.code for t in templates]
        for new in templates:
            problems |= {f"{new.code}: {k}": v for k, v in template_problems(new).items()}
        if len(set(codes)) != len(codes):
            problems["code"] = "a code appears twice in the import"
        with self._db.unit_of_work() as session:
            existing = session.execute(
                select(ChecklistTemplate.code).where(ChecklistTemplate.code.in_(codes))
            ).scalars()
            for code in existing:
                problems[f"{code}: code"] = Phrase("a checklist {code} exists already", code=code)
            if problems:
                raise ValidationFailed(problems)
            views = []
            for new in templates:
                template = ChecklistTemplate(
                    code=new.code,
                    name=new.name.strip(),
                    asset_class=new.asset_class,
                    safety=new.safety,
                    active=True,
                    items=[
                        ChecklistTemplateItem(
                            position=n, kind=i.kind, text=i.text.strip(), unit=i.unit, low=i.low,
                            high=i.high, required=i.required,
                        )
                        for n, i in enumerate(new.items, start=1)
                    ],
                )  # fmt: skip
                session.add(template)
                session.flush()
                view = _view(template)
                after = {
                    "name": view.name,
                    "safety": view.safety,
                    "items": [[i.kind.value, i.text, i.unit, i.low, i.high] for i in view.items],
                }
                audit.record(
                    session, actor, "create", "checklist", new.code, None, after, self._clock()
                )
                views.append(view)
            return views

    def revisions(self) -> dict[str, int]:
        """Each template's revision, for the template form's stale-save check."""
        with self._db.unit_of_work(write=False) as session:
            codes = session.execute(select(ChecklistTemplate.code)).scalars().all()
            return revisions.revisions(session, "checklist", codes)

    def update(self, actor: Actor, code: str, revision: int, new: NewTemplate) -> TemplateView:
        """Save the template's name, class, safety flag and its ordered items.

        Orders already raised keep the items they copied; only new orders get the change.
        """
        require(actor, Action.MANAGE_CHECKLISTS)
        problems = template_problems(replace(new, code=code))
        if problems:
            raise ValidationFailed(problems)
        with self._db.unit_of_work() as session:
            template = self._locked(session, code)
            revisions.check(session, "checklist", code, revision, code)
            before = _json(_view(template))
            template.name = new.name.strip()
            template.asset_class = (new.asset_class or "").strip() or None
            template.safety = new.safety
            template.items.clear()
            session.flush()
            template.items.extend(_items(new.items))
            session.flush()
            view = _view(template)
            audit.record(
                session, actor, "update", "checklist", code, before, _json(view), self._clock()
            )
            return view

    def set_active(self, actor: Actor, code: str, revision: int, active: bool) -> None:
        """A retired template is offered for no new order or PM schedule; its orders keep it."""
        require(actor, Action.MANAGE_CHECKLISTS)
        with self._db.unit_of_work() as session:
            template = self._locked(session, code)
            revisions.check(session, "checklist", code, revision, code)
            before = {"active": template.active}
            template.active = active
            verb = "reactivate" if active else "retire"
            now = self._clock()
            audit.record(session, actor, verb, "checklist", code, before, {"active": active}, now)

    @staticmethod
    def _locked(session: Session, code: str) -> ChecklistTemplate:
        template = session.execute(
            select(ChecklistTemplate)
            .where(ChecklistTemplate.code == code)
            .options(selectinload(ChecklistTemplate.items))
            .with_for_update()
        ).scalar_one_or_none()
        if template is None:
            raise NotFound(Phrase("no checklist template {code}", code=code))
        return template

    def templates(self) -> list[TemplateView]:
        with self._db.unit_of_work(write=False) as session:
            rows = session.execute(
                select(ChecklistTemplate)
                .options(selectinload(ChecklistTemplate.items))
                .order_by(ChecklistTemplate.code)
            ).scalars()
            return [_view(t) for t in rows]

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

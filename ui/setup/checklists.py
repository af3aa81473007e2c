"""Checklist templates: ordered steps (checks, measurements with limits, texts, sign-offs),
the safety flag for lock-out lists, retire and reactivate."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TR_NOOP

from desktop.domain.enums import ChecklistItemKind
from desktop.domain.errors import ValidationFailed
from desktop.domain.permissions import ALLOWED_ROLES, Action
from desktop.services.orders.checklist_templates import (
    NewTemplate,
    TemplateItem,
    TemplateView,
)
from ui.forms import fields as f
from ui.forms.record_page import RecordAction, RecordKind
from ui.forms.steps_editor import StepRow, steps
from ui.i18n import say, tr
from ui.inventory.models import Column

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ui.context import AppContext


def _limit(text: str, step: int, which: str) -> float | None:
    if not text:
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ValidationFailed(
            {
                "items": tr("step {step}: the {which} limit must be a number").format(
                    step=step, which=tr(which)
                )
            }
        )
    return value


def items_of(rows: Sequence[StepRow]) -> tuple[TemplateItem, ...]:
    return tuple(
        TemplateItem(
            row.kind,
            row.text,
            row.unit or None,
            _limit(row.low, n, "low"),
            _limit(row.high, n, "high"),
            row.required,
        )
        for n, row in enumerate(rows, start=1)
    )


def rows_of(items: Sequence[TemplateItem]) -> tuple[StepRow, ...]:
    def shown(value: float | None) -> str:
        return "" if value is None else f"{value:g}"

    return tuple(
        StepRow(i.kind, i.text, i.unit or "", shown(i.low), shown(i.high), i.required)
        for i in items
    )


def _step_problems(problems: dict[str, str]) -> dict[str, str]:
    """The service names a bad step "item 3"; the form shows all of them under the steps."""
    steps_ = [
        tr("step {number}: {problem}").format(number=k.split()[1], problem=say(v))
        for k, v in problems.items()
        if k.startswith("item ")
    ]
    rest = {k: v for k, v in problems.items() if not k.startswith("item ")}
    if steps_:
        rest["items"] = "; ".join(filter(None, [say(rest.get("items", "")), *steps_]))
    return rest


class ChecklistKind(RecordKind[TemplateView]):
    title = QT_TR_NOOP("Checklists")
    singular = QT_TR_NOOP("checklist")
    plural = QT_TR_NOOP("checklists")
    columns = (
        Column(QT_TR_NOOP("Code"), lambda t: t.code),
        Column(QT_TR_NOOP("Name"), lambda t: t.name),
        Column(QT_TR_NOOP("Class"), lambda t: t.asset_class or ""),
        Column(QT_TR_NOOP("Steps"), lambda t: len(t.items), True),
        Column(QT_TR_NOOP("Safety"), lambda t: tr("lock-out") if t.safety else ""),
        Column(QT_TR_NOOP("State"), lambda t: tr("active") if t.active else tr("retired")),
    )

    def __init__(self, context: AppContext) -> None:
        self._context = context
        self._service = context.services.checklist_templates
        self._revisions: dict[str, int] = {}
        self.fields = (
            f.text("code", tr("&Code"), max_length=32, new_only=True),
            f.text("name", tr("&Name")),
            f.optional_text(
                "asset_class",
                tr("Asset &class"),
                max_length=64,
                placeholder=tr("offered first for assets of this class"),
            ),
            f.check(
                "safety",
                "",
                tr(
                    "&Safety checklist (lock-out/tag-out): every step must be "
                    "answered before the work completes"
                ),
            ),
            steps(
                "items",
                tr("S&teps"),
                hint=tr(
                    "In the order the technician works; a measurement needs a unit and a "
                    "low or high limit; a sign-off is a signature line on the sheet"
                ),
            ),
        )
        self.actions = (
            RecordAction(
                tr("&Retire…"),
                "retire",
                lambda t, _v: self._active(t, False),
                question=lambda t: tr(
                    "{code} is offered for no new order or PM schedule; orders that have it keep "
                    "it."
                ).format(code=t.code),
                enabled=lambda t: t.active,
            ),
            RecordAction(
                tr("Re&activate"),
                "reactivate",
                lambda t, _v: self._active(t, True),
                question=lambda t: tr("Offer {code} again?").format(code=t.code),
                enabled=lambda t: not t.active,
            ),
        )

    def rows(self) -> list[TemplateView]:
        self._revisions = self._service.revisions()
        return self._service.templates()

    def key(self, row: TemplateView) -> str:
        return row.code

    def revision(self, row: TemplateView) -> int:
        return self._revisions.get(row.code, 0)

    def describe(self, row: TemplateView) -> str:
        safety = "  ·  " + tr("safety") if row.safety else ""
        state = "" if row.active else "  ·  " + tr("retired")
        return f"{row.code} — {row.name}{safety}{state}"

    def may_edit(self) -> bool:
        return self._context.actor.role in ALLOWED_ROLES[Action.MANAGE_CHECKLISTS]

    def values(self, row: TemplateView) -> dict[str, Any]:
        return {
            "code": row.code,
            "name": row.name,
            "asset_class": row.asset_class,
            "safety": row.safety,
            "items": rows_of(row.items),
        }

    def blank(self) -> dict[str, Any]:
        return {
            "items": (
                StepRow(ChecklistItemKind.CHECK, "", "", "", "", True),
                StepRow(ChecklistItemKind.SIGNATURE, "technician sign-off", "", "", "", True),
            )
        }

    def _template(self, values: dict[str, Any]) -> NewTemplate:
        return NewTemplate(
            values["code"].strip(),
            values["name"],
            items_of(values["items"]),
            values["asset_class"],
            values["safety"],
        )

    def create(self, values: dict[str, Any]) -> str:
        try:
            new = self._template(values)
            return self._service.create(self._context.actor, new).code
        except ValidationFailed as exc:
            # Several templates at once name their problems "CODE: field".
            prefix = f"{values['code'].strip()}: "
            problems = {k.removeprefix(prefix): v for k, v in exc.problems.items()}
            raise ValidationFailed(_step_problems(problems)) from None

    def save(self, row: TemplateView, revision: int, values: dict[str, Any]) -> None:
        try:
            new = self._template(values | {"code": row.code})
            self._service.update(self._context.actor, row.code, revision, new)
        except ValidationFailed as exc:
            raise ValidationFailed(_step_problems(exc.problems)) from None

    def _active(self, row: TemplateView, active: bool) -> str:
        self._service.set_active(self._context.actor, row.code, self.revision(row), active)
        if active:
            return tr("{code} is offered again.").format(code=row.code)
        return tr("{code} is retired.").format(code=row.code)

"""The site calendar: working days, shifts, the public-holiday region, and shutdowns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TR_NOOP

from desktop.domain.permissions import ALLOWED_ROLES, Action
from desktop.services.assets.site_calendar import CalendarRecord, CalendarSettings
from ui.forms import fields as f
from ui.forms.record_page import RecordAction, RecordKind
from ui.i18n import show_date, tr
from ui.inventory.models import Column

if TYPE_CHECKING:
    from ui.context import AppContext


def _closures(record: CalendarRecord) -> str:
    return "\n".join(
        f"{c.first_day.isoformat()} – {c.last_day.isoformat()}  {c.name}" for c in record.closures
    )


class CalendarKind(RecordKind[CalendarRecord]):
    """One record: the site's calendar (a database serves one site)."""

    title = QT_TR_NOOP("Site calendar")
    singular = QT_TR_NOOP("site calendar")
    plural = QT_TR_NOOP("site calendar")
    can_create = False
    columns = (
        Column(QT_TR_NOOP("Site"), lambda c: c.site_code),
        Column(QT_TR_NOOP("Time zone"), lambda c: c.timezone),
        Column(QT_TR_NOOP("Working days"), lambda c: c.settings.working_days),
        Column(QT_TR_NOOP("Shifts"), lambda c: c.settings.shifts),
        Column(QT_TR_NOOP("Shutdowns"), lambda c: len(c.closures), True),
    )

    def __init__(self, context: AppContext) -> None:
        self._context = context
        self._service = context.services.site_calendar
        self.fields = (
            f.text(
                "timezone",
                tr("Time &zone"),
                read_only=True,
                hint=tr("Set when the site was created; dates print in it"),
            ),
            f.text("working_days", tr("&Working days"), max_length=64, placeholder=tr("mon-fri")),
            f.text("shifts", tr("&Shifts"), max_length=200, placeholder="06:00-14:00,14:00-22:00"),
            f.optional_text(
                "country", tr("Holidays of &country"), max_length=2, placeholder=tr("DE, PL, TR…")
            ),
            f.optional_text(
                "subdivision", tr("… and &region"), max_length=8, placeholder=tr("BY, NW…")
            ),
            f.multiline("closures", tr("Shutdowns"), height=140, read_only=True),
        )
        self.actions = (
            RecordAction(
                tr("Add &shutdown…"),
                "add_shutdown",
                lambda c, v: self._add(v),
                (
                    f.day("first_day", tr("&From"), optional=False),
                    f.day("last_day", tr("&To"), optional=False),
                    f.text("name", tr("&Name"), placeholder=tr("summer shutdown, works holiday…")),
                ),
                question=lambda _c: tr(
                    "No working days from the first to the last day: "
                    "preventive work is planned around them."
                ),
                values=lambda _c: {
                    "first_day": context.clock().date(),
                    "last_day": context.clock().date(),
                },
            ),
            RecordAction(
                tr("&Remove shutdown…"),
                "remove_shutdown",
                lambda c, v: self._remove(c, v),
                lambda c: (
                    f.choice(
                        "closure",
                        tr("&Shutdown"),
                        [(i, line) for i, line in enumerate(_closures(c).splitlines())],
                    ),
                ),
                enabled=lambda c: bool(c.closures),
            ),
        )

    def rows(self) -> list[CalendarRecord]:
        return [self._service.record()]

    def key(self, row: CalendarRecord) -> str:
        return row.site_code

    def revision(self, row: CalendarRecord) -> int:
        return row.revision

    def describe(self, row: CalendarRecord) -> str:
        return tr("Working calendar of {site} ({zone})").format(
            site=row.site_code, zone=row.timezone
        )

    def may_edit(self) -> bool:
        return self._context.actor.role in ALLOWED_ROLES[Action.MANAGE_PM]

    def values(self, row: CalendarRecord) -> dict[str, Any]:
        return {
            "timezone": row.timezone,
            "working_days": row.settings.working_days,
            "shifts": row.settings.shifts,
            "country": row.settings.country,
            "subdivision": row.settings.subdivision,
            "closures": _closures(row) or "none planned",
        }

    def save(self, row: CalendarRecord, revision: int, values: dict[str, Any]) -> None:
        settings = CalendarSettings(
            values["working_days"], values["shifts"], values["country"], values["subdivision"]
        )
        self._service.configure(self._context.actor, settings, revision)

    def _add(self, values: dict[str, Any]) -> str:
        closure = self._service.add_closure(
            self._context.actor, values["first_day"], values["last_day"], values["name"]
        )
        return tr("Shutdown {name} from {first} to {last} added.").format(
            name=closure.name, first=show_date(closure.first_day), last=show_date(closure.last_day)
        )

    def _remove(self, row: CalendarRecord, values: dict[str, Any]) -> str:
        closure = row.closures[values["closure"]]
        self._service.remove_closure(self._context.actor, closure.first_day, closure.name)
        return tr("Shutdown {name} removed.").format(name=closure.name)

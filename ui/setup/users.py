"""Users: create, change role, craft, rate and hours, reset a password or PIN, unlock,
deactivate a leaver and take them back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TR_NOOP

from desktop.domain.enums import Role
from desktop.domain.errors import ValidationFailed
from desktop.domain.permissions import ALLOWED_ROLES, Action
from desktop.services.admin.users import NewUser, UserAccount, UserChanges
from ui.forms import fields as f
from ui.forms.record_page import RecordAction, RecordKind
from ui.i18n import show_number, tr
from ui.inventory.models import Column
from ui.words import word
from ui.work_orders.form_widgets import show_time

if TYPE_CHECKING:
    from ui.context import AppContext

ROLE_TEXT = {
    Role.VIEWER: QT_TR_NOOP("Viewer (control-room display)"),
    Role.TECHNICIAN: QT_TR_NOOP("Technician"),
    Role.PLANNER: QT_TR_NOOP("Planner"),
    Role.SUPERVISOR: QT_TR_NOOP("Supervisor"),
    Role.ADMIN: QT_TR_NOOP("Administrator"),
}


def _state(account: UserAccount, now: Any) -> str:
    if not account.record.active:
        since = show_time(account.deactivated_at) if account.deactivated_at else ""
        return tr("deactivated {since}").format(since=since).strip()
    if account.locked_until is not None and account.locked_until > now:
        return tr("locked until {when}").format(when=show_time(account.locked_until))
    return tr("active")


def _repeated(values: dict[str, Any], name: str, repeat: str) -> str:
    if values[name] != values[repeat]:
        raise ValidationFailed({repeat: tr("does not match")})
    return str(values[name])


class UserKind(RecordKind[UserAccount]):
    title = QT_TR_NOOP("Users")
    singular = QT_TR_NOOP("user")
    plural = QT_TR_NOOP("users")

    def __init__(self, context: AppContext) -> None:
        self._context = context
        self._service = context.services.users
        now = context.clock
        self.columns = (
            Column(QT_TR_NOOP("User"), lambda a: a.username),
            Column(QT_TR_NOOP("Name"), lambda a: a.record.full_name),
            Column(QT_TR_NOOP("Role"), lambda a: word(a.record.role.value)),
            Column(QT_TR_NOOP("Craft"), lambda a: a.record.craft or ""),
            Column(QT_TR_NOOP("Rate"), lambda a: show_number(a.record.hourly_rate), True),
            Column(QT_TR_NOOP("h/week"), lambda a: show_number(a.record.weekly_hours, 1), True),
            Column(QT_TR_NOOP("State"), lambda a: _state(a, now())),
        )
        self.fields = (
            f.text(
                "username",
                tr("User &name"),
                max_length=64,
                new_only=True,
                hint=tr("What the person types to log in; it cannot change later"),
            ),
            f.text("full_name", tr("&Full name")),
            f.choice("role", tr("&Role"), list(ROLE_TEXT.items())),
            f.optional_text(
                "craft",
                tr("&Craft"),
                max_length=64,
                placeholder=tr("mechanical, electrical, instrumentation…"),
            ),
            f.number(
                "hourly_rate",
                tr("Hourly &rate"),
                maximum=10_000,
                step=1.0,
                hint=tr("Labour cost per hour, charged to the orders the person works on"),
            ),
            f.number(
                "weekly_hours",
                tr("Hours per &week"),
                maximum=80,
                decimals=1,
                suffix=" h",
                hint=tr("Capacity on the planning calendar"),
            ),
            f.password(
                "password",
                tr("&Password"),
                new_only=True,
                placeholder=tr("new users only; Reset password changes it later"),
            ),
            f.password("repeat", tr("Repeat pass&word"), new_only=True),
        )
        secret = (f.password("password", tr("New &password")), f.password("repeat", tr("&Repeat")))
        pin = (
            f.password("pin", tr("New &PIN"), placeholder=tr("4 to 8 digits")),
            f.password("repeat", tr("&Repeat")),
            f.check("remove", "", tr("Remove the PIN (no control-room sign-off)")),
        )
        self.actions = (
            RecordAction(
                tr("Reset pass&word…"),
                "reset_password",
                lambda a, v: self._set_password(a, v),
                secret,
                question=lambda a: tr(
                    "A new password for {username}; tell it to them in person."
                ).format(username=a.username),
            ),
            RecordAction(
                tr("Set P&IN…"),
                "set_pin",
                lambda a, v: self._set_pin(a, v),
                pin,
                question=lambda a: tr(
                    "The operator PIN {username} signs with at the control-room display and the "
                    "kiosk."
                ).format(username=a.username),
            ),
            RecordAction(
                tr("&Unlock"),
                "unlock",
                lambda a, _v: self._unlock(a),
                question=lambda a: tr("Let {username} log in again now?").format(
                    username=a.username
                ),
                enabled=lambda a: a.locked_until is not None and a.locked_until > now(),
            ),
            RecordAction(
                tr("&Deactivate…"),
                "deactivate",
                lambda a, _v: self._set_active(a, False),
                question=lambda a: tr(
                    "{username} ({full_name}) will no longer be able to log in or sign with a "
                    "PIN. Their work history stays. Deactivate?"
                ).format(username=a.username, full_name=a.record.full_name),
                enabled=lambda a: a.record.active,
            ),
            RecordAction(
                tr("Re&activate"),
                "reactivate",
                lambda a, _v: self._set_active(a, True),
                question=lambda a: tr("Let {username} log in again?").format(username=a.username),
                enabled=lambda a: not a.record.active,
            ),
        )

    def rows(self) -> list[UserAccount]:
        return self._service.accounts()

    def key(self, row: UserAccount) -> str:
        return row.username

    def revision(self, row: UserAccount) -> int:
        return row.revision

    def describe(self, row: UserAccount) -> str:
        return f"{row.username} — {row.record.full_name}  ·  {_state(row, self._context.clock())}"

    def values(self, row: UserAccount) -> dict[str, Any]:
        record = row.record
        return {
            "username": record.username,
            "full_name": record.full_name,
            "role": record.role,
            "craft": record.craft,
            "hourly_rate": record.hourly_rate,
            "weekly_hours": record.weekly_hours,
        }

    def blank(self) -> dict[str, Any]:
        return {"role": Role.TECHNICIAN, "weekly_hours": 40.0}

    def may_edit(self) -> bool:
        return self._context.actor.role in ALLOWED_ROLES[Action.MANAGE_USERS]

    def create(self, values: dict[str, Any]) -> str:
        password = _repeated(values, "password", "repeat")
        new = NewUser(
            values["username"],
            values["full_name"],
            values["role"],
            password,
            values["craft"],
            values["hourly_rate"],
            values["weekly_hours"],
        )
        return self._service.create(self._context.actor, new).username

    def save(self, row: UserAccount, revision: int, values: dict[str, Any]) -> None:
        changes = UserChanges(
            values["full_name"],
            values["role"],
            values["craft"],
            values["hourly_rate"],
            values["weekly_hours"],
        )
        self._service.update(self._context.actor, row.username, revision, changes)

    def _set_password(self, row: UserAccount, values: dict[str, Any]) -> str:
        password = _repeated(values, "password", "repeat")
        self._service.set_password(self._context.actor, row.username, password)
        return tr("New password set for {user}; the lock-out, if any, is lifted.").format(
            user=row.username
        )

    def _set_pin(self, row: UserAccount, values: dict[str, Any]) -> str:
        if values["remove"]:
            self._service.set_pin(self._context.actor, row.username, None)
            return tr("{user} has no PIN now.").format(user=row.username)
        self._service.set_pin(self._context.actor, row.username, _repeated(values, "pin", "repeat"))
        return tr("New PIN set for {user}.").format(user=row.username)

    def _unlock(self, row: UserAccount) -> str:
        self._service.unlock(self._context.actor, row.username)
        return tr("{user} may log in again.").format(user=row.username)

    def _set_active(self, row: UserAccount, active: bool) -> str:
        still = self._service.set_active(self._context.actor, row.username, row.revision, active)
        if active:
            return tr("{user} is active again and may log in.").format(user=row.username)
        text = tr("{user} is deactivated and can no longer log in.").format(user=row.username)
        if still:
            text += tr(" Still assigned to open work, re-plan it: {orders}.").format(
                orders=", ".join(still)
            )
        return text

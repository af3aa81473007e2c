"""The Lock-out tab: the order's isolation steps, each lock applied, verified and removed by a
named person with their own password or PIN, and the safety alarm when a machine re-energised
behind a lock.

A lock is personal, so every step asks who does it and their secret, whoever is logged in at
this workstation. Verifying zero energy reads the point's tag live from the plant (seconds on
a slow network): it runs in the background and a running machine is refused with its reading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.permissions import Action
from desktop.services.orders.lockout import IsolationView, Signer
from ui.background import Background, Failure
from ui.i18n import show_amount, tr
from ui.work_orders.editor_host import fill_table, read_only_table
from ui.work_orders.form_widgets import FieldErrors, show_time

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.services.orders.work_order_records import WorkOrderDetail
    from ui.background import Pool
    from ui.work_orders.editor_host import EditorHost

COLUMNS = ["#", QT_TR_NOOP("Energy source"), QT_TR_NOOP("Device at lock point"),
           QT_TR_NOOP("Proven by"), QT_TR_NOOP("Lock"), QT_TR_NOOP("Zero energy"),
           QT_TR_NOOP("Removed")]  # fmt: skip


def _lock(step: IsolationView) -> str:
    if step.applied_at is None:
        return tr("not locked")
    return f"{step.lock_number} · {step.applied_by} · {show_time(step.applied_at)}"


def _verified(step: IsolationView) -> str:
    if step.verified_at is None:
        return ""
    reading = (
        tr(" (read {value})").format(value=f"{show_amount(step.verified_reading)}")
        if step.verified_reading is not None
        else ""
    )
    return f"{step.verified_by}{reading} · {show_time(step.verified_at)}"


def _removed(step: IsolationView) -> str:
    if step.removed_at is None:
        return ""
    return f"{step.removed_by} · {show_time(step.removed_at)}"


def _alarm(step: IsolationView) -> str:
    """The safety alarm in the workstation's language, its time on the site's clock."""
    assert step.reenergised_at is not None
    assert step.reenergised_reading is not None
    where = (
        tr("still locked out at {point}")
        if step.removed_at is None
        else tr("while it was locked out at {point}")
    ).format(point=step.lock_point)
    return tr(
        "SAFETY ALARM: {tag} read {reading} (zero is at most {zero}) at {at}, {where}"
    ).format(
        tag=step.tag_name,
        reading=show_amount(step.reenergised_reading),
        zero=show_amount(step.zero_max),
        at=show_time(step.reenergised_at),
        where=where,
    )


def _acknowledgement(step: IsolationView) -> str:
    """Who acknowledged the safety alarm on the control-room display, or that nobody has."""
    if step.acknowledged_at is None:
        return tr("not acknowledged yet (the control-room display asks for it)")
    return tr("acknowledged by {0} with their {1} · {2}").format(
        step.acknowledged_by, step.acknowledged_with, show_time(step.acknowledged_at)
    )


class LockoutTab(QWidget):
    def __init__(
        self, host: EditorHost, parent: QWidget | None = None, pool: Pool | None = None
    ) -> None:
        super().__init__(parent)
        self._host = host
        self._background = Background(self, pool)
        self.steps: list[IsolationView] = []
        self.errors = FieldErrors()
        self.alarm = QLabel()
        self.alarm.setObjectName("fieldError")
        self.alarm.setWordWrap(True)
        self.alarm.hide()
        self.table = read_only_table([tr(c) for c in COLUMNS], stretch=2)
        self.table.setObjectName("isolation_table")
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.who = QLineEdit()
        self.who.setObjectName("lock_who")
        self.secret = QLineEdit()
        self.secret.setObjectName("lock_secret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.lock_number = QLineEdit()
        self.lock_number.setObjectName("lock_number")
        self.lock_number.setPlaceholderText(tr("the number on the padlock"))
        form = QFormLayout()
        form.addRow(tr("Who (their own lock)"), self.who)
        form.addRow(tr("Their password or PIN"), self.errors.wrap("secret", self.secret))
        form.addRow(tr("Lock number"), self.errors.wrap("lock_number", self.lock_number))
        self.apply_button = QPushButton(tr("&Apply lock"))
        self.verify_button = QPushButton(tr("&Verify zero energy"))
        self.remove_button = QPushButton(tr("&Remove lock"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for button, slot in (
            (self.apply_button, self._on_apply_clicked),
            (self.verify_button, self._on_verify_clicked),
            (self.remove_button, self._on_remove_clicked),
        ):
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.alarm)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.errors.wrap("isolation", QLabel(tr("Select a step, then:"))))
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self._editable = False

    def load(self, detail: WorkOrderDetail, editable: bool) -> None:
        self._editable = editable and self._host.may(Action.LOG_WORK)
        if not self.who.text():
            self.who.setText(self._host.actor.username)
        self.show_steps(self._host.context.services.lockout.isolations(detail.row.number))

    def show_steps(self, steps: list[IsolationView]) -> None:
        self.steps = steps
        fill_table(
            self.table,
            [
                [str(s.position), s.energy_source,
                 tr("{device} at {point}").format(device=s.device, point=s.lock_point),
                 f"{s.tag_name} ≤ {show_amount(s.zero_max)}" if s.tag_name else "",
                 _lock(s), _verified(s),
                 _removed(s)]
                for s in steps
            ],
        )  # fmt: skip
        alarms = [f"{_alarm(s)}; {_acknowledgement(s)}" for s in steps if s.safety_alarm]
        self.alarm.setText("\n".join(f"⚠ {text}" for text in alarms))
        self.alarm.setVisible(bool(alarms))
        if steps and not self.table.selectedItems():
            self.table.selectRow(next((i for i, s in enumerate(steps) if s.removed_at is None), 0))
        self._update_buttons()

    def selected(self) -> IsolationView | None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        return self.steps[min(rows)] if rows and min(rows) < len(self.steps) else None

    def apply_lock(self) -> None:
        step, lock_number = self.selected(), self.lock_number.text().strip()
        if step is not None:
            self._do(
                tr("Isolation {position} applied by {who}."),
                lambda lockout, signer: lockout.apply(
                    self._host.actor, self._host.number, step.position, lock_number, signer
                ),
            )

    def verify(self) -> None:
        step = self.selected()
        if step is not None:
            self._do(
                tr("Isolation {position} verified by {who}."),
                lambda lockout, signer: lockout.verify(
                    self._host.actor, self._host.number, step.position, signer
                ),
            )

    def remove_lock(self) -> None:
        step = self.selected()
        if step is not None:
            self._do(
                tr("Isolation {position} removed by {who}."),
                lambda lockout, signer: lockout.remove(
                    self._host.actor, self._host.number, step.position, signer
                ),
            )

    def _do(self, done: str, step: Callable[..., IsolationView]) -> None:
        """One step in the background (a verification may read the plant live).

        `done` is the translated message shown after it, with {position} and {who} to fill.
        """
        self.errors.clear()
        secret = self.secret.text()
        signer = Signer(self.who.text().strip(), secret, pin=secret.isdigit())
        lockout = self._host.context.services.lockout
        self.status.setText(tr("Working…"))
        self._set_busy(True)

        def finished(view: IsolationView) -> None:
            self._set_busy(False)
            self.secret.clear()
            self.lock_number.clear()
            self.status.setText(done.format(position=view.position, who=signer.username))
            self._host.after_action(versioned=False)

        def failed(failure: Failure) -> None:
            self._set_busy(False)
            self.secret.clear()
            problems = getattr(failure.error, "problems", None)
            if isinstance(problems, dict):
                rest = self.errors.show(problems)
                self.status.setText("; ".join(rest.values()) if rest else tr("Not done."))
            else:
                self.status.setText(tr("Not done: {reason}").format(reason=failure.message))

        self._background.run(lambda: step(lockout, signer), finished, failed)

    def _set_busy(self, busy: bool) -> None:
        for button in (self.apply_button, self.verify_button, self.remove_button):
            button.setEnabled(not busy)
        if not busy:
            self._update_buttons()

    def _update_buttons(self) -> None:
        step = self.selected() if self._editable else None
        locked = step is not None and step.applied_at is not None and step.removed_at is None
        self.apply_button.setEnabled(step is not None and not locked)
        self.verify_button.setEnabled(locked and step is not None and step.verified_at is None)
        self.remove_button.setEnabled(locked)

    def _on_apply_clicked(self) -> None:
        self.apply_lock()

    def _on_verify_clicked(self) -> None:
        self.verify()

    def _on_remove_clicked(self) -> None:
        self.remove_lock()

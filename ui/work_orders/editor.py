"""The work-order editor: raise a work order, or edit, document and move an existing one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import (
    ConflictError,
    TransitionRefused,
    ValidationFailed,
    WrenchbookError,
)
from desktop.domain.lifecycle import (
    READ_ONLY_STATUSES,
    editable_fields,
    needs_hold_reason,
    needs_note,
)
from desktop.domain.permissions import ALLOWED_ROLES, Action, Actor
from ui import messages
from ui.i18n import say, say_error, tr, word_of
from ui.inventory.work_order_parts import WorkOrderPartsWidget
from ui.words import move_verb, word
from ui.work_orders.assignment_tab import AssignmentTab
from ui.work_orders.attachments_tab import AttachmentsTab
from ui.work_orders.checklist_tab import ChecklistTab
from ui.work_orders.conflict_dialog import ConflictDialog, outcome_message
from ui.work_orders.details_tab import DetailsTab
from ui.work_orders.failure_codes_tab import FailureCodesTab
from ui.work_orders.field_set import FieldSet
from ui.work_orders.form_widgets import Banner, FieldErrors
from ui.work_orders.history_tab import HistoryTab
from ui.work_orders.lifecycle_bar import LifecycleBar, TransitionDialog
from ui.work_orders.lockout_tab import LockoutTab
from ui.work_orders.new_order_form import NewOrderForm
from ui.work_orders.work_log_tab import WorkLogTab

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.domain.enums import HoldReason, Status
    from desktop.services.orders.work_order_records import WorkOrderDetail
    from ui.context import AppContext

T = TypeVar("T")


def field_values(detail: WorkOrderDetail) -> dict[str, Any]:
    """The stored value of every editable field, keyed as WorkOrderService.update expects."""
    row = detail.row
    return {
        "title": row.title,
        "description": detail.description,
        "priority": row.priority,
        "due_at": row.due_at,
        "estimate_hours": detail.estimate_hours,
        "scheduled_start": row.scheduled_start,
        "scheduled_end": detail.scheduled_end,
        "is_failure": detail.is_failure,
        "resolution": detail.resolution,
        "asset_down": detail.asset_down,
        **detail.failure_codes,
    }


class WorkOrderEditor(QDialog):
    """`number=None` raises a new work order; after it is created the editor shows it."""

    sig_work_order_saved = Signal(str)

    def __init__(
        self,
        context: AppContext,
        number: str | None = None,
        parent: QWidget | None = None,
        *,
        asset_code: str | None = None,
    ) -> None:
        """`asset_code` pre-fills a new order's asset (a scanned label, the asset page)."""
        super().__init__(parent)
        self.setObjectName("work_order_editor")
        self.context = context
        self.service = context.services.work_orders
        self._detail: WorkOrderDetail | None = None
        self._version = 0
        self._close_confirmed = False
        self.conflict_dialog: ConflictDialog | None = None
        self.transition_dialog: TransitionDialog | None = None
        self.message_box: QMessageBox | None = None
        self.new_form: NewOrderForm | None = None

        self.heading = QLabel()
        self.heading.setObjectName("heading")
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.heading.setWordWrap(True)
        self.banner = Banner()
        self.banner.setObjectName("banner")
        self.lifecycle = LifecycleBar()
        self.lifecycle.sig_move_requested.connect(self._on_lifecycle_move_requested)
        self.fields = FieldSet()
        self.field_errors = FieldErrors()
        self.tabs = QTabWidget()
        self.save_button = QPushButton(tr("&Save"))
        self.save_button.setObjectName("save")
        self.save_button.setToolTip(tr("Save (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton(tr("Close"))
        self.close_button.setObjectName("close")
        self.close_button.setToolTip(tr("Close (Esc)"))
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)

        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.heading)
        self._layout.addWidget(self.banner)
        self._layout.addWidget(self.lifecycle)
        self._layout.addWidget(self.tabs, 1)
        self._layout.addLayout(buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        self.resize(1000, 750)

        if number is None:
            self._start_new(asset_code)
        else:
            self._build_tabs(number)
            self._show(self.service.get(number), keep_edits=False)
            self.details_tab.title.setFocus()
        for button in self.findChildren(QPushButton):
            # No default button: Enter in a field must not save or move the order by surprise.
            button.setAutoDefault(False)

    # -- what the tabs use (EditorHost) ---------------------------------------------------

    @property
    def actor(self) -> Actor:
        return self.context.actor

    @property
    def number(self) -> str:
        assert self._detail is not None
        return self._detail.row.number

    @property
    def version(self) -> int:
        return self._version

    @property
    def detail(self) -> WorkOrderDetail | None:
        return self._detail

    def may(self, action: Action) -> bool:
        return self.actor.role in ALLOWED_ROLES[action]

    def run(self, call: Callable[[], T], errors: FieldErrors | None = None) -> T | None:
        """Call the service; a refusal is shown to the person, never raised as a traceback."""
        try:
            return call()
        except ValidationFailed as exc:
            rest = errors.show(exc.problems) if errors is not None else dict(exc.problems)
            if rest:
                self._message(tr("Please check your entries"), tr("Nothing was saved."), rest)
            else:
                self.banner.say(tr("Not saved: fix the entries marked in red."), "error")
        except ConflictError as exc:
            self._on_conflict(exc)
        except TransitionRefused as exc:
            self._message(
                # German names the move by its button's word ({Verb}); English by the verb.
                tr("Cannot {verb} {number}").format(
                    verb=say(exc.verb), Verb=move_verb(exc.verb), number=exc.number
                ),
                tr("{number} cannot {verb} yet. Still missing:").format(
                    number=exc.number, verb=say(exc.verb), Verb=move_verb(exc.verb)
                ),
                [say(problem) for problem in exc.problems],
            )
        except WrenchbookError as exc:
            self._message(tr("Not done"), say_error(exc))
        return None

    def after_action(self, versioned: bool) -> None:
        """Show what an immediate action changed; typed edits survive the reload.

        After an action that moved the version the loaded version becomes the new one. After
        any other action the version the edits are based on is kept, so a later save still
        detects a change somebody else made in the meantime.
        """
        detail = self.service.get(self.number)
        edits = self.fields.changes()
        if versioned or not edits:
            self._show(detail, keep_edits=True)
        else:
            self._show_lists(detail)

    def refresh(self) -> None:
        """Show what other workstations changed; typed edits and their base version stay."""
        if self._detail is not None:
            self.after_action(versioned=False)
            self.parts_tab.refresh()

    # -- raising a new work order ---------------------------------------------------------

    def _start_new(self, asset_code: str | None) -> None:
        self.setWindowTitle(tr("New work order"))
        self.heading.setText(tr("New work order"))
        self.new_form = NewOrderForm(self.context)
        self.tabs.hide()
        self.lifecycle.hide()
        self._layout.insertWidget(3, self.new_form, 1)
        self.save_button.setText(tr("&Create"))
        self.save_button.setToolTip(tr("Create the work order (Ctrl+S)"))
        if asset_code:
            self.new_form.asset.set_value(asset_code)
            self.new_form.title.setFocus()
        else:
            self.new_form.asset.setFocus()

    def _create(self) -> bool:
        form = self.new_form
        assert form is not None
        form.errors.clear()
        draft = form.draft()
        try:
            result = self.service.create(self.actor, draft)
        except ValidationFailed as exc:
            rest = form.show_problems(exc.problems)
            if rest:
                self._message(tr("Please check your entries"), tr("Nothing was saved."), rest)
            self.banner.say(tr("Not created: fix the entries marked in red."), "error")
            return False
        except WrenchbookError as exc:
            self._message(tr("Not created"), say_error(exc))
            return False
        number = result.work_order.number
        self._layout.removeWidget(form)
        form.deleteLater()
        self.new_form = None
        self.save_button.setText(tr("&Save"))
        self.save_button.setToolTip(tr("Save (Ctrl+S)"))
        self.tabs.show()
        self.lifecycle.show()
        self._build_tabs(number)
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
        self._show(self.service.get(number), keep_edits=False)
        if result.warnings:
            self.banner.say(
                tr("Created {number}. Please check for a duplicate:\n").format(number=number)
                + "\n".join(say(warning) for warning in result.warnings),
                "warning",
            )
        else:
            self.banner.say(tr("Created {number}.").format(number=number), "info")
        self.sig_work_order_saved.emit(number)
        return True

    # -- editing an existing work order ---------------------------------------------------

    def _build_tabs(self, number: str) -> None:
        self.details_tab = DetailsTab(self.fields, self.field_errors)
        self.assignment_tab = AssignmentTab(self)
        self.checklist_tab = ChecklistTab(self)
        self.work_log_tab = WorkLogTab(self)
        self.failure_codes_tab = FailureCodesTab(self.fields, self.field_errors)
        self.history_tab = HistoryTab(self)
        self.attachments_tab = AttachmentsTab(self)
        self.lockout_tab = LockoutTab(self)
        self.parts_tab = WorkOrderPartsWidget(self.context, number)
        self.parts_tab.sig_parts_changed.connect(
            lambda: self.sig_work_order_saved.emit(self.number)
        )
        for tab, title in (
            (self.details_tab, tr("&1 Details")),
            (self.assignment_tab, tr("&2 Assignment")),
            (self.checklist_tab, tr("&3 Checklist")),
            (self.work_log_tab, tr("&4 Labour && downtime")),
            (self.failure_codes_tab, tr("&5 Failure codes")),
            (self.history_tab, tr("&6 History && audit")),
            (self.attachments_tab, tr("&7 Attachments && addenda")),
            (self.parts_tab, tr("&8 Parts")),
            (self.lockout_tab, tr("&9 Lock-out")),
        ):
            self.tabs.addTab(tab, title)

    def _show(self, detail: WorkOrderDetail, keep_edits: bool) -> None:
        """Load a record into every tab; with `keep_edits`, typed values go back on top."""
        edits = self.fields.changes() if keep_edits else {}
        self._detail = detail
        self._version = detail.row.version
        self.fields.load(field_values(detail))
        open_record = detail.row.status not in READ_ONLY_STATUSES
        self.fields.set_editable(editable_fields(self.actor.role) if open_record else frozenset())
        self.fields.apply(edits)
        self.save_button.setEnabled(open_record and bool(editable_fields(self.actor.role)))
        self.lifecycle.load(detail.row.status, self.actor)
        self._show_lists(detail)

    def _show_lists(self, detail: WorkOrderDetail) -> None:
        """Everything except the editable fields and the version the edits are based on."""
        row = detail.row
        open_record = row.status not in READ_ONLY_STATUSES
        self.setWindowTitle(f"{row.number} — {row.title}")
        state = "" if open_record else tr(" — read-only, addenda only")
        self.heading.setText(
            f"{row.number}  ·  {word(row.status.value)}{state}  ·  "
            f"{row.asset_code} {row.asset_name}"
        )
        self.details_tab.show_record(detail)
        self.assignment_tab.load(detail, open_record)
        self.checklist_tab.load(detail, open_record)
        self.work_log_tab.load(detail, open_record)
        self.history_tab.load(detail)
        self.attachments_tab.load(detail, open_record)
        self.lockout_tab.load(detail, open_record)

    def has_unsaved_edits(self) -> bool:
        if self.new_form is not None:
            return self.new_form.has_input()
        return bool(self.fields.changes())

    def save(self) -> bool:
        """Save the typed edits against the version loaded; True when something was saved."""
        if self.new_form is not None:
            return self._create()
        if self._detail is None or not self.save_button.isEnabled():
            return False
        changes = self.fields.changes()
        self.field_errors.clear()
        if not changes:
            self.banner.say(tr("Nothing to save: no field was changed."), "info")
            return False
        saved = self.run(
            lambda: self.service.update(self.actor, self.number, self._version, changes),
            self.field_errors,
        )
        if saved is None:
            self._show_tab_of_first_error()
            return False
        self._show(self.service.get(self.number), keep_edits=False)
        self.banner.say(tr("Saved {number}.").format(number=self.number), "info")
        self.sig_work_order_saved.emit(self.number)
        return True

    def _show_tab_of_first_error(self) -> None:
        """Bring the tab with the first refused field to the front (codes live on their own)."""
        for name in self.field_errors.names():
            if name in self.fields:
                widget = self.fields.widget(name)
                for index in range(self.tabs.count()):
                    if self.tabs.widget(index).isAncestorOf(widget):
                        self.tabs.setCurrentIndex(index)
                        return

    # -- stale saves ----------------------------------------------------------------------

    def _on_conflict(self, error: ConflictError) -> None:
        dialog = ConflictDialog(error, self.fields.changes(), self)
        dialog.finished.connect(lambda code: self._on_conflict_dialog_finished(error, code))
        self.conflict_dialog = dialog
        dialog.open()

    def _on_conflict_dialog_finished(self, error: ConflictError, code: int) -> None:
        self.conflict_dialog = None
        if code in (ConflictDialog.RELOAD, ConflictDialog.DISCARD):
            kept = code == ConflictDialog.RELOAD
            self._show(self.service.get(self.number), keep_edits=kept)
            self.banner.say(*outcome_message(error, kept))

    # -- the lifecycle --------------------------------------------------------------------

    def _on_lifecycle_move_requested(self, target: Status) -> None:
        if self._detail is None:
            return
        source = self._detail.row.status
        if needs_note(source, target) or needs_hold_reason(target):
            dialog = TransitionDialog(self.number, source, target, self)
            dialog.accepted.connect(
                lambda: self.move(target, dialog.note_text(), dialog.chosen_hold_reason())
            )
            self.transition_dialog = dialog
            dialog.open()
            return
        self.move(target)

    def move(self, target: Status, note: str = "", hold_reason: HoldReason | None = None) -> bool:
        """Ask the service for the move; a refusal lists everything still missing."""
        moved = self.run(
            lambda: self.service.transition(
                self.actor, self.number, target, note, hold_reason, expected_version=self._version
            )
        )
        if moved is None:
            return False
        self._show(self.service.get(self.number), keep_edits=True)
        self.banner.say(
            tr("{number} is now {value}.").format(
                number=self.number, value=target.value.replace("_", " ")
            ),
            "info",
        )
        self.sig_work_order_saved.emit(self.number)
        return True

    # -- closing --------------------------------------------------------------------------

    def reject(self) -> None:
        """Esc and the window's close button: ask first when typed edits would be lost."""
        if self._close_confirmed or not self.has_unsaved_edits():
            super().reject()
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            tr("Unsaved changes"),
            tr("You have changes that are not saved. Save them before closing?"),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("unsaved_question")
        box.finished.connect(lambda _code: self._on_unsaved_question_finished(box))
        self.message_box = box
        box.open()

    def _on_unsaved_question_finished(self, box: QMessageBox) -> None:
        choice = box.standardButton(box.clickedButton())
        self.message_box = None
        if choice is QMessageBox.StandardButton.Discard or (
            choice is QMessageBox.StandardButton.Save and self.save()
        ):
            self._close_confirmed = True
            self.reject()

    def _message(self, title: str, text: str, details: Any = None) -> None:
        lines = (
            [f"{word_of(k)}: {say(v)}" for k, v in details.items()]
            if isinstance(details, dict)
            else details
        )
        self.message_box = messages.show(self, title, text, bullets=lines)

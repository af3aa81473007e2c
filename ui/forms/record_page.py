"""One page for one kind of record: a searchable list, the form of the chosen record, its actions.

Users, parts, vendors, bins, PM schedules, templates, meters, rules... each is a `RecordKind`
(what to list, which fields, which service calls) shown by the same `RecordPage`, so every form
validates, refuses stale saves and reports refusals the same way.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import (
    QT_TR_NOOP,
    QItemSelection,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import ConflictError, ValidationFailed, WrenchbookError
from ui.background import Background
from ui.forms.form_dialog import FormDialog
from ui.forms.record_form import RecordForm
from ui.i18n import say_error, say_problems, show_number, tr
from ui.inventory.models import Column, RowTableModel
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.read_only_table import read_only_table
from ui.work_orders.conflict_dialog import ConflictDialog, outcome_message
from ui.work_orders.form_widgets import Banner

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ui.background import Pool
    from ui.forms.fields import FormField

R = TypeVar("R")


def _always(_row: Any) -> bool:
    return True


@dataclass(frozen=True)
class RecordAction(Generic[R]):
    """A button under the form: asks `fields` (or just `question`) in a FormDialog, then
    `run(row, values)` calls the service and returns what the banner says."""

    label: str
    name: str
    run: Callable[[R, dict[str, Any]], str]
    fields: Sequence[FormField] | Callable[[R], Sequence[FormField]] = ()
    """Asked in the dialog; a callable builds them for the row (choices from the record)."""
    question: Callable[[R], str] | None = None
    enabled: Callable[[R], bool] = _always
    values: Callable[[R], dict[str, Any]] = field(default=lambda _row: {})
    slow_question: Callable[[R], str] | None = None
    """Worked out on a pool thread while the dialog waits (a rule's replay): OK is enabled
    once the answer is shown."""


class RecordKind(Generic[R]):
    """What a RecordPage needs to know about one kind of record; subclasses fill it in.

    The service calls of a kind all live in its subclass, so changing how the UI reaches the
    services touches one place per kind.
    """

    title = QT_TR_NOOP("Records")
    singular = QT_TR_NOOP("record")
    plural = ""
    """How the list's count and search name the records; the title in lower case if empty."""
    columns: Sequence[Column[R]] = ()
    fields: Sequence[FormField] = ()
    actions: Sequence[RecordAction[R]] = ()
    can_create = True
    problem_fields: dict[str, str] = {}  # noqa: RUF012 (read only)
    """The service's name of a problem → the form field it is shown beside, where they differ."""

    def rows(self) -> Sequence[R]:
        raise NotImplementedError

    def key(self, row: R) -> str:
        raise NotImplementedError

    def revision(self, row: R) -> int:
        """The version or audit revision a save of the form is based on."""
        raise NotImplementedError

    def values(self, row: R) -> dict[str, Any]:
        raise NotImplementedError

    def blank(self) -> dict[str, Any]:
        """A new record's starting values."""
        return {}

    def create(self, values: dict[str, Any]) -> str:
        """Create the record; returns its key."""
        raise NotImplementedError

    def save(self, row: R, revision: int, values: dict[str, Any]) -> None:
        """Save the form's values over the record loaded at `revision`."""
        raise NotImplementedError

    def may_edit(self) -> bool:
        """Whether the logged-in role may change these records (the service checks again)."""
        return True

    def describe(self, row: R) -> str:
        """The heading above the form."""
        return self.key(row)

    def preview(self, row: R | None, values: dict[str, Any]) -> str | None:
        """What the form's values would lead to, shown under the form before saving (PM due
        dates); None when this kind has nothing to preview."""
        return None

    def matches(self, row: R, needle: str) -> bool:
        return any(needle in str(column.value(row)).casefold() for column in self.columns)


class RecordPage(QWidget):
    """List on the left, the chosen record's form on the right. UI thread only."""

    sig_saved = Signal(str)  # the record's key, after a create, save or action

    def __init__(
        self, kind: RecordKind[Any], parent: QWidget | None = None, *, pool: Pool | None = None
    ) -> None:
        """`pool` runs slow questions (default: Qt's global thread pool)."""
        super().__init__(parent)
        self.kind = kind
        self._background = Background(self, pool)
        self.setObjectName(f"records_{kind.singular.replace(' ', '_')}")
        self._rows: list[Any] = []
        self._row: Any = None
        self._revision = 0
        self.conflict_dialog: ConflictDialog | None = None
        self.dialog: FormDialog | None = None

        self.search = QLineEdit()
        self._plural = tr(kind.plural) if kind.plural else tr(kind.title).lower()
        self.search.setPlaceholderText(tr("Search {plural}…").format(plural=self._plural))
        self.search.setClearButtonEnabled(True)
        self.new_button = QPushButton(tr("&New {singular}").format(singular=tr(kind.singular)))
        self.new_button.setObjectName("new")
        self.new_button.setVisible(kind.can_create)
        self.model: RowTableModel[Any] = RowTableModel(kind.columns, self)
        self.table = read_only_table(self.model)
        self.table.setSortingEnabled(False)
        self.count = QLabel()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        left_layout.addLayout(top)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count)
        left.setMinimumWidth(300)

        self.heading = QLabel()
        self.heading.setObjectName("heading")
        self.heading.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.heading.setWordWrap(True)
        self.banner = Banner()
        self.banner.setObjectName("banner")
        self.form = RecordForm(kind.fields)
        self.preview = QLabel()
        self.preview.setObjectName("preview")
        self.preview.setWordWrap(True)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview.setStyleSheet(
            "background: #eef5ee; border: 1px solid #9bc59b; padding: 6px; color: #1e4620;"
        )
        self.preview.hide()
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(250)
        self._preview_timer.timeout.connect(self.update_preview)
        self.form.sig_changed.connect(self._preview_timer.start)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.save_button = QPushButton(tr("&Save"))
        self.save_button.setObjectName("save")
        self.save_button.setToolTip(tr("Save (Ctrl+S)"))
        self.revert_button = QPushButton(tr("Re&vert"))
        self.revert_button.setObjectName("revert")
        self.revert_button.setToolTip(tr("Forget what was typed and show the stored record"))
        self.action_buttons: dict[str, QPushButton] = {}
        # The record's actions get a row of their own that wraps: in German one row of them
        # all is wider than the form and would squeeze the list or widen the window.
        actions_row = QWidget()
        actions = FlowLayout(actions_row)
        actions.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        for action in kind.actions:
            button = QPushButton(action.label)
            button.setObjectName(action.name)
            button.clicked.connect(lambda _checked=False, a=action: self.start_action(a))
            self.action_buttons[action.name] = button
            actions.addWidget(button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(scroll, 1)
        right_layout.addWidget(self.preview)
        if kind.actions:
            right_layout.addWidget(actions_row)
        right_layout.addLayout(buttons)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([560, 720])
        self.form.setMaximumWidth(820)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self.search.textChanged.connect(lambda _text: self._show_rows())
        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.save)
        self.refresh()
        if self._row is None:
            self._show_record(None)

    # -- what the setup panel and the tests call -----------------------------------------

    def refresh(self) -> None:
        """Reload the list; an unedited form shows the stored record's newest state."""
        self._rows = list(self.kind.rows())
        self._show_rows()
        self.form.refill()
        if self._row is None:
            return
        fresh = self._find(self.kind.key(self._row))
        if fresh is None:
            self._show_record(None)
        elif not self.form.changes():
            self._show_record(fresh)

    def select(self, key: str) -> bool:
        """Show the record `key` (clearing a search that hides it); False if there is none."""
        row = self._find(key)
        if row is None:
            return False
        if self._visible_index(key) is None:
            self.search.clear()
        index = self._visible_index(key)
        if index is not None:
            self.table.selectRow(index)
        self._show_record(row)
        return True

    def current(self) -> Any:
        return self._row

    def start_new(self) -> None:
        """An empty form; Save creates the record."""
        self.table.clearSelection()
        self._row = None
        self._revision = 0
        self.heading.setText(tr("New {singular}").format(singular=tr(self.kind.singular)))
        self.form.load(self.kind.blank(), new=True, editable=self.kind.may_edit())
        self.banner.say("")
        self._enable(True)
        first = next(iter(self.form.inputs.values()), None)
        if first is not None:
            first.setFocus()

    def save(self) -> bool:
        """Create or save what the form holds; refusals show beside the fields."""
        if not self.save_button.isEnabled():
            return False
        self.form.errors.clear()
        new = self.form.is_new()
        if not new and not self.form.changes():
            self.banner.say(tr("Nothing to save: no field was changed."), "info")
            return False
        values = self.form.values()
        try:
            if new:
                key = self.kind.create(values)
            else:
                key = self.kind.key(self._row)
                self.kind.save(self._row, self._revision, values)
        except ValidationFailed as exc:
            names = self.kind.problem_fields
            problems = {names.get(k, k): v for k, v in exc.problems.items()}
            rest = self.form.show_problems(problems)
            shown = say_problems(rest)
            self.banner.say(
                tr("Not saved: {value}").format(
                    value=shown or tr("fix the entries marked in red.")
                ),
                "error",
            )
            return False
        except ConflictError as exc:
            self._on_conflict(exc)
            return False
        except WrenchbookError as exc:
            self.banner.say(tr("Not saved: {exc}").format(exc=say_error(exc)), "error")
            return False
        self._rows = list(self.kind.rows())
        self._show_rows()
        self.select(key)
        done = tr("Created {key}.") if new else tr("Saved {key}.")
        self.banner.say(done.format(key=key), "info")
        self.sig_saved.emit(key)
        return True

    def revert(self) -> None:
        if self._row is None:
            self.start_new()
        else:
            fresh = self._find(self.kind.key(self._row))
            self._show_record(fresh)

    def start_action(self, action: RecordAction[Any]) -> FormDialog | None:
        """Ask what the action needs in a dialog; its OK runs the action."""
        row = self._row
        if row is None:
            return None
        question = action.question(row) if action.question is not None else ""
        fields = action.fields(row) if callable(action.fields) else action.fields
        dialog = FormDialog(
            f"{action.label.replace('&', '').rstrip('…')} — {self.kind.key(row)}",
            fields,
            lambda values: action.run(row, values),
            question=question,
            values=action.values(row),
            ok_text=action.label.replace("&", "").rstrip("…"),
            parent=self,
        )
        dialog.sig_done.connect(lambda message: self._on_action_done(row, message))
        self.dialog = dialog
        if action.slow_question is not None:
            slow = action.slow_question
            dialog.question.setText(f"{question}\n\n{tr('Working it out…')}".strip())
            dialog.question.show()
            dialog.ok_button.setEnabled(False)
            self._background.run(
                lambda: slow(row),
                lambda answer: self._on_question_answered(dialog, str(answer)),
                lambda failure: self._on_question_answered(
                    dialog, tr("Could not work it out: {error}").format(error=failure.message)
                ),
            )
        dialog.open()
        return dialog

    def _on_question_answered(self, dialog: FormDialog, answer: str) -> None:
        with contextlib.suppress(RuntimeError):  # closed before the answer came
            text = dialog.question.text().replace(tr("Working it out…"), answer)
            dialog.question.setText(text)
            dialog.ok_button.setEnabled(True)

    def update_preview(self) -> str | None:
        """Work out the preview of what the form holds now (also every 250 ms after typing)."""
        self._preview_timer.stop()
        if not self.save_button.isEnabled() and not self.form.is_new():
            text = None
        else:
            try:
                text = self.kind.preview(self._row, self.form.values())
            except WrenchbookError as exc:
                text = tr("No preview: {exc}").format(exc=say_error(exc))
        self.preview.setText(text or "")
        self.preview.setVisible(bool(text))
        return text

    def has_unsaved_edits(self) -> bool:
        return bool(self.form.changes())

    # -- helpers -------------------------------------------------------------------------

    def _on_action_done(self, row: Any, message: str) -> None:
        self.dialog = None
        key = self.kind.key(row)
        self._rows = list(self.kind.rows())
        self._show_rows()
        if not self.select(key):
            self._show_record(None)
        self.banner.say(message, "info")
        self.sig_saved.emit(key)

    def _find(self, key: str) -> Any:
        return next((row for row in self._rows if self.kind.key(row) == key), None)

    def _visible_index(self, key: str) -> int | None:
        for index in range(self.model.rowCount()):
            if self.kind.key(self.model.row_at(index)) == key:
                return index
        return None

    def _show_rows(self) -> None:
        needle = self.search.text().strip().casefold()
        shown = [row for row in self._rows if not needle or self.kind.matches(row, needle)]
        selected = self.kind.key(self._row) if self._row is not None else None
        blocker = self.table.selectionModel().blockSignals(True)
        self.model.set_rows(shown)
        if selected is not None:
            index = self._visible_index(selected)
            if index is not None:
                self.table.selectRow(index)
        self.table.selectionModel().blockSignals(blocker)
        total = len(self._rows)
        self.count.setText(
            tr("{value} of {total} {plural}").format(
                value=show_number(len(shown), 0), total=show_number(total, 0), plural=self._plural
            )
            if needle
            else f"{show_number(total, 0)} {self._plural}"
        )

    def _on_table_selection_changed(self, selected: QItemSelection, _old: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            self._show_record(self.model.row_at(indexes[0].row()))

    def _show_record(self, row: Any) -> None:
        self._row = row
        self.banner.say("")
        if row is None:
            self.heading.setText(
                tr("Choose a {singular} on the left").format(singular=tr(self.kind.singular))
                + (
                    tr(", or make a new one ({value}).").format(
                        value=self.new_button.text().replace("&", "")
                    )
                    if self.kind.can_create
                    else "."
                )
            )
            self.form.load({}, new=False, editable=False)
            self._enable(False)
            return
        self._revision = self.kind.revision(row)
        self.heading.setText(self.kind.describe(row))
        self.form.load(self.kind.values(row), new=False, editable=self.kind.may_edit())
        self._enable(True)

    def _enable(self, shown: bool) -> None:
        editable = shown and self.kind.may_edit()
        self.save_button.setEnabled(editable)
        self.revert_button.setEnabled(shown)
        self.new_button.setEnabled(self.kind.may_edit())
        for action in self.kind.actions:
            button = self.action_buttons[action.name]
            button.setEnabled(
                editable and self._row is not None and bool(action.enabled(self._row))
            )

    def _on_conflict(self, error: ConflictError) -> None:
        dialog = ConflictDialog(error, self.form.changes(), self)
        dialog.finished.connect(lambda code: self._on_conflict_dialog_finished(error, code))
        self.conflict_dialog = dialog
        dialog.open()

    def _on_conflict_dialog_finished(self, error: ConflictError, code: int) -> None:
        self.conflict_dialog = None
        edits = self.form.changes()
        self._rows = list(self.kind.rows())
        self._show_rows()
        fresh = self._find(self.kind.key(self._row)) if self._row is not None else None
        if fresh is None:
            self._show_record(None)
            return
        self._show_record(fresh)
        kept = code == ConflictDialog.RELOAD
        if kept:
            self.form.apply(edits)
        self.banner.say(*outcome_message(error, kept))

"""A small dialog of form fields whose OK calls one service function (reset a password, record
a reading, retire an asset...). A refusal keeps it open with each problem beside its field."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from desktop.domain.errors import ConflictError, ValidationFailed, WrenchbookError
from ui.forms.record_form import RecordForm
from ui.i18n import say_error, say_problems, tr
from ui.work_orders.conflict_dialog import ConflictDialog, outcome_message
from ui.work_orders.form_widgets import Banner

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ui.forms.fields import FormField


class FormDialog(QDialog):
    """`submit(values)` does the work and returns what to tell the person; it raises
    ValidationFailed or another WrenchbookError to refuse. Opened with `open()`, never `exec()`.
    """

    sig_done = Signal(str)

    def __init__(
        self,
        title: str,
        fields: Sequence[FormField],
        submit: Callable[[dict[str, Any]], str],
        *,
        question: str = "",
        values: dict[str, Any] | None = None,
        ok_text: str = "OK",
        new: bool = True,
        reload: Callable[[], dict[str, Any]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`new` False keeps the fields marked new-only read-only (an edit); `reload` gives
        the stored values again after a stale save, so the person can keep their edits."""
        super().__init__(parent)
        self.setObjectName("form_dialog")
        self.setWindowTitle(title)
        self._submit = submit
        self._new = new
        self._reload = reload
        self.conflict_dialog: ConflictDialog | None = None
        self.question = QLabel(question)
        self.question.setObjectName("question")
        self.question.setWordWrap(True)
        self.question.setVisible(bool(question))
        self.form = RecordForm(fields)
        self.form.load(values or {}, new=new)
        self.banner = Banner()
        self.banner.setObjectName("banner")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setObjectName("ok")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.banner)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def submit(self) -> bool:
        """OK: run the service call; True when it was done and the dialog closed."""
        self.form.errors.clear()
        self.banner.say("")
        try:
            message = self._submit(self.form.values())
        except ValidationFailed as exc:
            rest = self.form.show_problems(exc.problems)
            shown = say_problems(rest)
            self.banner.say(shown or tr("Not done: fix the entries marked in red."), "error")
            return False
        except ConflictError as exc:
            self._on_conflict(exc)
            return False
        except WrenchbookError as exc:
            self.banner.say(say_error(exc), "error")
            return False
        self.sig_done.emit(message)
        self.accept()
        return True

    def _on_conflict(self, error: ConflictError) -> None:
        if self._reload is None:
            self.banner.say(say_error(error), "error")
            return
        dialog = ConflictDialog(error, self.form.changes(), self)
        dialog.finished.connect(lambda code: self._on_conflict_dialog_finished(error, code))
        self.conflict_dialog = dialog
        dialog.open()

    def _on_conflict_dialog_finished(self, error: ConflictError, code: int) -> None:
        assert self._reload is not None
        self.conflict_dialog = None
        edits = self.form.changes()
        self.form.load(self._reload(), new=self._new)
        kept = code == ConflictDialog.RELOAD
        if kept:
            self.form.apply(edits)
        self.banner.say(*outcome_message(error, kept))

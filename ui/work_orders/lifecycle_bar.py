"""Buttons for the lifecycle moves open from the current status, and the note they may need."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from desktop.domain.enums import HoldReason, Status
from desktop.domain.lifecycle import find_transition, needs_hold_reason, needs_note, targets_from
from ui.i18n import tr
from ui.words import move_verb, word

if TYPE_CHECKING:
    from desktop.domain.permissions import Actor


def button_text(source: Status, target: Status) -> str:
    move = find_transition(source, target)
    if target is Status.CANCELLED:
        return tr("Cancel work order…")
    text = move_verb(move.verb) if move else word(target.value)
    return text + ("…" if needs_note(source, target) or needs_hold_reason(target) else "")


class LifecycleBar(QWidget):
    """Emits the target status the person picked; the editor asks the service to move there."""

    sig_move_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[Status, QPushButton] = {}

    def load(self, status: Status, actor: Actor) -> None:
        while self._layout.count():
            widget = self._layout.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.buttons.clear()
        if targets_from(status):
            self._layout.addWidget(QLabel(tr("Move to:")))
        for target in targets_from(status):
            move = find_transition(status, target)
            assert move is not None
            button = QPushButton(button_text(status, target))
            button.setObjectName(f"move_{target.value}")
            button.setAutoDefault(False)
            if actor.role not in move.roles:
                roles = ", ".join(sorted(word(r.value) for r in move.roles))
                button.setEnabled(False)
                button.setToolTip(
                    tr("Only {roles} may do this: {verb}").format(
                        roles=roles, verb=move_verb(move.verb)
                    )
                )
            else:
                button.setToolTip(
                    tr("{value}: move to {value2}").format(
                        value=move_verb(move.verb), value2=word(target.value)
                    )
                )
            button.clicked.connect(lambda _c=False, t=target: self.sig_move_requested.emit(t))
            self.buttons[target] = button
            self._layout.addWidget(button)
        self._layout.addStretch(1)


class TransitionDialog(QDialog):
    """Asks for the reason a move needs (hold reason, cancel or reopen note) before it is made."""

    def __init__(self, number: str, source: Status, target: Status, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("transition_dialog")
        self.target = target
        move = find_transition(source, target)
        verb = move_verb(move.verb) if move else word(target.value)
        self.setWindowTitle(f"{verb} {number}")
        self.hold_reason = QComboBox()
        self.hold_reason.setObjectName("hold_reason")
        for reason in HoldReason:
            self.hold_reason.addItem(word(reason.value), reason)
        self.note = QPlainTextEdit()
        self.note.setObjectName("note")
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(
            tr("Why (required)") if needs_note(source, target) else tr("Note (optional)")
        )
        form = QFormLayout(self)
        if needs_hold_reason(target):
            form.addRow(tr("&Hold reason"), self.hold_reason)
        form.addRow(tr("&Note"), self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(verb)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(420)

    def chosen_hold_reason(self) -> HoldReason | None:
        if not needs_hold_reason(self.target):
            return None
        # Qt hands enum data back as plain text.
        return HoldReason(self.hold_reason.currentData())

    def note_text(self) -> str:
        return self.note.toPlainText().strip()

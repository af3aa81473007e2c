"""Message boxes that never block the event loop, so tests and live refresh keep running."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.domain.errors import TransitionRefused, ValidationFailed, WrenchbookError
from ui.i18n import say, say_error, tr, word_of
from ui.words import move_verb

_unowned: list[QMessageBox] = []


def explain(error: WrenchbookError) -> str:
    """A refusal as a person reads it: the action, then everything that stops it, one per line."""
    if isinstance(error, TransitionRefused):
        lines = "\n".join(f"• {say(problem)}" for problem in error.problems)
        # German puts the verb first and capitalised: {Verb} is the button's word for the move.
        heading = tr("Cannot {verb} {number}:").format(
            verb=say(error.verb), Verb=move_verb(error.verb), number=error.number
        )
        return f"{heading}\n{lines}"
    if isinstance(error, ValidationFailed):
        return (
            tr("Please correct:")
            + "\n"
            + "\n".join(
                f"• {word_of(field)}: {say(problem)}" for field, problem in error.problems.items()
            )
        )
    return say_error(error)


def show(
    parent: QWidget | None,
    title: str,
    text: str,
    icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
    details: str = "",
    bullets: list[str] | None = None,
) -> QMessageBox:
    """Open a window-modal message without a nested event loop; returns it for tests."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("messageBox")
    if details:
        box.setDetailedText(details)
    if bullets:
        box.setInformativeText("\n".join(f"• {line}" for line in bullets))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if parent is None:
        # Nothing else owns a top-level box: keep it alive until the user closes it.
        _unowned.append(box)
        box.finished.connect(lambda _result: _unowned.remove(box))
    box.open()
    return box

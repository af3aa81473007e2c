"""Scan to open: a keyboard-wedge scanner anywhere in the app, and the "go to" box.

A wedge scanner is a keyboard that types the code's text in a burst (a few milliseconds per
character, far faster than a person) and usually ends with Enter or Tab. The listener watches
every key press of the application: a burst that ends in Enter and names a work order or an
asset label opens it, wherever the focus was. If the focus was in a text field, what the burst
typed there is taken out again, so a scan never leaves a number in somebody's description.
Slower typing is left alone, except in widgets that take no text (a table, the board), where a
typed order number followed by Enter opens the order too.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.scanning import looks_like_scan
from ui.i18n import tr
from ui.work_orders.form_widgets import ERROR_STYLE

if TYPE_CHECKING:
    from collections.abc import Callable

# Scanners type a character every 1-20 ms; trained typists rarely go below 60 ms between keys.
BURST_GAP = 0.035
MIN_SCAN_LENGTH = 6
# Typing into a table or the board: what came more than this long ago is forgotten.
TYPED_GAP = 3.0
_ENDS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)


def _text_target(widget: QWidget | None) -> QLineEdit | QPlainTextEdit | QTextEdit | None:
    """The text editor a key press types into, or None for widgets that take no text."""
    if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
        return None if widget.isReadOnly() else widget
    if isinstance(widget, QComboBox) and widget.isEditable():
        return widget.lineEdit()
    if isinstance(widget, QAbstractSpinBox):
        return widget.findChild(QLineEdit)
    return None


def _text_of(editor: QLineEdit | QPlainTextEdit | QTextEdit) -> tuple[str, int]:
    if isinstance(editor, QLineEdit):
        return editor.text(), editor.cursorPosition()
    return editor.toPlainText(), editor.textCursor().position()


def _put_back(editor: QLineEdit | QPlainTextEdit | QTextEdit, state: tuple[str, int]) -> None:
    text, position = state
    if isinstance(editor, QLineEdit):
        editor.setText(text)
        editor.setCursorPosition(position)
        return
    editor.setPlainText(text)
    cursor = editor.textCursor()
    cursor.setPosition(min(position, len(text)))
    editor.setTextCursor(cursor)


class ScanListener(QObject):
    """Installed on the QApplication; emits what was scanned. UI thread only.

    `clock` gives seconds (monotonic); tests hand in a fake one to type at scanner or person
    speed without waiting.
    """

    sig_scanned = Signal(str)

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        self._buffer = ""
        self._last = float("-inf")
        self._burst = True
        self._editor: QLineEdit | QPlainTextEdit | QTextEdit | None = None
        self._before: tuple[str, int] = ("", 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        # A key event travels from the focus widget up its parents: count it once, there.
        if watched is not QApplication.focusWidget():
            return False
        return self._on_key(watched, event)  # type: ignore[arg-type]

    def _on_key(self, widget: QWidget, event: QKeyEvent) -> bool:
        now = self.clock()
        gap = now - self._last
        self._last = now
        editor = _text_target(widget)
        if event.key() in _ENDS:
            return self._on_end(editor, gap)
        text = event.text()
        typing = event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier
        )
        if len(text) != 1 or not text.isprintable() or typing:
            self._reset()
            return False
        fresh = gap > (BURST_GAP if editor is not None else TYPED_GAP)
        if fresh or editor is not self._editor:
            self._buffer = ""
            self._burst = True
            self._editor = editor
            if editor is not None:
                self._before = _text_of(editor)
        elif gap > BURST_GAP:
            self._burst = False
        self._buffer += text
        return False

    def _on_end(self, editor: QLineEdit | QPlainTextEdit | QTextEdit | None, gap: float) -> bool:
        text, burst, typed_into = self._buffer, self._burst, self._editor
        self._reset()
        if editor is not typed_into or not looks_like_scan(text):
            return False
        if editor is not None:
            # In a text field only a scanner's burst counts; a person may be typing a number.
            if not burst or gap > BURST_GAP or len(text) < MIN_SCAN_LENGTH:
                return False
            _put_back(editor, self._before)
        self.sig_scanned.emit(text)
        return True

    def _reset(self) -> None:
        self._buffer = ""
        self._editor = None
        self._burst = True


class GoToBox(QWidget):
    """ "Scan or type an order number": Enter opens it; what is wrong shows underneath.

    `open_text` opens what the text names and returns "" or the reason nothing opened.
    """

    def __init__(self, open_text: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._open_text = open_text
        self.edit = QLineEdit()
        self.edit.setObjectName("go_to")
        self.edit.setPlaceholderText(tr("Scan or type a no."))
        self.edit.setToolTip(
            tr(
                "Scan a work-order sheet or an asset label, or type an order number "
                "(WO-2026-000123, wo-2026-123 or just 123) and press Enter (Ctrl+G)"
            )
        )
        self.edit.setClearButtonEnabled(True)
        self.error = QLabel()
        self.error.setObjectName("go_to_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.error)
        self.edit.returnPressed.connect(self._on_edit_return_pressed)
        self.edit.textEdited.connect(lambda _text: self.error.hide())

    def focus(self) -> None:
        self.edit.setFocus()
        self.edit.selectAll()

    def _on_edit_return_pressed(self) -> None:
        text = self.edit.text()
        if not text.strip():
            return
        problem = self._open_text(text)
        self.error.setText(problem)
        self.error.setVisible(bool(problem))
        if not problem:
            self.edit.clear()

"""A log-in overlay over the display: user name and PIN (or password) for one action.

The display itself has no user: a shared screen must not stay logged in. Acknowledging and
reporting a breakdown each ask who does it, check it through the services, and forget it.
The overlay exists only while it is open, so the display shows no edit control otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.display.pages import label
from ui.i18n import tr

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from PySide6.QtCore import QObject


CHOICES_PER_ROW = 3


class LoginOverlay(QFrame):
    """Covers its parent; `submit(user, secret, stopped)` returns an error text or None."""

    sig_closed = Signal()

    def __init__(
        self,
        parent: QWidget,
        title: str,
        text: str,
        secret_label: str,
        confirm: str,
        submit: Callable[[str, str, bool], str | None],
        ask_stopped: bool = False,
        choices: Sequence[tuple[str, str]] = (),
    ) -> None:
        """`choices` (code, label): large buttons of which one is touched before confirming
        (the stop reasons); the touched code is `choice`."""
        super().__init__(parent)
        self.setObjectName("overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._submit = submit
        panel = QFrame()
        panel.setObjectName("overlayPanel")
        self.title = label(title, "overlayTitle")
        self.text = label(text, "overlayText")
        self.text.setWordWrap(True)
        self.username = QLineEdit()
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.stopped = QCheckBox(tr("The machine has stopped"))
        self.stopped.setVisible(ask_stopped)
        self.choice: str | None = None
        self.choice_buttons: dict[str, QPushButton] = {}
        self._choices = QButtonGroup(self)
        self._choices.setExclusive(True)
        choice_grid = QGridLayout()
        for index, (code, text) in enumerate(choices):
            button = QPushButton(text)
            button.setObjectName("choiceButton")
            button.setCheckable(True)
            button.clicked.connect(lambda _checked, c=code: self._on_choice_clicked(c))
            self._choices.addButton(button)
            self.choice_buttons[code] = button
            choice_grid.addWidget(button, index // CHOICES_PER_ROW, index % CHOICES_PER_ROW)
        self.error = label("", "overlayError")
        self.error.setWordWrap(True)
        self.confirm_button = QPushButton(confirm)
        self.confirm_button.setObjectName("breakdownButton")
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.setObjectName("plainButton")
        form = QGridLayout()
        form.addWidget(label(tr("User"), "overlayText"), 0, 0)
        form.addWidget(self.username, 0, 1)
        form.addWidget(label(secret_label, "overlayText"), 1, 0)
        form.addWidget(self.secret, 1, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.confirm_button)
        box = QVBoxLayout(panel)
        margin = round(getattr(parent, "screen_height", 1080) / 45)
        box.setContentsMargins(margin, margin, margin, margin)
        box.addWidget(self.title)
        box.addWidget(self.text)
        box.addWidget(self.stopped)
        box.addLayout(choice_grid)
        box.addLayout(form)
        box.addWidget(self.error)
        box.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        middle = QHBoxLayout()
        middle.addStretch(1)
        middle.addWidget(panel, 3)
        middle.addStretch(1)
        outer.addLayout(middle)
        outer.addStretch(1)
        self.confirm_button.clicked.connect(self._on_confirm_clicked)
        self.cancel_button.clicked.connect(self.close_overlay)
        self.secret.returnPressed.connect(self._on_confirm_clicked)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close_overlay)
        self.username.returnPressed.connect(self.secret.setFocus)
        self.setGeometry(parent.rect())
        parent.installEventFilter(self)
        self.show()
        self.raise_()
        self.username.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keeps covering the display when it is resized."""
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False

    def _on_choice_clicked(self, code: str) -> None:
        self.choice = code
        self.error.setText("")
        self.username.setFocus()

    def _on_confirm_clicked(self) -> None:
        if self.choice_buttons and self.choice is None:
            self.error.setText(tr("Touch the reason first."))
            return
        problem = self._submit(
            self.username.text().strip(), self.secret.text(), self.stopped.isChecked()
        )
        if problem:
            self.error.setText(problem)
            self.secret.clear()
            self.secret.setFocus()
            return
        self.close_overlay()

    def close_overlay(self) -> None:
        self.parentWidget().removeEventFilter(self)
        self.hide()
        self.sig_closed.emit()
        self.deleteLater()

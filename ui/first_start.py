"""First start on an empty database: load the demo plant, or create the first administrator."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.demo.plant import DemoAccount, DemoPlantService
from desktop.domain.enums import Role
from desktop.domain.errors import ValidationFailed
from desktop.services.admin.users import UserService, password_problems
from ui.background import Background, Failure
from ui.i18n import say, say_problems, tr

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.domain.permissions import Actor
    from desktop.store.database import Database


PROGRESS_STEPS = 1000


class FirstStartDialog(QDialog):
    """Ends accepted with ``actor`` set: the planner of the demo, or the new administrator."""

    def __init__(self, db: Database, where: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Welcome to Wrenchbook"))
        self.actor: Actor | None = None
        self.accounts: tuple[DemoAccount, ...] = ()
        self._db = db
        self._background = Background(self)
        intro = QLabel(
            tr(
                "<b>This database is empty.</b><br>{where}<br><br>Load the demo bottling plant "
                "to look around with years of maintenance history, or start empty with your own "
                "administrator account."
            ).format(where=where)
        )
        intro.setWordWrap(True)
        self.demo_choice = QRadioButton(tr("Load the demo plant (recommended for a first look)"))
        self.empty_choice = QRadioButton(tr("Start empty: create the administrator account"))
        self.demo_choice.setChecked(True)
        self.username = QLineEdit("admin")
        self.full_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.admin_form = QWidget()
        form = QFormLayout(self.admin_form)
        form.addRow(tr("User name"), self.username)
        form.addRow(tr("Full name"), self.full_name)
        form.addRow(tr("Password"), self.password)
        form.addRow(tr("Repeat password"), self.repeat)
        self.admin_form.setEnabled(False)
        self.empty_choice.toggled.connect(self.admin_form.setEnabled)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.start_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.start_button.setText(tr("Start"))
        self.buttons.accepted.connect(self._on_start_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.demo_choice, self.empty_choice, self.admin_form):
            layout.addWidget(widget)
        layout.addWidget(self.error)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def _on_start_clicked(self) -> None:
        if self.demo_choice.isChecked():
            self._load_demo()
        else:
            self._create_admin()

    def _create_admin(self) -> None:
        problems = password_problems(self.password.text())
        if self.password.text() != self.repeat.text():
            problems.append(tr("the two passwords differ"))
        if not self.full_name.text().strip():
            problems.append(tr("full name is required"))
        if problems:
            self.error.setText(tr("Please correct: ") + "; ".join(say(p) for p in problems))
            return
        users = UserService(self._db)
        try:
            users.create_first_admin(
                self.username.text().strip(), self.full_name.text().strip(), self.password.text()
            )
        except ValidationFailed as exc:
            self.error.setText(say_problems(exc.problems))
            return
        self.actor = users.actor_for(self.username.text().strip())
        self.accept()

    def _load_demo(self) -> None:
        self.buttons.setEnabled(False)
        self.demo_choice.setEnabled(False)
        self.empty_choice.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setFormat(tr("Building the demo plant… %p%"))
        self.progress.setMaximum(PROGRESS_STEPS)
        db = self._db

        def build(progress: Callable[[float], None]) -> tuple[DemoAccount, ...]:
            summary = DemoPlantService(db).build(
                progress=lambda done, total: progress(done / max(total, 1))
            )
            return summary.accounts

        self._background.run_with_progress(
            build,
            self._on_loader_finished,
            self._on_loader_failed,
            self._on_loader_progressed,
        )

    def _on_loader_progressed(self, fraction: float) -> None:
        self.progress.setValue(round(fraction * PROGRESS_STEPS))

    def _on_loader_failed(self, failure: Failure) -> None:
        self.error.setText(failure.message)
        self.buttons.setEnabled(True)
        self.progress.setVisible(False)

    def _on_loader_finished(self, accounts: tuple[DemoAccount, ...]) -> None:
        self.accounts = accounts
        planner = next(a for a in accounts if a.role is Role.PLANNER)
        self.actor = UserService(self._db).actor_for(planner.username)
        self.accept()


class DemoAccountsDialog(QDialog):
    """The demo's one-time passwords: shown once, never stored or logged."""

    def __init__(self, accounts: tuple[DemoAccount, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Demo accounts"))
        note = QLabel(
            tr(
                "The demo plant is loaded and you are logged in as its planner. These are the "
                "demo accounts and their passwords. <b>They are shown only now</b>: copy them "
                "before you close this window."
            )
        )
        note.setWordWrap(True)
        self.listing = QPlainTextEdit(
            "\n".join(f"{a.username:<14} {a.role.value:<11} {a.password}" for a in accounts)
        )
        self.listing.setReadOnly(True)
        self.listing.setStyleSheet("font-family: monospace;")
        copy = QPushButton(tr("Copy to clipboard"))
        copy.clicked.connect(lambda: QApplication.clipboard().setText(self.listing.toPlainText()))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.listing)
        layout.addWidget(copy, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(close)
        self.resize(520, 420)

"""Log in with user name and password; the last user name is remembered on this workstation.

On a site server with personal logins the dialog is also where the database is opened: the
name and password typed are the person's own database login (desktop.services.admin.sign_in).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from desktop.domain.errors import WrenchbookError
from desktop.services.admin.sign_in import PersonalSignIn
from desktop.services.admin.users import UserService
from desktop.store.database import scrub, timeout_hint, tls_hint
from ui.i18n import say_error, tr

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from desktop.domain.permissions import Actor
    from desktop.store.database import Database

LAST_USER_KEY = "login/last_user"
"""What the app start hears from `log_in` when the control-room display was chosen."""


class LoginDialog(QDialog):
    """Accepts only a correct user name and password; ``actor`` then holds who logged in and
    ``db`` the database to work in (opened as the person, with personal logins)."""

    def __init__(
        self,
        source: Database | PersonalSignIn,
        settings: QSettings,
        where: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Wrenchbook — log in"))
        self.actor: Actor | None = None
        self._source = source
        self.db: Database | None = None if isinstance(source, PersonalSignIn) else source
        # True when the database or OPC UA settings were changed here: the start begins again.
        self.settings_changed = False
        self.display_chosen = False
        self._settings = settings
        self.username = QLineEdit(str(settings.value(LAST_USER_KEY, "") or ""))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        if isinstance(source, PersonalSignIn):
            where += "\n" + tr("You log in to the server as yourself, with your own password.")
        database = QLabel(where)
        database.setObjectName("hint")
        database.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("User name"), self.username)
        form.addRow(tr("Password"), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Log in"))
        self.settings_button = buttons.addButton(
            tr("Settings…"), QDialogButtonBox.ButtonRole.ResetRole
        )
        self.settings_button.clicked.connect(self.open_settings)
        self.display_button = buttons.addButton(
            tr("Control room display"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.display_button.setToolTip(
            tr("Start the read-only, full-screen display for a shared control-room screen")
        )
        self.display_button.clicked.connect(self._on_display_clicked)
        # The display runs under its own login (its PC's settings name it), never a person's.
        self.display_button.setVisible(not isinstance(source, PersonalSignIn))
        buttons.accepted.connect(self._on_login_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(database)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)
        (self.password if self.username.text() else self.username).setFocus()

    def _on_display_clicked(self) -> None:
        """The display needs no log-in: it is read-only, and each action asks who does it."""
        self.display_chosen = True
        self.accept()

    def _on_login_clicked(self) -> None:
        try:
            self.actor = self._log_in(self.username.text(), self.password.text())
        except WrenchbookError as exc:  # a wrong password, a lock-out, an old schema
            self._refused(say_error(exc))
            return
        except SQLAlchemyError as exc:  # the server is down, TLS refused it
            url = getattr(self._source, "url", "")
            reason = scrub(str(getattr(exc, "orig", None) or exc), url)
            self._refused(reason + tls_hint(reason, url) + timeout_hint(reason, url))
            return
        self._settings.setValue(LAST_USER_KEY, self.actor.username)
        self.accept()

    def _log_in(self, username: str, password: str) -> Actor:
        if isinstance(self._source, PersonalSignIn):
            signed_in = self._source.sign_in(username, password)
            self.db = signed_in.db
            return signed_in.actor
        return UserService(self._source).authenticate(username, password)

    def _refused(self, reason: str) -> None:
        self.error.setText(reason[:1].upper() + reason[1:])
        self.error.setWordWrap(True)
        self.password.selectAll()
        self.password.setFocus()

    def open_settings(self) -> QDialog:
        """The workstation settings; a changed database or server restarts the start."""
        from ui.settings.dialog import SettingsDialog

        dialog = SettingsDialog(self._settings, self)
        dialog.sig_settings_saved.connect(self._on_settings_saved)
        dialog.open()
        return dialog

    def _on_settings_saved(self, changed: bool) -> None:
        if changed:
            self.settings_changed = True
            self.reject()

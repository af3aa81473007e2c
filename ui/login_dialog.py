"""Log in with user name and password; the last user name is remembered on this workstation.

On a site server with personal logins the dialog is also where the database is opened: the
name and password typed are the person's own database login (desktop.services.admin.sign_in),
or "Sign in with Windows" hands the server this PC's domain account (Kerberos), no password.

The start shows the dialog while the database is still opening (the person types meanwhile),
so this module loads no database layer: the check of the password does, when it is asked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import WrenchbookError
from ui.i18n import say_error, tr

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtCore import QSettings

    from desktop.domain.permissions import Actor
    from desktop.services.admin.sign_in import PersonalSignIn, SignedIn
    from desktop.store.database import Database

LAST_USER_KEY = "login/last_user"
"""What the app start hears from `log_in` when the control-room display was chosen."""


class LoginDialog(QDialog):
    """Accepts only a correct user name and password; ``actor`` then holds who logged in and
    ``db`` the database to work in (opened as the person, with personal logins)."""

    def __init__(
        self,
        source: Database | PersonalSignIn | None,
        settings: QSettings,
        where: str,
        parent: QWidget | None = None,
    ) -> None:
        """`source` None: the database is still opening; `set_source` hands it in later."""
        super().__init__(parent)
        self.setWindowTitle(tr("Wrenchbook — log in"))
        self.actor: Actor | None = None
        self._source: Database | PersonalSignIn | None = None
        self.db: Database | None = None
        # True when the database or OPC UA settings were changed here: the start begins again.
        self.settings_changed = False
        self.display_chosen = False
        self.answered = False
        """Logged in, cancelled or another choice made: the start needs no `exec()` for it."""
        self._pressed_early = False
        self._settings = settings
        self.username = QLineEdit(str(settings.value(LAST_USER_KEY, "") or ""))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.database = QLabel(tr("Opening the database…"))
        self.database.setObjectName("hint")
        self.database.setWordWrap(True)
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
        self.display_button.setEnabled(False)  # until it is known that this database allows it
        self.sign_on_button = buttons.addButton(
            tr("Sign in with Windows"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.sign_on_button.setToolTip(
            tr("Log in as the Windows account signed in to this PC, where the site has it")
        )
        self.sign_on_button.clicked.connect(self._on_sign_on_clicked)
        self.sign_on_button.setVisible(False)  # until it is known that the site has personal logins
        buttons.accepted.connect(self._on_login_clicked)
        buttons.rejected.connect(self.reject)
        self.finished.connect(self._on_finished)
        layout = QVBoxLayout(self)
        layout.addWidget(self.database)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)
        (self.password if self.username.text() else self.username).setFocus()
        if source is not None:
            self.set_source(source, where)

    def set_source(self, source: Database | PersonalSignIn, where: str) -> None:
        """The database is open (or, with personal logins, ready to be opened as the person):
        a "Log in" pressed while it was opening goes on now."""
        from desktop.services.admin.sign_in import PersonalSignIn

        self._source = source
        personal = isinstance(source, PersonalSignIn)
        self.db = None if personal else source  # type: ignore[assignment]
        if personal:
            where += "\n" + tr("You log in to the server as yourself, with your own password.")
        self.database.setText(where)
        # The display runs under its own login (its PC's settings name it), never a person's.
        self.display_button.setVisible(not personal)
        self.display_button.setEnabled(True)
        self.sign_on_button.setVisible(personal)
        if self._pressed_early:
            self.unsetCursor()
            if not self.answered:  # not cancelled meanwhile
                # From the event loop the start's exec() runs next, so that accept() ends that.
                QTimer.singleShot(0, self._on_login_clicked)

    def _on_display_clicked(self) -> None:
        """The display needs no log-in: it is read-only, and each action asks who does it."""
        self.display_chosen = True
        self.accept()

    def _on_finished(self) -> None:
        self.answered = True

    def _on_login_clicked(self) -> None:
        if self._source is None:
            # Pressed before the database is open (the hint above says so): wait visibly, then
            # go on (set_source).
            self._pressed_early = True
            self.setCursor(Qt.CursorShape.BusyCursor)
            self.error.clear()
            return
        self._try(lambda: self._log_in(self.username.text(), self.password.text()))

    def _on_sign_on_clicked(self) -> None:
        """Windows sign-on: the server checks this PC's account; nothing typed is used."""
        from desktop.services.admin.sign_in import PersonalSignIn

        source = self._source
        if isinstance(source, PersonalSignIn):
            self._try(lambda: self._opened(source.sign_on()))

    def _opened(self, signed_in: SignedIn) -> Actor:
        """The database opened as the person who logged in becomes the one to work in."""
        self.db = signed_in.db
        return signed_in.actor

    def _try(self, log_in: Callable[[], Actor]) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        from desktop.store.database import scrub, timeout_hint, tls_hint

        try:
            self.actor = log_in()
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
        from desktop.services.admin.sign_in import PersonalSignIn
        from desktop.services.admin.users import UserService

        if isinstance(self._source, PersonalSignIn):
            return self._opened(self._source.sign_in(username, password))
        assert self._source is not None
        return UserService(self._source).authenticate(username, password)

    def _refused(self, reason: str) -> None:
        self.error.setText(reason[:1].upper() + reason[1:])
        self.error.setWordWrap(True)
        self.adjustSize()  # a long reason (TLS, sign-on) shows whole, not cut off
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

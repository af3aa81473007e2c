"""The workstation settings dialog: database, OPC UA server and control-room display rotation.

Reached from the main window and from the login dialog (and offered when the database cannot
be opened), so a workstation pointed at the wrong server can be fixed without editing files.
The rules (what is valid, the network-share refusal, where passwords go) are those of
`desktop.services.admin.workstation_settings`, shared with the `settings` CLI.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from desktop.domain.errors import WrenchbookError
from desktop.services.admin import credentials
from desktop.services.admin import workstation_settings as ws
from desktop.services.admin.connection_check import CheckResult, check_database
from ui import i18n
from ui.i18n import say, say_error, tr
from ui.settings.check_runner import CheckRunner

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from ui.background import Pool

POSTGRES_DRIVER = "postgresql+psycopg"
POSTGRES_PORT = 5432
PLANT_CHOICES = (
    (QT_TR_NOOP("Built-in simulator (with the demo plant)"), ws.PlantMode.DEMO),
    (QT_TR_NOOP("OPC UA server"), ws.PlantMode.SERVER),
    (QT_TR_NOOP("None"), ws.PlantMode.OFF),
)
RESULT_STYLES = {True: "color: #1e7b34;", False: "color: #b03a2e;", None: "color: #5d6d7e;"}
HINT_WIDTH = 96  # characters per line of a note
RESTART_NOTE = QT_TR_NOOP(
    "Database and OPC UA changes take effect when Wrenchbook is next started."
)


def security_text(value: str, label: str) -> str:
    """desktop.services.admin.workstation_settings.SECURITY_LABELS in the user's language
    ("Sign" is a verb of its own here: the checklist signs off with another word)."""
    texts = {
        "none": tr("None"),
        "sign": tr("Sign", "OPC UA security"),
        "sign_and_encrypt": tr("Sign & encrypt"),
    }
    return texts.get(value, label)


def _result_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setMinimumWidth(480)
    return label


def _hint(text: str) -> QLabel:
    # Wrapped here, not by the label: a word-wrapping label in a form layout is given room
    # for more lines than it has, which left gaps in the dialog.
    label = QLabel(textwrap.fill(text, HINT_WIDTH))
    label.setObjectName("hint")
    return label


def _path_row(edit: QLineEdit, button: QPushButton) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    layout.addWidget(button)
    return row


def _test_row(button: QPushButton, result: QLabel) -> QHBoxLayout:
    layout = QHBoxLayout()
    layout.addWidget(button)
    layout.addWidget(result, 1)
    return layout


class SettingsDialog(QDialog):
    """UI thread only. `settings` is the workstation's QSettings (DATA_DIR/workstation.ini)."""

    sig_settings_saved = Signal(bool)  # True when the database or OPC UA settings changed

    def __init__(
        self,
        settings: QSettings,
        parent: QWidget | None = None,
        note: str = "",
        pool: Pool | None = None,
        sampling: tuple[str, ...] = (),
    ) -> None:
        """`sampling` is what the OPC UA server granted this app's running link (one line
        each, warnings included), shown under the server's settings."""
        super().__init__(parent)
        self._sampling = sampling
        self.setWindowTitle(tr("Wrenchbook — workstation settings"))
        self._settings = settings
        self.data_dir = Path(settings.fileName()).parent
        self._loaded = ws.WorkstationSettings.from_values(
            {key: settings.value(key) for key in ws.KEYS if settings.contains(key)}
        )
        self._store = credentials.store_available()
        self._pg_query: dict[str, str | tuple[str, ...]] = {}
        self.settings_changed = False
        self._runner = CheckRunner(pool, self)
        self._runner.sig_finished.connect(self._on_check_finished)

        layout = QVBoxLayout(self)
        where = _hint(
            tr("Settings of this computer, kept in {value}. {RESTART_NOTE}").format(
                value=settings.fileName(), RESTART_NOTE=tr(RESTART_NOTE)
            )
        )
        layout.addWidget(where)
        if note:
            warning = QLabel(note)
            warning.setObjectName("fieldError")
            warning.setWordWrap(True)
            layout.addWidget(warning)
        layout.addWidget(self._language_box())
        layout.addWidget(self._database_box())
        layout.addWidget(self._plant_box())
        layout.addWidget(self._display_box())
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout.addWidget(buttons)
        # Always exactly as tall as its text needs: wrapped notes and test results never clip.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        self.setMinimumWidth(720)
        self._show(self._loaded)

    # -- building ------------------------------------------------------------------------

    def _database_box(self) -> QGroupBox:
        box = QGroupBox(tr("Database"))
        self.sqlite_choice = QRadioButton(tr("This computer only, one user (SQLite file)"))
        self.postgres_choice = QRadioButton(tr("Site server (PostgreSQL)"))
        self.postgres_choice.setToolTip(tr("One database shared by every workstation of the site"))
        self.sqlite_choice.toggled.connect(self._on_database_kind_toggled)
        self.sqlite_path = QLineEdit()
        self.sqlite_path.editingFinished.connect(self._on_sqlite_path_edited)
        browse = QPushButton(tr("Browse…"))
        browse.clicked.connect(self._on_sqlite_browse_clicked)
        sqlite_page = QWidget()
        sqlite_form = QFormLayout(sqlite_page)
        sqlite_form.setContentsMargins(0, 0, 0, 0)
        sqlite_form.addRow(tr("File"), _path_row(self.sqlite_path, browse))
        sqlite_form.addRow(
            "", _hint(tr("On a local disk only: a file on a network share is refused."))
        )
        self.sqlite_trust_note = _hint(
            tr(
                "Single-user: whoever can open this file can change any record, roles included. "
                "The audit trail still shows a change; for several people, use the site server."
            )
        )
        sqlite_form.addRow("", self.sqlite_trust_note)

        self.pg_host = QLineEdit()
        self.pg_host.setPlaceholderText(tr("server name or address"))
        self.pg_port = QSpinBox()
        self.pg_port.setRange(1, 65535)
        self.pg_database = QLineEdit()
        self.pg_user = QLineEdit()
        self.db_password = QLineEdit()
        self.db_password.setEchoMode(QLineEdit.EchoMode.Password)
        server = QWidget()
        server_row = QHBoxLayout(server)
        server_row.setContentsMargins(0, 0, 0, 0)
        server_row.addWidget(self.pg_host, 1)
        server_row.addWidget(QLabel(tr("Port")))
        server_row.addWidget(self.pg_port)
        postgres_page = QWidget()
        pg_form = QFormLayout(postgres_page)
        pg_form.setContentsMargins(0, 0, 0, 0)
        pg_form.addRow(tr("Server"), server)
        pg_form.addRow(tr("Database"), self.pg_database)
        self.pg_user.setPlaceholderText(tr("empty: everyone logs in as themselves"))
        self.pg_user.textChanged.connect(self._on_pg_user_changed)
        pg_form.addRow(tr("User"), self.pg_user)
        pg_form.addRow(tr("Password"), self.db_password)
        self.personal_login_note = _hint(
            tr(
                "Leave User empty: each person's Wrenchbook name and password are their own "
                "database login, and no database password is kept on this computer. Name a "
                "user only for the control-room display's or the monitoring service's login."
            )
        )
        pg_form.addRow("", self.personal_login_note)
        self.db_password_note = _hint(
            self._password_note(
                tr(
                    "No credential store on this computer, so the password is not saved: give "
                    "it in PGPASSWORD or in PostgreSQL's password file "
                    "(%APPDATA%\\postgresql\\pgpass.conf on Windows, ~/.pgpass elsewhere)."
                )
            )
        )
        pg_form.addRow("", self.db_password_note)
        self.sqlite_page, self.postgres_page = sqlite_page, postgres_page

        self.db_test_button = QPushButton(tr("Test connection"))
        self.db_test_button.clicked.connect(self.test_database)
        self.db_result = _result_label()
        layout = QVBoxLayout(box)
        choices = QHBoxLayout()
        choices.addWidget(self.sqlite_choice)
        choices.addWidget(self.postgres_choice)
        choices.addStretch(1)
        layout.addLayout(choices)
        layout.addWidget(sqlite_page)
        layout.addWidget(postgres_page)
        layout.addLayout(_test_row(self.db_test_button, self.db_result))
        return box

    def _plant_box(self) -> QGroupBox:
        box = QGroupBox(tr("Plant connection (OPC UA)"))
        self.plant_mode = QComboBox()
        for label, mode in PLANT_CHOICES:
            self.plant_mode.addItem(tr(label), mode.value)
        self.plant_mode.currentIndexChanged.connect(self._on_plant_mode_changed)
        self.endpoint = QLineEdit()
        self.endpoint.setPlaceholderText(tr("opc.tcp://server:4840/path"))
        self.security = QComboBox()
        for value, label in ws.SECURITY_LABELS.items():
            self.security.addItem(security_text(value, label), value)
        self.policy = QComboBox()
        self.policy.addItems(ws.POLICIES)
        security_row = QWidget()
        row = QHBoxLayout(security_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.security)
        row.addWidget(QLabel(tr("Policy")))
        row.addWidget(self.policy, 1)
        self.opc_user = QLineEdit()
        self.opc_user.setPlaceholderText(tr("empty: anonymous"))
        self.opc_password = QLineEdit()
        self.opc_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.certificate = QLineEdit()
        self.certificate.setPlaceholderText(tr("empty: Wrenchbook's own, made on first use"))
        self.private_key = QLineEdit()
        cert_browse, key_browse = QPushButton(tr("Browse…")), QPushButton(tr("Browse…"))
        cert_browse.clicked.connect(
            lambda: self._browse_into(self.certificate, tr("Client certificate"))
        )
        key_browse.clicked.connect(lambda: self._browse_into(self.private_key, tr("Private key")))
        self.opc_test_button = QPushButton(tr("Test connection"))
        self.opc_test_button.clicked.connect(self.test_opcua)
        self.opc_result = _result_label()
        form = QFormLayout()
        form.addRow(tr("Source"), self.plant_mode)
        form.addRow(tr("Endpoint"), self.endpoint)
        form.addRow(tr("Security"), security_row)
        form.addRow(tr("User"), self.opc_user)
        form.addRow(tr("Password"), self.opc_password)
        self.opc_password_note = _hint(
            self._password_note(
                tr(
                    "No credential store on this computer, so the password is not saved: give "
                    "it in the {variable} environment variable."
                ).format(variable=credentials.OPC_PASSWORD_ENV)
            )
        )
        form.addRow("", self.opc_password_note)
        form.addRow(tr("Client certificate"), _path_row(self.certificate, cert_browse))
        form.addRow(tr("Private key"), _path_row(self.private_key, key_browse))
        self._server_fields = [
            self.endpoint,
            self.security,
            self.policy,
            self.opc_user,
            self.certificate,
            self.private_key,
            cert_browse,
            key_browse,
            self.opc_test_button,
        ]
        layout = QVBoxLayout(box)
        layout.addLayout(form)
        layout.addLayout(_test_row(self.opc_test_button, self.opc_result))
        self.sampling = QLabel(
            tr("Sampling granted by the server now:")
            + "\n"
            + "\n".join(say(line) for line in self._sampling)
        )
        self.sampling.setObjectName("hint")
        self.sampling.setWordWrap(True)
        self.sampling.setVisible(bool(self._sampling))
        layout.addWidget(self.sampling)
        return box

    def _language_box(self) -> QGroupBox:
        box = QGroupBox(tr("Language"))
        self.language = QComboBox()
        self.language.setObjectName("language")
        system = i18n.language_for(None)
        self.language.addItem(
            tr("As Windows ({language})").format(language=i18n.LANGUAGES[system]), ""
        )
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        form = QFormLayout(box)
        form.addRow(tr("Language"), self.language)
        return box

    def _display_box(self) -> QGroupBox:
        box = QGroupBox(tr("Control-room display"))
        self.rotate_seconds = QSpinBox()
        self.rotate_seconds.setRange(*ws.ROTATE_RANGE)
        self.rotate_seconds.setSuffix(tr(" s per page"))
        self.rotate_seconds.setMaximumWidth(160)
        self.pages = QLineEdit()
        self.pages.setPlaceholderText(tr("empty: every page"))
        form = QFormLayout(box)
        form.addRow(tr("Rotation"), self.rotate_seconds)
        form.addRow(tr("Pages"), self.pages)
        form.addRow(
            "",
            _hint(
                tr("Pages in the order shown, separated by commas, from: ")
                + ", ".join(ws.DISPLAY_PAGE_IDS)
            ),
        )
        return box

    def _password_note(self, no_store: str) -> str:
        if self._store:
            return tr("Kept in {store}, never in the settings file.").format(
                store=credentials.store_name()
            )
        return no_store

    # -- values --------------------------------------------------------------------------

    def _show(self, settings: ws.WorkstationSettings) -> None:
        url = settings.database_url
        default = ws.default_sqlite_path(self.data_dir)
        self.pg_port.setValue(POSTGRES_PORT)
        self.pg_database.setText(tr("wrenchbook"))
        self.sqlite_path.setText(str(default))
        try:
            parsed = make_url(url) if url else None
        except ArgumentError:
            parsed = None
            self.error.setText(tr("The saved database URL cannot be read: {url}").format(url=url))
        if parsed is not None and parsed.get_backend_name() == "postgresql":
            self.postgres_choice.setChecked(True)
            self.pg_host.setText(parsed.host or "")
            self.pg_port.setValue(parsed.port or POSTGRES_PORT)
            self.pg_database.setText(parsed.database or "")
            self.pg_user.setText(parsed.username or "")
            self._pg_query = dict(parsed.query)
        else:
            self.sqlite_choice.setChecked(True)
            if parsed is not None and parsed.database:
                self.sqlite_path.setText(parsed.database)
        self._on_database_kind_toggled()
        opcua = settings.opcua
        self.plant_mode.setCurrentIndex(self.plant_mode.findData(opcua.mode.value))
        self.endpoint.setText(opcua.endpoint)
        self.security.setCurrentIndex(max(0, self.security.findData(opcua.security)))
        self.policy.setCurrentIndex(max(0, self.policy.findText(opcua.policy)))
        self.opc_user.setText(opcua.username)
        self.certificate.setText(opcua.certificate)
        self.private_key.setText(opcua.private_key)
        self._show_saved_passwords(settings)
        self._on_plant_mode_changed()
        self.rotate_seconds.setValue(settings.rotate_seconds)
        self.language.setCurrentIndex(max(self.language.findData(settings.language), 0))
        self.pages.setText(", ".join(settings.pages))

    def _on_pg_user_changed(self) -> None:
        """A password belongs to a named service login; personal logins keep none here."""
        named = bool(self.pg_user.text().strip())
        self.db_password.setEnabled(named and self._store)
        if not named:
            self.db_password.clear()

    def _show_saved_passwords(self, settings: ws.WorkstationSettings) -> None:
        self._on_pg_user_changed()
        for field, saved in (
            (self.db_password, self._saved_database_password(settings.database_url)),
            (self.opc_password, self._saved_opcua_password(settings.opcua)),
        ):
            field.setPlaceholderText(tr("saved: type to replace") if saved else "")

    @staticmethod
    def _saved_database_password(url: str) -> str | None:
        if not url.startswith("postgresql"):
            return None
        return credentials.get(credentials.DATABASE, ws.database_account(url))

    @staticmethod
    def _saved_opcua_password(opcua: ws.OpcUaSettings) -> str | None:
        if not opcua.username:
            return None
        return credentials.get(credentials.OPCUA, ws.opcua_account(opcua))

    def database_url(self) -> str:
        """The URL the fields describe, without a password; "" for the default SQLite file."""
        if self.sqlite_choice.isChecked():
            path = self.sqlite_path.text().strip()
            if not path or Path(path) == ws.default_sqlite_path(self.data_dir):
                return ""
            return f"sqlite:///{path}"
        return URL.create(
            POSTGRES_DRIVER,
            username=self.pg_user.text().strip() or None,
            host=self.pg_host.text().strip() or None,
            port=None if self.pg_port.value() == POSTGRES_PORT else self.pg_port.value(),
            database=self.pg_database.text().strip() or None,
            query=self._pg_query,
        ).render_as_string(hide_password=False)

    def plant_mode_value(self) -> ws.PlantMode:
        return ws.PlantMode(self.plant_mode.currentData())

    def current_settings(self) -> ws.WorkstationSettings:
        opcua = ws.OpcUaSettings(
            self.plant_mode_value(),
            self.endpoint.text().strip(),
            self.security.currentData(),
            self.policy.currentText(),
            self.opc_user.text().strip(),
            self.certificate.text().strip(),
            self.private_key.text().strip(),
        )
        pages = tuple(p.strip() for p in self.pages.text().split(",") if p.strip())
        return ws.WorkstationSettings(
            self.database_url(),
            opcua,
            self.rotate_seconds.value(),
            pages,
            self.language.currentData() or "",
        )

    # -- saving --------------------------------------------------------------------------

    def save(self) -> bool:
        """Check, keep typed passwords in the credential store, write the file, close."""
        new = self.current_settings()
        try:
            found = ws.problems(new)
        except ArgumentError as exc:
            found = [str(exc)]
        if found:
            self.error.setText("\n".join(say(problem) for problem in found))
            return False
        try:
            typed = self._keep_passwords(new)
        except WrenchbookError as exc:
            self.error.setText(say_error(exc))
            return False
        for key, value in new.to_values().items():
            self._settings.setValue(key, value)
        self._settings.sync()
        if self._settings.status() != self._settings.Status.NoError:
            self.error.setText(tr("Cannot write {value}.").format(value=self._settings.fileName()))
            return False
        old = self._loaded
        self.settings_changed = typed or (new.database_url, new.opcua, new.language) != (
            old.database_url,
            old.opcua,
            old.language,
        )
        self._loaded = new
        self.sig_settings_saved.emit(self.settings_changed)
        self.accept()
        return True

    def _keep_passwords(self, new: ws.WorkstationSettings) -> bool:
        """Passwords typed go to the credential store; True when there were any."""
        typed = False
        db_password = self.db_password.text()
        if db_password and self.postgres_choice.isChecked() and self.pg_user.text().strip():
            credentials.put(
                credentials.DATABASE, ws.database_account(new.database_url), db_password
            )
            typed = True
        opc_password = self.opc_password.text()
        if opc_password and new.opcua.username and new.opcua.mode is ws.PlantMode.SERVER:
            credentials.put(credentials.OPCUA, ws.opcua_account(new.opcua), opc_password)
            typed = True
        return typed

    # -- connection tests ----------------------------------------------------------------

    def test_database(self) -> None:
        """Connect with what the fields say (a typed password too) and read the schema."""
        url = self.database_url() or f"sqlite:///{ws.default_sqlite_path(self.data_dir)}"
        try:
            problems = ws.database_problems(url)
        except ArgumentError as exc:
            problems = [str(exc)]
        if problems:
            said = " ".join(say(problem) for problem in problems)
            self._show_result(self.db_result, CheckResult(False, said))
            return
        password = self.db_password.text()
        if password and self.postgres_choice.isChecked():
            url = make_url(url).set(password=password).render_as_string(hide_password=False)
        self.db_test_button.setEnabled(False)
        self._show_result(self.db_result, None)
        self._runner.start("database", lambda: check_database(url))

    def test_opcua(self) -> None:
        """Connect to the server with the security and login the fields say; read its status."""
        opcua = self.current_settings().opcua
        problems = ws.opcua_problems(opcua)
        if problems:
            said = " ".join(say(problem) for problem in problems)
            self._show_result(self.opc_result, CheckResult(False, said))
            return
        choice = ws.choose_plant(None, False, ws.WorkstationSettings(opcua=opcua))
        if self.opc_password.text():
            choice = ws.PlantChoice(
                choice.mode,
                choice.endpoint,
                choice.security,
                choice.username,
                self.opc_password.text(),
                choice.certificate,
                choice.private_key,
            )
        if choice.username and choice.password is None:
            self._show_result(
                self.opc_result,
                CheckResult(
                    False, tr("Type the OPC UA password of {user}.").format(user=choice.username)
                ),
            )
            return
        pki_dir = self.data_dir / "pki"

        def check() -> CheckResult:
            # asyncua loads here, on the pool thread (~0.5 s), not when the dialog opens.
            from desktop.plant.configured import check_server

            return check_server(choice, pki_dir)

        self.opc_test_button.setEnabled(False)
        self._show_result(self.opc_result, None)
        self._runner.start("opcua", check)

    def _on_check_finished(self, which: str, result: CheckResult) -> None:
        if which == "database":
            self.db_test_button.setEnabled(True)
            self._show_result(self.db_result, result)
        else:
            self.opc_test_button.setEnabled(True)
            self._show_result(self.opc_result, result)

    @staticmethod
    def _show_result(label: QLabel, result: CheckResult | None) -> None:
        label.setText(tr("Testing…") if result is None else say(result.message))
        label.setStyleSheet(RESULT_STYLES[None if result is None else result.ok])

    # -- reactions -----------------------------------------------------------------------

    def _on_database_kind_toggled(self) -> None:
        # Shown and hidden rather than stacked, so the dialog is only as tall as the kind chosen.
        self.sqlite_page.setVisible(self.sqlite_choice.isChecked())
        self.postgres_page.setVisible(self.postgres_choice.isChecked())
        self.db_result.clear()

    def _on_sqlite_path_edited(self) -> None:
        """Refuse a network share as soon as the path is typed, not only on save."""
        problems = ws.database_problems(self.database_url())
        if problems:
            said = " ".join(say(problem) for problem in problems)
            self._show_result(self.db_result, CheckResult(False, said))
        else:
            self.db_result.clear()

    def _on_sqlite_browse_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            tr("SQLite database file"),
            self.sqlite_path.text(),
            tr("SQLite database (*.sqlite3 *.db);;All files (*)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.sqlite_path.setText(path)
            self._on_sqlite_path_edited()

    def _browse_into(self, field: QLineEdit, what: str) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            what,
            field.text(),
            tr("Certificates and keys (*.der *.pem *.crt *.key);;All files (*)"),
        )
        if path:
            field.setText(path)

    def _on_plant_mode_changed(self) -> None:
        server = self.plant_mode_value() is ws.PlantMode.SERVER
        for widget in self._server_fields:
            widget.setEnabled(server)
        self.opc_password.setEnabled(server and self._store)
        self.opc_result.clear()

"""Per-workstation settings: which database and OPC UA server this computer uses, the display.

They live in DATA_DIR/workstation.ini, the file Qt's QSettings also keeps the window layout
in, so the desktop app, its settings dialog and headless commands (the monitoring service)
read one file. Passwords never go into it (see `desktop.services.admin.credentials`).

What a start uses, first match wins:
- database: `--db`, then $WRENCHBOOK_DB, then `database/url` here, then the SQLite file in
  the data folder;
- OPC UA: `--no-plant` / `--opcua URL` on the command line, then `opcua/*` here, then the
  built-in simulator when the demo plant is loaded.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.domain.errors import ValidationFailed
from desktop.domain.phrases import Phrase
from desktop.services.admin import credentials
from desktop.store import qt_ini
from desktop.store.network_share import network_share_problem
from desktop.store.paths import DB_FILENAME

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sqlalchemy.engine import URL

SETTINGS_FILE = "workstation.ini"

DATABASE_URL = "database/url"
OPCUA_MODE = "opcua/mode"
OPCUA_ENDPOINT = "opcua/endpoint"
OPCUA_SECURITY = "opcua/security"
OPCUA_POLICY = "opcua/policy"
OPCUA_USERNAME = "opcua/username"
OPCUA_CERTIFICATE = "opcua/certificate"
OPCUA_PRIVATE_KEY = "opcua/private_key"
DISPLAY_ROTATE_SECONDS = "display/rotate_seconds"
DISPLAY_PAGES = "display/pages"
UI_LANGUAGE = "ui/language"
KEYS = (
    DATABASE_URL,
    OPCUA_MODE,
    OPCUA_ENDPOINT,
    OPCUA_SECURITY,
    OPCUA_POLICY,
    OPCUA_USERNAME,
    OPCUA_CERTIFICATE,
    OPCUA_PRIVATE_KEY,
    DISPLAY_ROTATE_SECONDS,
    DISPLAY_PAGES,
    UI_LANGUAGE,
)

# The values of desktop.plant.connection.Security (a test keeps them equal); named here so
# reading the settings does not import asyncua (~0.5 s).
SECURITY_MODES = ("none", "sign", "sign_and_encrypt")
SECURITY_LABELS = {"none": "None", "sign": "Sign", "sign_and_encrypt": "Sign & encrypt"}
POLICIES = ("Basic256Sha256",)
DEFAULT_ROTATE_SECONDS = 20
ROTATE_RANGE = (5, 3600)
DISPLAY_PAGE_IDS = ("board", "kpis", "trends", "work")
LANGUAGE_CODES = ("en", "de", "pl", "tr")
"""The languages the app ships (ui/i18n.py); empty `ui/language`: Windows' display language."""
"""The control-room display's pages in rotation order; `display/pages` picks from them."""


class PlantMode(StrEnum):
    DEMO = "demo"  # the built-in simulator, when the demo plant is loaded
    SERVER = "server"
    OFF = "off"


@dataclass(frozen=True)
class OpcUaSettings:
    mode: PlantMode = PlantMode.DEMO
    endpoint: str = ""
    security: str = "none"
    policy: str = POLICIES[0]
    username: str = ""
    certificate: str = ""
    private_key: str = ""


@dataclass(frozen=True)
class WorkstationSettings:
    database_url: str = ""  # empty: the SQLite file in the data folder
    opcua: OpcUaSettings = field(default_factory=OpcUaSettings)
    rotate_seconds: int = DEFAULT_ROTATE_SECONDS
    pages: tuple[str, ...] = ()  # empty: every page the display has
    language: str = ""  # empty: the language Windows shows

    def to_values(self) -> dict[str, str]:
        """Every key as the text the file holds."""
        o = self.opcua
        return {
            DATABASE_URL: self.database_url,
            OPCUA_MODE: o.mode.value,
            OPCUA_ENDPOINT: o.endpoint,
            OPCUA_SECURITY: o.security,
            OPCUA_POLICY: o.policy,
            OPCUA_USERNAME: o.username,
            OPCUA_CERTIFICATE: o.certificate,
            OPCUA_PRIVATE_KEY: o.private_key,
            DISPLAY_ROTATE_SECONDS: str(self.rotate_seconds),
            DISPLAY_PAGES: ",".join(self.pages),
            UI_LANGUAGE: self.language,
        }

    @classmethod
    def from_values(cls, values: Mapping[str, object]) -> WorkstationSettings:
        """Lenient: a value that cannot be read falls back to its default (`problems()` then
        names what a person typed wrong; a start must not fail on a hand-edited file)."""

        def text(key: str) -> str:
            value = values.get(key)
            if isinstance(value, list | tuple):
                return ",".join(str(v) for v in value)
            return "" if value is None else str(value).strip()

        try:
            mode = PlantMode(text(OPCUA_MODE) or PlantMode.DEMO.value)
        except ValueError:
            mode = PlantMode.DEMO
        try:
            rotate = int(text(DISPLAY_ROTATE_SECONDS) or DEFAULT_ROTATE_SECONDS)
        except ValueError:
            rotate = DEFAULT_ROTATE_SECONDS
        opcua = OpcUaSettings(
            mode,
            text(OPCUA_ENDPOINT),
            text(OPCUA_SECURITY) or "none",
            text(OPCUA_POLICY) or POLICIES[0],
            text(OPCUA_USERNAME),
            text(OPCUA_CERTIFICATE),
            text(OPCUA_PRIVATE_KEY),
        )
        pages = tuple(p.strip() for p in text(DISPLAY_PAGES).split(",") if p.strip())
        return cls(text(DATABASE_URL), opcua, rotate, pages, text(UI_LANGUAGE).lower())


def default_sqlite_path(data_dir: Path) -> Path:
    return data_dir / DB_FILENAME


def _read_url(url: str) -> URL:
    """SQLAlchemy's reading of `url`. SQLAlchemy loads here, on first use: the desktop app reads
    this module's keys and language before its window shows, and that comes first."""
    from sqlalchemy.engine import make_url as read

    return read(url)


def parse_url(url: str) -> URL | None:
    """`url` read by SQLAlchemy, None when it is not a database URL at all."""
    from sqlalchemy.exc import ArgumentError

    try:
        return _read_url(url)
    except (ArgumentError, ValueError):  # ValueError: e.g. a port that is not a number
        return None


def database_problems(url: str) -> list[str]:
    """What is wrong with a database URL a person entered (empty: it may be used)."""
    if not url:
        return []
    parsed = parse_url(url)
    if parsed is None:
        return [
            "cannot read the database URL: write e.g. sqlite:///C:/Wrenchbook/wrenchbook.sqlite3 "
            "or postgresql+psycopg://user@server/wrenchbook"
        ]
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            return ["give the SQLite file's path (an in-memory database keeps nothing)"]
        problem = network_share_problem(parsed.database)
        return [problem] if problem else []
    if backend != "postgresql":
        return [
            Phrase(
                "unsupported database {drivername}: use SQLite or PostgreSQL",
                drivername=repr(parsed.drivername),
            )
        ]
    problems = []
    if parsed.password is not None:
        problems.append(
            "take the password out of the URL: the settings file is readable by anyone on "
            "this computer; the password goes into the password field"
        )
    if not parsed.host:
        problems.append("give the PostgreSQL server's host name")
    if not parsed.database:
        problems.append("give the name of the database on the server")
    return problems


def opcua_problems(opcua: OpcUaSettings) -> list[str]:
    problems = []
    if opcua.mode is PlantMode.SERVER and not opcua.endpoint.startswith("opc.tcp://"):
        problems.append("write the OPC UA endpoint as opc.tcp://host:port/path")
    if opcua.security not in SECURITY_MODES:
        problems.append(
            Phrase(
                "OPC UA security must be one of {security_modes}",
                security_modes=", ".join(SECURITY_MODES),
            )
        )
    if opcua.policy not in POLICIES:
        problems.append(
            Phrase("OPC UA security policy must be one of {policies}", policies=", ".join(POLICIES))
        )
    if bool(opcua.certificate) != bool(opcua.private_key):
        problems.append("give both the client certificate and its private key, or neither")
    for label, path in (("client certificate", opcua.certificate), ("key", opcua.private_key)):
        if path and not Path(path).is_file():
            problems.append(
                Phrase("the {label} file {path} does not exist", label=label, path=path)
            )
    return problems


def problems(settings: WorkstationSettings) -> list[str]:
    found = database_problems(settings.database_url) + opcua_problems(settings.opcua)
    low, high = ROTATE_RANGE
    if not low <= settings.rotate_seconds <= high:
        found.append(f"the display rotation must be {low} to {high} seconds per page")
    bad = [p for p in settings.pages if p not in DISPLAY_PAGE_IDS]
    if bad:
        found.append(f"the display has no page {', '.join(bad)}: use {', '.join(DISPLAY_PAGE_IDS)}")
    if settings.language and settings.language not in LANGUAGE_CODES:
        found.append(
            f"no language {settings.language}: use {', '.join(LANGUAGE_CODES)} or leave it empty"
        )
    return found


def settings_path(data_dir: Path) -> Path:
    return data_dir / SETTINGS_FILE


def load(data_dir: Path) -> WorkstationSettings:
    return WorkstationSettings.from_values(qt_ini.read(settings_path(data_dir)))


def check(settings: WorkstationSettings) -> None:
    """Raise ValidationFailed naming every problem."""
    found = problems(settings)
    if found:
        raise ValidationFailed({"settings": "; ".join(found)})


def save(data_dir: Path, settings: WorkstationSettings) -> None:
    """Write the settings (other keys in the file stay); refused whole when anything is wrong."""
    check(settings)
    qt_ini.update(settings_path(data_dir), settings.to_values())


# -- passwords -------------------------------------------------------------------------------


def database_account(url: str) -> str:
    """The credential-store entry of a PostgreSQL login: user@host:port/database."""
    parsed = _read_url(url)
    return f"{parsed.username or ''}@{parsed.host or 'localhost'}:{parsed.port or 5432}/" + (
        parsed.database or ""
    )


def opcua_account(opcua: OpcUaSettings) -> str:
    return f"{opcua.username}@{opcua.endpoint}"


def with_saved_password(url: str) -> str:
    """A PostgreSQL URL with the password from the credential store, when one is saved and
    the URL has none (else libpq looks in PGPASSWORD and the pgpass file itself)."""
    parsed = _read_url(url)
    if parsed.get_backend_name() != "postgresql" or parsed.password is not None:
        return url
    password = credentials.get(credentials.DATABASE, database_account(url))
    if password is None:
        return url
    return parsed.set(password=password).render_as_string(hide_password=False)


def without_password(url: str) -> tuple[str, str | None]:
    """The URL to keep in the file and the password taken out of it."""
    parsed = parse_url(url)
    if parsed is None:
        return url, None  # not a URL at all: `problems()` says so
    if parsed.password is None:
        return url, None
    password = str(parsed.password)
    # URL.set() ignores None, so the password is dropped through the named tuple.
    return parsed._replace(password=None).render_as_string(hide_password=False), password


# -- what a start uses -----------------------------------------------------------------------


@dataclass(frozen=True)
class DatabaseChoice:
    url: str  # may hold a password: show `redact_url(url)`, never the URL itself
    source: str
    # Given by --db or $WRENCHBOOK_DB: the settings file cannot change it.
    overridden: bool = False


def choose_database(
    cli_url: str | None,
    data_dir: Path,
    settings: WorkstationSettings,
    environ: Mapping[str, str] = os.environ,
) -> DatabaseChoice:
    if cli_url:
        url, source = cli_url, "the command line (--db)"
    elif environ.get("WRENCHBOOK_DB"):
        url, source = environ["WRENCHBOOK_DB"], "$WRENCHBOOK_DB"
    elif settings.database_url:
        url, source = settings.database_url, f"the settings file {settings_path(data_dir)}"
    else:
        url, source = f"sqlite:///{default_sqlite_path(data_dir)}", "the default"
    overridden = bool(cli_url or environ.get("WRENCHBOOK_DB"))
    if parse_url(url) is None:
        # Database() names the unreadable URL; the choice only reports where it came from.
        return DatabaseChoice(url, source, overridden)
    return DatabaseChoice(with_saved_password(url), source, overridden)


@dataclass(frozen=True)
class PlantChoice:
    """The OPC UA server a start connects to (mode DEMO: the simulator, if the demo is loaded)."""

    mode: PlantMode
    endpoint: str = ""
    security: str = "none"
    username: str | None = None
    password: str | None = None
    certificate: Path | None = None
    private_key: Path | None = None


def choose_plant(
    cli_endpoint: str | None,
    no_plant: bool,
    settings: WorkstationSettings,
    environ: Mapping[str, str] = os.environ,
) -> PlantChoice:
    """--no-plant, --opcua (with the file's security and login), the file, the simulator."""
    opcua = settings.opcua
    if no_plant:
        return PlantChoice(PlantMode.OFF)
    if cli_endpoint:
        opcua = replace(opcua, mode=PlantMode.SERVER, endpoint=cli_endpoint)
    if opcua.mode is not PlantMode.SERVER:
        return PlantChoice(opcua.mode)
    password = None
    if opcua.username:
        password = environ.get(credentials.OPC_PASSWORD_ENV)
        if password is None:
            password = credentials.get(credentials.OPCUA, opcua_account(opcua))
    return PlantChoice(
        PlantMode.SERVER,
        opcua.endpoint,
        opcua.security,
        opcua.username or None,
        password,
        Path(opcua.certificate) if opcua.certificate else None,
        Path(opcua.private_key) if opcua.private_key else None,
    )

"""Log-in on a site server with personal logins: the workstation connects as the person.

A PostgreSQL database URL without a user name means the site gives every person their own
database login (`wb_<user name>`, their Wrenchbook password; desktop.store.db_roles). The
workstation then holds no database secret at all: it opens the database only when someone
logs in, with the name and password they typed, so the database applies that person's grants
to everything the app does for them. A URL with a user name is the other case: SQLite, a
site's older shared login, or a service login (the control-room display, the monitor).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from desktop.domain.errors import AuthenticationFailed
from desktop.domain.phrases import Phrase
from desktop.services.admin.users import UserService
from desktop.store.database import Database
from desktop.store.db_roles import login_name
from desktop.store.migrate import upgrade

if TYPE_CHECKING:
    from desktop.domain.permissions import Actor

_WRONG = Phrase("unknown user or wrong password")

# What libpq says when the server refused the login itself (wrong password, no such login, a
# deactivated leaver's login). Anything else (server down, TLS) is not the person's fault and
# is reported as it is.
_REFUSED_LOGIN = (
    "password authentication failed",
    "does not exist",
    "is not permitted to log in",
    "no password supplied",
)


def is_login_refusal(reason: str) -> bool:
    """The server answered and refused the login (not: it is down or TLS failed)."""
    return any(words in reason.lower() for words in _REFUSED_LOGIN)


def uses_personal_logins(url: str) -> bool:
    """A PostgreSQL URL that names no user: every person connects as themselves."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return False
    return parsed.get_backend_name() == "postgresql" and not parsed.username


@dataclass(frozen=True)
class SignedIn:
    """The database as the person's own login sees it, and who they are in Wrenchbook."""

    db: Database
    actor: Actor


class PersonalSignIn:
    """Opens the site database as whoever logs in; one per start of the app."""

    def __init__(self, url: str) -> None:
        self.url = url

    def login_url(self, username: str, password: str) -> str:
        """The server URL with the person's own login and password (kept in memory only)."""
        parsed = make_url(self.url).set(username=login_name(username), password=password)
        return parsed.render_as_string(hide_password=False)

    def sign_in(self, username: str, password: str) -> SignedIn:
        """Connect as the person, check the schema, then log in as usual (lock-out, roles).

        The server checks the password first (its refusal says no more than a wrong
        password); the app's own check then applies the lock-out and a deactivated account.
        A schema behind the app is refused with the fix (`SchemaBehind`): personal logins
        never migrate.
        """
        if not username.strip() or not password:
            raise AuthenticationFailed(_WRONG)
        db = Database(self.login_url(username, password))
        try:
            try:
                with db.engine.connect():
                    pass
            except OperationalError as exc:
                if is_login_refusal(str(exc.orig)):
                    raise AuthenticationFailed(_WRONG) from None
                raise
            upgrade(db)
            actor = UserService(db).authenticate(username, password)
        except BaseException:
            db.dispose()
            raise
        return SignedIn(db, actor)

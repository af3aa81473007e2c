"""Log-in on a site server with personal logins: the workstation connects as the person.

A PostgreSQL database URL without a user name means the site gives every person their own
database login (`wb_<user name>`, their Wrenchbook password; desktop.store.db_roles). The
workstation then holds no database secret at all: it opens the database only when someone
logs in, with the name and password they typed, so the database applies that person's grants
to everything the app does for them. A URL with a user name is the other case: SQLite, a
site's older shared login, or a service login (the control-room display, the monitor).

Where the site has Windows/Kerberos sign-on (`sign_on`), the server itself authenticates the
person's domain account (GSSAPI; SSPI on Windows) and maps it to their login, so nobody types
a password and the app checks none: who they are is the server's `session_user`.
"""

from __future__ import annotations

import getpass
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from desktop.domain.errors import AuthenticationFailed
from desktop.domain.phrases import Phrase
from desktop.services.admin.users import UserService
from desktop.store.database import Database
from desktop.store.db_roles import GATE_LOGIN, GATE_PASSWORD, login_name
from desktop.store.migrate import upgrade

if TYPE_CHECKING:
    from desktop.domain.permissions import Actor

_log = logging.getLogger(__name__)
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


_NO_TICKET = Phrase(
    "no Windows sign-on on this computer (no Kerberos ticket): log in to the domain "
    "(or run kinit), or log in with your password"
)
_NOT_OFFERED = Phrase("the server does not offer Windows sign-on here: log in with your password")


def os_account() -> str:
    """The name of the account logged in to this computer (the Windows domain account)."""
    return getpass.getuser()


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
                    self._count_refusal(username)
                    raise AuthenticationFailed(_WRONG) from None
                raise
            upgrade(db)
            actor = UserService(db).authenticate(username, password)
        except BaseException:
            db.dispose()
            raise
        return SignedIn(db, actor)

    def sign_on(self, username: str | None = None) -> SignedIn:
        """Windows/Kerberos sign-on: connect as `wb_<account>` with no password.

        libpq hands the server the ticket of the account logged in to this computer (SSPI on
        Windows, the Kerberos credential cache elsewhere); the server checks it and its
        pg_ident.conf map decides which login that account may be. `username` (default: this
        computer's account) only says which login to ask for: who signed on is then read
        from the server's `session_user`, never from what this computer claims. A
        deactivated or locked account is refused as at any log-in.
        """
        name = (username or os_account()).strip()
        url = make_url(self.url).set(username=login_name(name), password=None)
        if "gssencmode" not in url.query:
            # Kerberos proves who signs on; TLS, checked as for any log-in, carries the data.
            url = url.update_query_dict({"gssencmode": "disable"})
        db = Database(url.render_as_string(hide_password=False))
        try:
            try:
                with db.engine.connect():
                    pass
            except OperationalError as exc:
                refusal = _sign_on_refusal(str(exc.orig), name)
                if refusal is None:
                    raise
                raise AuthenticationFailed(refusal) from None
            upgrade(db)
            actor = UserService(db).authenticate_signed_on()
        except BaseException:
            db.dispose()
            raise
        return SignedIn(db, actor)

    def _count_refusal(self, username: str) -> None:
        """The server refused the person's password: count it towards the lock-out through
        the log-in gate (the server's clock; an unknown name costs the same and counts for
        nobody). A site whose server does not let the gate in still refuses the log-in."""
        gate = Database(
            make_url(self.url)
            .set(username=GATE_LOGIN, password=GATE_PASSWORD)
            .render_as_string(hide_password=False)
        )
        try:
            with gate.engine.begin() as connection:
                connection.execute(text("SELECT wb_login_refused(:name)"), {"name": username})
        except DBAPIError as exc:
            _log.warning("refused log-in not counted (the log-in gate): %s", exc.orig)
        finally:
            gate.dispose()


def _sign_on_refusal(reason: str, name: str) -> str | None:
    """What a person is told when the server refused their Windows sign-on (None: it did
    not refuse it; it is down, or TLS failed)."""
    lowered = reason.lower()
    if "continuation error" in lowered or ("credentials" in lowered and "gssapi" in lowered):
        # libpq's own words when this computer has no ticket to offer (GSSAPI or SSPI)
        return _NO_TICKET
    if "no password supplied" in lowered or "password authentication failed" in lowered:
        return _NOT_OFFERED
    if is_login_refusal(reason) or "gssapi authentication failed" in lowered:
        return Phrase(
            "Windows sign-on refused: the server does not let this Windows account log in "
            "as '{name}' (no such user, deactivated, or another person's)",
            name=name,
        )
    return None

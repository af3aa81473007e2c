"""Users, technicians, passwords and log-in."""

from __future__ import annotations

import functools
import math
import os
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, text

from desktop.domain.enums import Role, Status
from desktop.domain.errors import (
    AccountLocked,
    AuthenticationFailed,
    NotFound,
    ValidationFailed,
)
from desktop.domain.login_policy import LOCKOUT, MAX_FAILED_LOGINS
from desktop.domain.permissions import Action, Actor, require
from desktop.domain.phrases import Listing, Phrase
from desktop.services.shared import audit, revisions
from desktop.services.shared.clock import Clock, utc_now
from desktop.store.db_roles import login_name, sync_login
from desktop.store.models import Assignment, User, WorkOrder

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from sqlalchemy.orm import Session

    from desktop.store.database import Database

MIN_PASSWORD_LENGTH = 10
PIN_LENGTHS = range(4, 9)
_WRONG = Phrase("unknown user or wrong password")
OPEN_STATUSES = tuple(status for status in Status if status.is_open)
CHEAP_HASHING_ENV = "WRENCHBOOK_CHEAP_PASSWORD_HASHING"
"""Set to 1 by the test suite only: argon2 at its cheapest instead of 64 MiB and 3 passes."""


def _make_hasher() -> PasswordHasher:
    """argon2-cffi's defaults (RFC 9106's low-memory profile) in production. The suite hashes
    and checks thousands of passwords and PINs at ~50 ms each, so its processes set
    CHEAP_HASHING_ENV; a hash records its own parameters, so checks follow whichever made it."""
    if os.environ.get(CHEAP_HASHING_ENV) == "1":
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    return PasswordHasher()


_hasher = _make_hasher()

# The words a guesser tries first, before any digit or symbol is added (NCSC and NIST
# SP 800-63B 5.1.1.2 blocklists: common passwords, the service's name, seasons, days).
_COMMON_WORDS = frozenset(
    [
        "password",
        "passwort",
        "passw0rd",
        "welcome",
        "letmein",
        "qwerty",
        "qwertz",
        "azerty",
        "admin",
        "administrator",
        "wrenchbook",
        "maintenance",
        "changeme",
        "iloveyou",
        "dragon",
        "football",
        "monkey",
        "sunshine",
        "princess",
        "secret",
        "master",
        "login",
        "abc",
        "abcdef",
        "test",
        "guest",
        "user",
        "summer",
        "winter",
        "spring",
        "autumn",
        "fall",
        "january",
        "monday",
        "friday",
        "company",
        "plant",
        "factory",
    ]
)
_LEET = str.maketrans("@4301!$5€", "aaeoiisse")

# Keypad lines and the most used PINs after repeats and runs (DataGenetics' 3.4M-PIN study).
_COMMON_PINS = frozenset(
    [
        "2580",
        "0852",
        "1470",
        "0741",
        "3690",
        "0963",
        "1379",
        "9731",
        "1004",
        "2000",
        "2001",
        "6969",
        "1998",
        "1999",
        "2468",
        "1357",
    ]
)


@dataclass(frozen=True)
class UserRecord:
    id: int
    username: str
    full_name: str
    role: Role
    craft: str | None
    hourly_rate: float
    weekly_hours: float
    active: bool


@dataclass(frozen=True)
class NewUser:
    username: str
    full_name: str
    role: Role
    password: str
    craft: str | None = None
    hourly_rate: float = 0.0
    weekly_hours: float = 0.0


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_problems(password: str, username: str = "") -> list[str]:
    """What a password lacks; never quotes it back. NIST SP 800-63B 5.1.1.2 asks for a check
    against context words such as the user name, the first thing a guesser tries."""
    problems: list[str] = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(
            Phrase(
                "at least {min_password_length} characters", min_password_length=MIN_PASSWORD_LENGTH
            )
        )
    if password.isalpha() or password.isdigit():
        problems.append("letters and at least one digit or symbol")
    name = username.strip().lower()
    if len(name) >= 3 and name in password.lower():
        problems.append("no user name in it")
    if password != password.strip():
        problems.append("no spaces at the start or end")
    # Digits and symbols tacked on at either end come off; l33t inside the word is undone.
    word = password.strip().lower().strip("0123456789!?#*+-_.,;:%&/=()[]{}~^'\" ")
    core = "".join(c for c in word.translate(_LEET) if c.isalpha())
    if core in _COMMON_WORDS:
        problems.append("not a common word with digits or symbols added (like Password1!)")
    return problems


def pin_problems(pin: str) -> list[str]:
    """Why a PIN is too easy to guess; an empty list when it may be set."""
    if not pin.isascii() or not pin.isdigit() or len(pin) not in PIN_LENGTHS:
        return [
            Phrase(
                "{shortest} to {longest} digits",
                shortest=PIN_LENGTHS.start,
                longest=PIN_LENGTHS.stop - 1,
            )
        ]
    steps = {int(b) - int(a) for a, b in pairwise(pin)}
    if steps in ({0}, {1}, {-1}):
        return ["not one digit repeated or a run like 1234"]
    repeated = any(
        len(pin) % size == 0 and pin == pin[:size] * (len(pin) // size)
        for size in range(1, len(pin) // 2 + 1)
    )
    if repeated or pin in _COMMON_PINS:
        return ["not a repeated pattern like 1212 or a keypad line like 2580"]
    return []


@dataclass(frozen=True)
class UserAccount:
    """A user as the users form shows it: the record, its state, and the revision a save of
    the form is based on (desktop.services.shared.revisions)."""

    record: UserRecord
    locked_until: datetime | None
    has_pin: bool
    deactivated_at: datetime | None
    revision: int

    @property
    def username(self) -> str:
        return self.record.username


@dataclass(frozen=True)
class UserChanges:
    """What an administrator may change of an existing user (the name stays: it logs in)."""

    full_name: str
    role: Role
    craft: str | None
    hourly_rate: float
    weekly_hours: float


def profile_problems(full_name: str, hourly_rate: float, weekly_hours: float) -> dict[str, str]:
    """Field problems of a user's name, rate and hours (new or changed)."""
    problems: dict[str, str] = {}
    if not full_name.strip():
        problems["full_name"] = "required"
    elif len(full_name.strip()) > 200:
        problems["full_name"] = "at most 200 characters"
    # NaN and infinity pass a plain comparison; the command line's float() accepts both.
    if not math.isfinite(hourly_rate):
        problems["hourly_rate"] = "must be a number"
    elif hourly_rate < 0:
        problems["hourly_rate"] = "must not be negative"
    if not math.isfinite(weekly_hours) or not 0 <= weekly_hours <= 80:
        problems["weekly_hours"] = "must be between 0 and 80"
    return problems


def validate_new_user(new: NewUser) -> dict[str, str]:
    """Field problems of a new user; empty when it can be saved."""
    problems: dict[str, str] = {}
    username = new.username.strip()
    if not username or not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        problems["username"] = "letters, digits, '.', '_' or '-' only, not empty"
    elif len(username) > 64:
        problems["username"] = "at most 64 characters"
    pw = password_problems(new.password, username)
    if pw:
        problems["password"] = Phrase("needs {rules}", rules=Listing(tuple(pw), " and "))
    return problems | profile_problems(new.full_name, new.hourly_rate, new.weekly_hours)


@functools.cache
def _timing_hash() -> str:
    """A hash no input matches, verified for unknown names (argon2 costs the same time)."""
    return _hasher.hash(os.urandom(16).hex())


def _matches(stored_hash: str, secret: str) -> bool:
    try:
        return _hasher.verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def _locked_text(user: User) -> Phrase:
    until = (
        Phrase("{time} UTC", time=user.locked_until.strftime("%H:%M"))
        if user.locked_until
        else Phrase("later")
    )
    return Phrase(
        "{username} is locked after {failures} failed log-ins until {until}; "
        "wait, or ask an administrator to unlock the account",
        username=user.username,
        failures=MAX_FAILED_LOGINS,
        until=until,
    )


def _record(user: User) -> UserRecord:
    return UserRecord(
        user.id,
        user.username,
        user.full_name,
        user.role,
        user.craft,
        user.hourly_rate,
        user.weekly_hours,
        user.active,
    )


def _snapshot(user: User) -> dict[str, object]:
    """What the audit trail keeps of a user: never the password hash."""
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role.value,
        "craft": user.craft,
        "hourly_rate": user.hourly_rate,
        "weekly_hours": user.weekly_hours,
        "active": user.active,
        "locked_until": user.locked_until.isoformat() if user.locked_until else None,
    }


def _account(user: User, revision: int) -> UserAccount:
    return UserAccount(
        _record(user), user.locked_until, user.pin_hash is not None, user.deactivated_at, revision
    )


class UserService:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock

    def has_users(self) -> bool:
        with self._db.unit_of_work(write=False) as session:
            return session.execute(select(func.count(User.id))).scalar_one() > 0

    def create_first_admin(self, username: str, full_name: str, password: str) -> UserRecord:
        """The first account of a new database; refused once any user exists."""
        new = NewUser(username, full_name, Role.ADMIN, password)
        with self._db.unit_of_work() as session:
            if session.execute(select(func.count(User.id))).scalar_one():
                raise ValidationFailed({"username": "users exist already; log in as an admin"})
            return self.insert(session, None, new)

    def create(self, actor: Actor, new: NewUser) -> UserRecord:
        require(actor, Action.MANAGE_USERS)
        with self._db.unit_of_work() as session:
            return self.insert(session, actor, new)

    def insert(self, session: Session, actor: Actor | None, new: NewUser) -> UserRecord:
        """Validate and add one user in the caller's unit of work (imports add many)."""
        problems = validate_new_user(new)
        username = new.username.strip()
        if (
            not problems
            and session.execute(
                select(User.id).where(func.lower(User.username) == username.lower())
            ).first()
        ):
            problems["username"] = Phrase("{username} is taken", username=username)
        if problems:
            raise ValidationFailed(problems)
        user = User(
            username=username,
            full_name=new.full_name.strip(),
            role=new.role,
            craft=new.craft,
            hourly_rate=new.hourly_rate,
            weekly_hours=new.weekly_hours,
            password_hash=hash_password(new.password),
            active=True,
            created_at=self._clock(),
        )
        session.add(user)
        session.flush()
        sync_login(session, username, new.password, new.role)
        audit.record(
            session, actor, "create", "user", user.id, None, _snapshot(user), self._clock()
        )
        return _record(user)

    def authenticate(self, username: str, password: str) -> Actor:
        """The actor for a correct user name and password; one vague error otherwise.

        Failures count towards the lock-out, which a correct password does not lift early.
        """
        return self._log_in(
            username,
            lambda user: _matches(user.password_hash, password),
            lambda session, user: _first_database_login(session, user, password),
        )

    def authenticate_signed_on(self) -> Actor:
        """The person the database server authenticated itself (Windows/Kerberos sign-on).

        No password is checked here: the server checked the domain account's ticket and
        mapped it to this login. The name is the server's (`session_user` of a personal
        login, through `wb_app_user()`), never one the workstation claims; a deactivated or
        locked account is refused as at any log-in.
        """
        with self._db.unit_of_work(write=False) as session:
            name: str | None = None
            if session.get_bind().dialect.name == "postgresql":
                name = session.execute(
                    text("SELECT CASE WHEN wb_enforced() THEN wb_app_user() END")
                ).scalar_one()
        if name is None:
            raise AuthenticationFailed("this database login is no person's own: no sign-on")
        return self._log_in(name, lambda _user: True)

    def authenticate_pin(self, username: str, pin: str) -> Actor:
        """The actor for a user's operator PIN (control-room display); same lock-out."""
        return self._log_in(
            username, lambda user: user.pin_hash is not None and _matches(user.pin_hash, pin)
        )

    def _log_in(
        self,
        username: str,
        check: Callable[[User], bool],
        proven: Callable[[Session, User], None] | None = None,
    ) -> Actor:
        with self._db.unit_of_work() as session:
            postgres = session.get_bind().dialect.name == "postgresql"
            now = self._clock()
            if postgres:
                # A personal login's lock-out runs on the server's clock, not this computer's.
                now = session.execute(select(func.wb_trusted_now(now))).scalar_one()
            user = session.execute(
                select(User)
                .where(func.lower(User.username) == username.strip().lower())
                .with_for_update()
            ).scalar_one_or_none()
            if user is None or not user.active:
                # Hash anyway: an unknown name must take as long to refuse as a wrong password,
                # or the refusal time tells a guesser which names exist.
                _matches(_timing_hash(), username)
                raise AuthenticationFailed(_WRONG)
            if user.locked_until is not None and user.locked_until > now:
                raise AccountLocked(_locked_text(user))
            if check(user):
                if user.failed_logins and postgres:
                    # The database resets only one's own count (a personal login proved it).
                    session.execute(
                        text("SELECT wb_login_succeeded(:name, :now)"),
                        {"name": user.username, "now": now},
                    )
                elif user.failed_logins:
                    user.failed_logins = 0
                if postgres and proven is not None:
                    proven(session, user)
                return Actor(user.id, user.username, user.role)
            refusal = AuthenticationFailed(_WRONG)
            if postgres:
                # Counted by the database: personal logins may not write the counters.
                session.execute(
                    text("SELECT wb_login_failed(:name, :now)"),
                    {"name": user.username, "now": now},
                )
                session.refresh(user)
            else:
                user.failed_logins += 1
                if user.failed_logins >= MAX_FAILED_LOGINS:
                    user.failed_logins = 0
                    user.locked_until = now + LOCKOUT
            if user.locked_until is not None and user.locked_until > now:
                audit.record(session, None, "lock", "user", user.id, None, _snapshot(user), now)
                refusal = AccountLocked(_locked_text(user))
        # Raised after the unit of work, so the count and the lock are committed first.
        raise refusal

    def unlock(self, actor: Actor, username: str) -> None:
        """An administrator lifts a lock-out before it runs out."""
        require(actor, Action.MANAGE_USERS)
        with self._db.unit_of_work() as session:
            user = self._user(session, username)
            before = _snapshot(user)
            user.failed_logins = 0
            user.locked_until = None
            audit.record(
                session, actor, "unlock", "user", user.id, before, _snapshot(user), self._clock()
            )

    def recover(self, username: str) -> None:
        """Lift a lock-out without an administrator's log-in: the last admin's way back.

        Guessing at every admin's password would otherwise keep them all locked for good.
        Allowed only to a connection that may change the schema (the migrator login, the
        owner of a SQLite file): the callers check `may_migrate` first. Audited as system.
        """
        with self._db.unit_of_work() as session:
            user = self._user(session, username)
            before = _snapshot(user)
            user.failed_logins = 0
            user.locked_until = None
            after = _snapshot(user)
            audit.record(session, None, "recover", "user", user.id, before, after, self._clock())

    def set_password(self, actor: Actor, username: str, password: str) -> None:
        """Administrators reset anyone's password; everybody else only their own."""
        if actor.username != username:
            require(actor, Action.MANAGE_USERS)
        problems = password_problems(password, username)
        if problems:
            raise ValidationFailed(
                {"password": Phrase("needs {rules}", rules=Listing(tuple(problems), " and "))}
            )
        with self._db.unit_of_work() as session:
            user = self._user(session, username)
            user.password_hash = hash_password(password)
            sync_login(session, user.username, password, None)
            if actor.username != username:
                # An administrator's reset lifts a lock; nobody lifts their own.
                user.failed_logins = 0
                user.locked_until = None
            audit.record(session, actor, "set password", "user", user.id, None, None, self._clock())

    def set_pin(self, actor: Actor, username: str, pin: str | None) -> None:
        """Set or (with None) remove a user's operator PIN; own PIN or an administrator."""
        if actor.username != username:
            require(actor, Action.MANAGE_USERS)
        problems = [] if pin is None else pin_problems(pin)
        if problems:
            raise ValidationFailed(
                {"pin": Phrase("needs {rules}", rules=Listing(tuple(problems), " and "))}
            )
        with self._db.unit_of_work() as session:
            user = self._user(session, username)
            user.pin_hash = None if pin is None else hash_password(pin)
            verb = "remove PIN" if pin is None else "set PIN"
            audit.record(session, actor, verb, "user", user.id, None, None, self._clock())

    # -- the users form ------------------------------------------------------------------

    def accounts(self) -> list[UserAccount]:
        """Every user, leavers included, with lock, PIN and revision (the users list)."""
        with self._db.unit_of_work(write=False) as session:
            users = session.execute(select(User).order_by(User.username)).scalars().all()
            found = revisions.revisions(session, "user", (u.id for u in users))
            return [_account(u, found[str(u.id)]) for u in users]

    def account(self, username: str) -> UserAccount:
        with self._db.unit_of_work(write=False) as session:
            user = self._user(session, username)
            return _account(user, revisions.revision(session, "user", user.id))

    def update(
        self, actor: Actor, username: str, revision: int, changes: UserChanges
    ) -> UserAccount:
        """Change a user's name, role, craft, rate or hours; refused if saved meanwhile.

        The last active administrator keeps the role, so somebody can always manage users.
        """
        require(actor, Action.MANAGE_USERS)
        problems = profile_problems(changes.full_name, changes.hourly_rate, changes.weekly_hours)
        if changes.craft is not None and len(changes.craft) > 64:
            problems["craft"] = "at most 64 characters"
        if problems:
            raise ValidationFailed(problems)
        with self._db.unit_of_work() as session:
            user = self._locked_user(session, username)
            revisions.check(session, "user", user.id, revision, user.username)
            if (
                user.role is Role.ADMIN
                and changes.role is not Role.ADMIN
                and user.active
                and not self._other_active_admins(session, user)
            ):
                raise ValidationFailed(
                    {"role": "the last active administrator stays one; make another first"}
                )
            # On PostgreSQL a changed role moves the person's login into its group by itself
            # (the users trigger of migration 0017).
            before = _snapshot(user)
            user.full_name = changes.full_name.strip()
            user.role = changes.role
            user.craft = (changes.craft or "").strip() or None
            user.hourly_rate = changes.hourly_rate
            user.weekly_hours = changes.weekly_hours
            entry = audit.record(
                session, actor, "update", "user", user.id, before, _snapshot(user), self._clock()
            )
            return _account(user, entry.seq)

    def set_active(self, actor: Actor, username: str, revision: int, active: bool) -> list[str]:
        """Deactivate a leaver (they can no longer log in, by password or PIN) or take them
        back. Their history stays. Returns the open orders they are still assigned to, so
        the form can name them for re-planning.
        """
        require(actor, Action.MANAGE_USERS)
        with self._db.unit_of_work() as session:
            user = self._locked_user(session, username)
            revisions.check(session, "user", user.id, revision, user.username)
            if not active and user.id == actor.user_id:
                raise ValidationFailed({"active": "you cannot deactivate your own account"})
            if (
                not active
                and user.role is Role.ADMIN
                and not self._other_active_admins(session, user)
            ):
                raise ValidationFailed(
                    {"active": "the last active administrator cannot be deactivated"}
                )
            if user.active is active:
                return []
            before = _snapshot(user)
            now = self._clock()
            user.active = active
            user.deactivated_at = None if active else now
            verb = "reactivate" if active else "deactivate"
            audit.record(session, actor, verb, "user", user.id, before, _snapshot(user), now)
            if active:
                return []
            return list(
                session.execute(
                    select(WorkOrder.number)
                    .join(Assignment, Assignment.work_order_id == WorkOrder.id)
                    .where(Assignment.user_id == user.id, WorkOrder.status.in_(OPEN_STATUSES))
                    .order_by(WorkOrder.number)
                ).scalars()
            )

    @staticmethod
    def _other_active_admins(session: Session, user: User) -> int:
        return session.execute(
            select(func.count(User.id)).where(
                User.role == Role.ADMIN, User.active.is_(True), User.id != user.id
            )
        ).scalar_one()

    @staticmethod
    def _locked_user(session: Session, username: str) -> User:
        user = session.execute(
            select(User)
            .where(func.lower(User.username) == username.strip().lower())
            .with_for_update()
        ).scalar_one_or_none()
        if user is None:
            raise NotFound(Phrase("no user {username}", username=username))
        return user

    def _user(self, session: Session, username: str) -> User:
        user = session.execute(
            select(User).where(func.lower(User.username) == username.strip().lower())
        ).scalar_one_or_none()
        if user is None:
            raise NotFound(Phrase("no user {username}", username=username))
        return user

    def actor_for(self, username: str) -> Actor:
        """The actor of an existing active user, for trusted local processes (demo, tests)."""
        with self._db.unit_of_work(write=False) as session:
            user = session.execute(
                select(User).where(User.username == username)
            ).scalar_one_or_none()
            if user is None or not user.active:
                raise NotFound(Phrase("no active user {username}", username=username))
            return Actor(user.id, user.username, user.role)

    def without_database_login(self) -> list[str]:
        """Active people with no PostgreSQL login of their own yet (made before migration
        0017 and not logged in since): they cannot log in on personal logins. None on SQLite."""
        with self._db.unit_of_work(write=False) as session:
            if session.get_bind().dialect.name != "postgresql":
                return []
            names = session.execute(
                select(User.username).where(User.active.is_(True)).order_by(User.username)
            ).scalars()
            logins: set[str] = set(
                session.execute(text("SELECT rolname FROM pg_roles WHERE rolname LIKE 'wb\\_%'"))
                .scalars()
                .all()
            )
        return [name for name in names if login_name(name) not in logins]

    def list(self, include_inactive: bool = False) -> list[UserRecord]:
        with self._db.unit_of_work(write=False) as session:
            query = select(User).order_by(User.username)
            if not include_inactive:
                query = query.where(User.active.is_(True))
            return [_record(u) for u in session.execute(query).scalars()]


def _first_database_login(session: Session, user: User, password: str) -> None:
    """A person made before the site had personal logins (migration 0017) has none yet, and
    only their password can make it. While the site still runs on its shared login, their
    first log-in makes it, so the workstations can move to personal logins once everyone
    has logged in once (`init` names who has not). A personal login may not make logins."""
    missing: bool = session.execute(
        text("SELECT NOT wb_enforced() AND NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :l)"),
        {"l": login_name(user.username)},
    ).scalar_one()
    if missing:
        sync_login(session, user.username, password, user.role)

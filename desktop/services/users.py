"""Users, technicians, passwords and log-in."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from desktop.domain.enums import Role
from desktop.domain.errors import AuthenticationFailed, NotFound, ValidationFailed
from desktop.domain.permissions import Action, Actor, require
from desktop.services import audit
from desktop.services.clock import Clock, utc_now
from desktop.store.models import User

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from desktop.store.database import Database

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()


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


def password_problems(password: str) -> list[str]:
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"at least {MIN_PASSWORD_LENGTH} characters")
    if password.isalpha() or password.isdigit():
        problems.append("letters and at least one digit or symbol")
    return problems


def validate_new_user(new: NewUser) -> dict[str, str]:
    """Field problems of a new user; empty when it can be saved."""
    problems: dict[str, str] = {}
    username = new.username.strip()
    if not username or not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        problems["username"] = "letters, digits, '.', '_' or '-' only, not empty"
    elif len(username) > 64:
        problems["username"] = "at most 64 characters"
    if not new.full_name.strip():
        problems["full_name"] = "required"
    pw = password_problems(new.password)
    if pw:
        problems["password"] = "needs " + " and ".join(pw)
    # NaN and infinity pass a plain comparison; the command line's float() accepts both.
    if not math.isfinite(new.hourly_rate):
        problems["hourly_rate"] = "must be a number"
    elif new.hourly_rate < 0:
        problems["hourly_rate"] = "must not be negative"
    if not 0 <= new.weekly_hours <= 80:
        problems["weekly_hours"] = "must be between 0 and 80"
    return problems


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
    }


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
            problems["username"] = f"{username} is taken"
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
        audit.record(
            session, actor, "create", "user", user.id, None, _snapshot(user), self._clock()
        )
        return _record(user)

    def authenticate(self, username: str, password: str) -> Actor:
        """The actor for a correct user name and password; one vague error otherwise."""
        with self._db.unit_of_work(write=False) as session:
            user = session.execute(
                select(User).where(func.lower(User.username) == username.strip().lower())
            ).scalar_one_or_none()
            if user is None or not user.active:
                raise AuthenticationFailed("unknown user or wrong password")
            try:
                _hasher.verify(user.password_hash, password)
            except (VerificationError, InvalidHashError):
                raise AuthenticationFailed("unknown user or wrong password") from None
            return Actor(user.id, user.username, user.role)

    def actor_for(self, username: str) -> Actor:
        """The actor of an existing active user, for trusted local processes (demo, tests)."""
        with self._db.unit_of_work(write=False) as session:
            user = session.execute(
                select(User).where(User.username == username)
            ).scalar_one_or_none()
            if user is None or not user.active:
                raise NotFound(f"no active user {username}")
            return Actor(user.id, user.username, user.role)

    def list(self, include_inactive: bool = False) -> list[UserRecord]:
        with self._db.unit_of_work(write=False) as session:
            query = select(User).order_by(User.username)
            if not include_inactive:
                query = query.where(User.active.is_(True))
            return [_record(u) for u in session.execute(query).scalars()]

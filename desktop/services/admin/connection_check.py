"""The settings dialog's "Test connection" for a database: reachable, and which schema it holds.

Runs on a worker thread: a PostgreSQL server that does not answer costs the connect timeout,
never a frozen window. Nothing is created or changed: a SQLite file that does not exist yet is
reported, not made.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from desktop.domain.errors import WrenchbookError
from desktop.domain.phrases import Listing, Phrase
from desktop.services.admin.sign_in import is_login_refusal, uses_personal_logins
from desktop.services.admin.workstation_settings import (
    database_problems,
    with_saved_password,
    without_password,
)
from desktop.store.database import Database, sqlite_path
from desktop.store.migrate import HEAD_REVISION, MIGRATIONS_DIR, current_revision

CONNECT_TIMEOUT_S = 5


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    message: str


def _known_revision(revision: str) -> bool:
    return any((MIGRATIONS_DIR / "versions").glob(f"{revision}_*.py"))


def describe_revision(revision: str | None) -> CheckResult:
    if revision is None:
        return CheckResult(True, "Connected. The database is empty: the next start creates it.")
    if revision == HEAD_REVISION:
        return CheckResult(
            True, Phrase("Connected. Schema up to date (revision {revision}).", revision=revision)
        )
    if _known_revision(revision):
        return CheckResult(
            True,
            Phrase(
                "Connected. Schema revision {revision} is upgraded to {head_revision} "
                "at the next start (after a backup of a SQLite file).",
                revision=revision,
                head_revision=HEAD_REVISION,
            ),
        )
    return CheckResult(
        False,
        Phrase(
            "Connected, but the schema (revision {revision}) is newer than this "
            "Wrenchbook ({head_revision}): update Wrenchbook on this workstation "
            "first.",
            revision=revision,
            head_revision=HEAD_REVISION,
        ),
    )


def check_database(url: str) -> CheckResult:
    """Connect to `url` (with its saved password) and read its schema revision."""
    problems = database_problems(without_password(url)[0])
    if problems:
        return CheckResult(False, Phrase("{problems}", problems=Listing(tuple(problems), " ")))
    try:
        path = sqlite_path(url)
        if path is not None and not path.exists():
            if not path.parent.exists():
                return CheckResult(
                    False, Phrase("The folder {parent} does not exist.", parent=path.parent)
                )
            return CheckResult(
                True, Phrase("No file yet: the next start creates {path}.", path=path)
            )
        target = with_saved_password(url)
        if make_url(target).get_backend_name() == "postgresql":
            target = (
                make_url(target)
                .update_query_dict({"connect_timeout": str(CONNECT_TIMEOUT_S)})
                .render_as_string(hide_password=False)
            )
    except (ArgumentError, WrenchbookError) as exc:
        return CheckResult(False, str(exc))
    db: Database | None = None
    try:
        db = Database(target)
        return describe_revision(current_revision(db))
    except WrenchbookError as exc:
        return CheckResult(False, str(exc))
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        if uses_personal_logins(url) and is_login_refusal(" ".join(reason)):
            return CheckResult(
                True,
                "Server reached. It asks everyone for their own login: each person logs in "
                "with their Wrenchbook user name and password.",
            )
        return CheckResult(
            False, Phrase("Cannot connect: {reason}", reason=reason[0] if reason else exc)
        )
    finally:
        if db is not None:
            db.dispose()

"""Set-up and safety subcommands: init, backup, backup-history, restore, verify-audit, and
account care."""

from __future__ import annotations

import getpass
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.domain.errors import ValidationFailed
from desktop.services.admin.backup import backup, backup_history
from desktop.services.admin.restore import restore
from desktop.services.admin.users import UserService
from desktop.services.assets.assets import AssetService
from desktop.services.shared import audit
from desktop.store.migrate import may_migrate

if TYPE_CHECKING:
    import argparse

    from desktop.cli.context import CliContext


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    init = commands.add_parser(
        "init", parents=[common], help="create or upgrade the database and its first admin"
    )
    init.add_argument("--admin-user", default="admin", help="user name of the first admin")
    init.add_argument("--admin-name", default="Administrator", help="full name of the first admin")
    init.add_argument("--site-code", default="SITE")
    init.add_argument("--site-name", default="Main site")
    init.add_argument("--timezone", default="UTC", help="the site's IANA time zone")
    init.set_defaults(handler=_init)

    copy = commands.add_parser("backup", parents=[common], help="consistent online copy")
    copy.add_argument("--out", type=Path, required=True, metavar="FILE")
    copy.set_defaults(handler=_backup)

    history = commands.add_parser(
        "backup-history",
        parents=[common],
        help="consistent online copy of the sensor history (kept apart from the records)",
    )
    history.add_argument("--out", type=Path, required=True, metavar="FILE")
    history.set_defaults(handler=_backup_history)

    back = commands.add_parser(
        "restore", parents=[common], help="replace every record with a backup's (checked first)"
    )
    back.add_argument("--from", dest="source", type=Path, required=True, metavar="FILE")
    back.add_argument(
        "--yes", action="store_true", help="confirm that the current records are replaced"
    )
    back.set_defaults(handler=_restore)

    verify = commands.add_parser(
        "verify-audit", parents=[common], help="recompute the audit hash chain"
    )
    verify.add_argument(
        "--expect",
        action="append",
        default=[],
        metavar="SEQ:HASH",
        help="a chain head printed earlier (audit pack, checkpoint): it must still be there",
    )
    verify.add_argument(
        "--checkpoint",
        type=Path,
        metavar="FILE",
        help="check every head in FILE, then append today's (keep FILE outside the database)",
    )
    verify.set_defaults(handler=_verify_audit)

    unlock = commands.add_parser(
        "unlock", parents=[common], help="lift a user's lock-out after failed log-ins"
    )
    unlock.add_argument("username")
    unlock.add_argument(
        "--recover",
        action="store_true",
        help="no admin log-in: with the migrator login, for when every admin is locked out",
    )
    unlock.set_defaults(handler=_unlock)

    password = commands.add_parser(
        "set-password",
        parents=[common],
        help="set a user's password ($WRENCHBOOK_NEW_PASSWORD or typed twice)",
    )
    password.add_argument("username")
    password.set_defaults(handler=_set_password)

    pin = commands.add_parser(
        "set-pin",
        parents=[common],
        help="set a user's control-room operator PIN ($WRENCHBOOK_NEW_PIN or typed twice)",
    )
    pin.add_argument("username")
    pin.add_argument("--remove", action="store_true", help="remove the PIN instead")
    pin.set_defaults(handler=_set_pin)


def admin_password(prompt_for: str) -> str:
    """The first admin's password: $WRENCHBOOK_ADMIN_PASSWORD or typed twice; no default."""
    return _new_secret("WRENCHBOOK_ADMIN_PASSWORD", "password", prompt_for)


def _new_secret(env_var: str, field: str, prompt_for: str) -> str:
    """A new password or PIN from the environment or typed twice, never from an argument.

    Arguments show in the process list and shell history; the environment and a prompt do not.
    """
    given = os.environ.get(env_var)
    if given:
        return given
    if not sys.stdin.isatty():
        hint = f"set {env_var} or run in a terminal to type {prompt_for}'s {field}"
        raise ValidationFailed({field: hint})
    first = getpass.getpass(f"new {field} for {prompt_for}: ")
    if getpass.getpass("again: ") != first:
        raise ValidationFailed({field: "the two entries differ"})
    return first


def _init(ctx: CliContext) -> int:
    db = ctx.db()
    users = UserService(db)
    if users.has_users():
        print(f"{ctx.url} is ready (schema up to date, users exist)")
        waiting = users.without_database_login()
        if waiting:
            print(
                f"without a database login of their own yet ({len(waiting)}): "
                f"{', '.join(waiting)}. Each gets one at their next log-in through the site's "
                "shared login, or when an administrator sets their password; until then they "
                "cannot log in on personal logins."
            )
        return 0
    args = ctx.args
    AssetService(db).ensure_site(None, args.site_code, args.site_name, args.timezone)
    admin = users.create_first_admin(
        args.admin_user, args.admin_name, admin_password(args.admin_user)
    )
    print(f"created {ctx.url} with admin user {admin.username}")
    return 0


def _backup(ctx: CliContext) -> int:
    target = backup(ctx.db(), ctx.args.out)
    print(f"backed up {ctx.url} to {target} ({target.stat().st_size:,} bytes)")
    return 0


def _backup_history(ctx: CliContext) -> int:
    target = backup_history(ctx.db(), ctx.args.out)
    print(f"backed up the sensor history to {target} ({target.stat().st_size:,} bytes)")
    return 0


def _restore(ctx: CliContext) -> int:
    if not ctx.args.yes:
        raise ValidationFailed(
            {
                "--yes": f"restoring replaces every record in {ctx.url} with the backup's; "
                "back up first if unsure, then add --yes"
            }
        )
    actor = (
        ctx.actor()
        if (getattr(ctx.args, "user", None) or os.environ.get("WRENCHBOOK_USER"))
        else None
    )
    done = restore(ctx.db(), ctx.args.source, actor)
    print(
        f"restored {ctx.url} from {done.source} (schema revision {done.revision}): "
        f"{done.total_rows:,} rows, {done.audit_entries:,} audit entries verified"
    )
    return 0


def _verify_audit(ctx: CliContext) -> int:
    anchors = [audit.Anchor.parse(text) for text in ctx.args.expect]
    checkpoint: Path | None = ctx.args.checkpoint
    if checkpoint is not None:
        anchors += audit.read_checkpoints(checkpoint)
    result = audit.verify(ctx.db(), anchors=anchors)
    print(result.describe())
    if not result.ok:
        return 1
    print(f"anchor for a later verify-audit --expect: {result.anchor}")
    if checkpoint is not None:
        audit.append_checkpoint(checkpoint, result, datetime.now(UTC))
        print(f"checkpoint appended to {checkpoint}")
    return 0


def _unlock(ctx: CliContext) -> int:
    if ctx.args.recover:
        if not may_migrate(ctx.db()):
            raise ValidationFailed(
                {
                    "--recover": "needs the migrator login (or the SQLite file's owner): "
                    "give its database URL with --db"
                }
            )
        UserService(ctx.db()).recover(ctx.args.username)
    else:
        UserService(ctx.db()).unlock(ctx.actor(), ctx.args.username)
    print(f"{ctx.args.username} is unlocked")
    return 0


def _set_password(ctx: CliContext) -> int:
    actor = ctx.actor()
    name = ctx.args.username
    UserService(ctx.db()).set_password(
        actor, name, _new_secret("WRENCHBOOK_NEW_PASSWORD", "password", name)
    )
    print(f"password of {name} changed")
    return 0


def _set_pin(ctx: CliContext) -> int:
    actor = ctx.actor()
    name = ctx.args.username
    pin = None if ctx.args.remove else _new_secret("WRENCHBOOK_NEW_PIN", "pin", name)
    UserService(ctx.db()).set_pin(actor, name, pin)
    print(f"PIN of {name} {'removed' if pin is None else 'set'}")
    return 0

"""`settings` subcommand: this workstation's settings file, for machines without the GUI.

A monitoring service or a control-room PC set up over a remote shell gets the same file,
the same checks and the same password rules as the settings dialog.
"""

from __future__ import annotations

import getpass
import sys
from typing import TYPE_CHECKING

from desktop.domain.errors import ValidationFailed
from desktop.plant.configured import check_server
from desktop.services.admin import credentials
from desktop.services.admin import workstation_settings as ws
from desktop.services.admin.connection_check import check_database
from desktop.store.database import redact_url

if TYPE_CHECKING:
    import argparse

    from desktop.cli.context import CliContext


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    settings = commands.add_parser("settings", help="this workstation's connection settings")
    actions = settings.add_subparsers(dest="settings_command", metavar="ACTION", required=True)
    show = actions.add_parser("show", parents=[common], help="the settings and what a start uses")
    show.set_defaults(handler=_show)
    change = actions.add_parser(
        "set",
        parents=[common],
        help="change settings, e.g. database/url=postgresql+psycopg://wb@db1/wrenchbook",
    )
    change.add_argument("assignments", nargs="+", metavar="KEY=VALUE", help=", ".join(ws.KEYS))
    for name in ("db", "opc"):
        change.add_argument(
            f"--{name}-password",
            action="store_true",
            help=f"ask for the {'database' if name == 'db' else 'OPC UA'} password (or read it "
            "from standard input) and keep it in the credential store",
        )
    change.set_defaults(handler=_set)
    test = actions.add_parser("test", parents=[common], help="test the database and OPC UA")
    test.set_defaults(handler=_test)


def _show(ctx: CliContext) -> int:
    settings = ctx.settings()
    print(f"settings file: {ws.settings_path(ctx.data_dir)}")
    for key, value in settings.to_values().items():
        print(f"{key}={value}")
    choice = ws.choose_database(getattr(ctx.args, "db", None), ctx.data_dir, settings)
    print(f"database in use: {redact_url(choice.url)} (from {choice.source})")
    plant = ws.choose_plant(None, False, settings)
    print(f"OPC UA in use: {plant.endpoint or plant.mode.value}")
    return 0


def _set(ctx: CliContext) -> int:
    values = ctx.settings().to_values()
    for assignment in ctx.args.assignments:
        key, sep, value = assignment.partition("=")
        if not sep or key not in ws.KEYS:
            raise ValidationFailed(
                {assignment: f"write KEY=VALUE, KEY one of {', '.join(ws.KEYS)}"}
            )
        values[key] = value
    # A password typed into the URL goes to the credential store, never into the file.
    url, db_password = ws.without_password(values[ws.DATABASE_URL])
    values[ws.DATABASE_URL] = url
    settings = ws.WorkstationSettings.from_values(values)
    if ctx.args.db_password:
        db_password = _ask("database password")
    opc_password = _ask("OPC UA password") if ctx.args.opc_password else None
    ws.check(settings)  # before a password is kept for settings that are not saved
    if db_password:
        credentials.put(credentials.DATABASE, ws.database_account(url), db_password)
    if opc_password:
        credentials.put(credentials.OPCUA, ws.opcua_account(settings.opcua), opc_password)
    ws.save(ctx.data_dir, settings)
    if db_password or opc_password:
        print(f"password kept in {credentials.store_name()}")
    print(f"saved {ws.settings_path(ctx.data_dir)}; running programs use it after a restart")
    return 0


def _ask(what: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(f"{what}: ")
    return sys.stdin.readline().rstrip("\n")


def _test(ctx: CliContext) -> int:
    settings = ctx.settings()
    choice = ws.choose_database(getattr(ctx.args, "db", None), ctx.data_dir, settings)
    db = check_database(choice.url)
    print(f"database {redact_url(choice.url)}: {db.message}")
    plant = ws.choose_plant(None, False, settings)
    ok = db.ok
    if plant.mode is ws.PlantMode.SERVER:
        result = check_server(plant, ctx.data_dir / "pki")
        print(f"OPC UA {plant.endpoint}: {result.message}")
        ok = ok and result.ok
    else:
        print(f"OPC UA: {plant.mode.value} (nothing to test)")
    return 0 if ok else 1

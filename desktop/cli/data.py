"""`import` and `export` subcommands: assets and users in from spreadsheets, KPI data out."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli.output import render
from desktop.services.admin.importing import ImportService
from desktop.services.analytics.export import WORKBOOK_NAME, export

if TYPE_CHECKING:
    import argparse

    from desktop.cli.context import CliContext


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    importing = commands.add_parser("import", help="create assets or users from a CSV/XLSX file")
    kinds = importing.add_subparsers(dest="import_kind", metavar="KIND", required=True)
    assets = kinds.add_parser(
        "assets",
        parents=[common],
        help="columns: code, name, parent, level, class, criticality, status, maker, model, "
        "serial, location, install_date, replacement_value",
    )
    assets.add_argument("file", type=Path, metavar="FILE", help=".csv or .xlsx")
    assets.set_defaults(handler=_import_assets)
    users = kinds.add_parser(
        "users",
        parents=[common],
        help="columns: username, full_name, role, craft, hourly_rate, weekly_hours "
        "(no passwords: each new user gets a generated one, printed once)",
    )
    users.add_argument("file", type=Path, metavar="FILE", help=".csv or .xlsx")
    users.set_defaults(handler=_import_users)

    out = commands.add_parser(
        "export", parents=[common], help="write the tables behind every KPI as CSV or Excel"
    )
    out.add_argument("--out", type=Path, required=True, metavar="DIR")
    out.add_argument(
        "--xlsx", action="store_true", help=f"one workbook, {WORKBOOK_NAME}, instead of CSV files"
    )
    out.set_defaults(handler=_export)


def _import_assets(ctx: CliContext) -> int:
    actor = ctx.actor()
    result = ImportService(ctx.db()).assets(actor, ctx.args.file)
    print(f"imported {len(result.created)} assets from {ctx.args.file}")
    return 0


def _import_users(ctx: CliContext) -> int:
    actor = ctx.actor()
    result = ImportService(ctx.db()).users(actor, ctx.args.file)
    print(f"imported {len(result.created)} users from {ctx.args.file}")
    if result.passwords:
        print("their passwords, shown only this once; hand each to its user:")
        print(render(("username", "password"), result.passwords, "table"))
    return 0


def _export(ctx: CliContext) -> int:
    result = export(ctx.db(), ctx.args.out, xlsx=ctx.args.xlsx)
    print(render(("table", "rows"), result.rows, "table"))
    print(f"written to {ctx.args.out}")
    return 0

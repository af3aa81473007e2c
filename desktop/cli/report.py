"""`report` subcommands: the audit pack, work-order sheets and asset labels (PDF)."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from desktop.domain.enums import WorkOrderType
from desktop.reports.wording import LANGUAGE_FORMATS, wording

if TYPE_CHECKING:
    from desktop.cli.context import CliContext


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    report = commands.add_parser("report", help="PDF reports: audit packs and work-order sheets")
    actions = report.add_subparsers(dest="report_command", metavar="REPORT", required=True)

    pack = actions.add_parser(
        "audit-pack",
        parents=[common],
        help="compliance audit pack for a period (needs a user: it names who generated it)",
    )
    pack.add_argument(
        "--from",
        dest="start",
        required=True,
        type=_start,
        metavar="DATE",
        help="first day (YYYY-MM-DD, from midnight on the site's clock) or instant "
        "(ISO 8601; UTC unless a zone is given)",
    )
    pack.add_argument(
        "--to",
        dest="end",
        required=True,
        type=_end,
        metavar="DATE",
        help="last day, included (YYYY-MM-DD), or the instant the period ends before",
    )
    pack.add_argument("--area", metavar="CODE", help="this asset and everything below it")
    pack.add_argument(
        "--types",
        nargs="+",
        choices=[t.value for t in WorkOrderType],
        metavar="TYPE",
        help=f"only these work-order types: {', '.join(t.value for t in WorkOrderType)}",
    )
    pack.add_argument("--out", required=True, type=Path, metavar="FILE")
    add_language(pack)
    pack.set_defaults(handler=_audit_pack)

    sheets = actions.add_parser(
        "sheets", parents=[common], help="printable work-order sheets, one order per page"
    )
    sheets.add_argument("numbers", nargs="+", metavar="WO-NUMBER")
    sheets.add_argument("--paper", choices=("a4", "letter"), default="a4")
    sheets.add_argument("--out", required=True, type=Path, metavar="FILE")
    add_language(sheets)
    sheets.set_defaults(handler=_sheets)

    labels = actions.add_parser(
        "asset-labels",
        parents=[common],
        help="a sheet of QR labels, one per asset (scanning one opens the asset)",
    )
    labels.add_argument("codes", nargs="*", metavar="CODE", help="these assets (default: all)")
    labels.add_argument("--under", metavar="CODE", help="this asset and everything below it")
    labels.add_argument("--paper", choices=("a4", "letter"), default="a4")
    labels.add_argument("--out", required=True, type=Path, metavar="FILE")
    add_language(labels)
    labels.set_defaults(handler=_asset_labels)


def add_language(parser: argparse.ArgumentParser) -> None:
    """`--language`: the printed page's texts and date and number formats (default English,
    with ISO dates); the time zone is always the site's."""
    parser.add_argument(
        "--language",
        choices=tuple(LANGUAGE_FORMATS),
        default="en",
        help="language of the printed texts, dates and numbers (default: en)",
    )


def _instant(value: str) -> datetime | date:
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"cannot read {value!r}: write YYYY-MM-DD or an ISO 8601 date and time"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _start(value: str) -> datetime | date:
    return _instant(value)


def _end(value: str) -> datetime | date:
    parsed = _instant(value)
    if isinstance(parsed, datetime):
        return parsed
    # A day given as the end is included: the period ends at the next midnight.
    return parsed + timedelta(days=1)


def _midnight(value: datetime | date, timezone: str) -> datetime:
    """A day is the site's day: an audit of April at a Berlin plant starts at midnight there,
    which is 22:00 UTC the evening before (the pack prints its times on the site's clock)."""
    if isinstance(value, datetime):
        return value
    try:
        zone: tzinfo = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC
    return datetime.combine(value, time(), zone).astimezone(UTC)


def _audit_pack(ctx: CliContext) -> int:
    # ReportLab loads only when a report is made, not with every command (PITFALLS.md).
    from desktop.reports.audit_pack import build_audit_pack
    from desktop.reports.pack_scope import PackRequest
    from desktop.reports.places import site_timezone

    args = ctx.args
    db = ctx.db()
    with db.unit_of_work(write=False) as session:
        timezone = site_timezone(session)
    request = PackRequest(
        _midnight(args.start, timezone),
        _midnight(args.end, timezone),
        area=args.area,
        types=tuple(WorkOrderType(t) for t in args.types or ()),
    )
    result = build_audit_pack(db, ctx.actor(), request, args.out, wording=wording(args.language))
    chain = "intact" if result.chain_ok else "BROKEN"
    print(
        f"wrote {result.path}: {result.pages} pages, {result.orders} work orders; "
        f"audit chain {chain}, final hash {result.final_hash}"
    )
    if result.chain_ok:
        print(f"anchor for a later verify-audit --expect: {result.anchor}")
    return 0 if result.chain_ok else 1


def _sheets(ctx: CliContext) -> int:
    from desktop.reports.sheet import print_sheets

    args = ctx.args
    result = print_sheets(
        ctx.db(), args.numbers, args.out, paper=args.paper, wording=wording(args.language)
    )
    print(f"wrote {result.path}: {result.orders} sheets on {result.pages} pages ({args.paper})")
    return 0


def _asset_labels(ctx: CliContext) -> int:
    from desktop.reports.asset_labels import print_asset_labels

    args = ctx.args
    result = print_asset_labels(
        ctx.db(),
        args.out,
        under=args.under,
        codes=args.codes,
        paper=args.paper,
        wording=wording(args.language),
    )
    print(f"wrote {result.path}: {result.labels} labels on {result.pages} pages ({args.paper})")
    return 0

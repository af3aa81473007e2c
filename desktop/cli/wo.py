"""`wo` subcommands: raise, list, show, edit and move work orders."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from desktop.cli.arguments import row_limit
from desktop.cli.output import FORMATS, render
from desktop.domain.enums import HoldReason, Priority, Status, WorkOrderType
from desktop.domain.errors import ValidationFailed
from desktop.domain.lifecycle import EDITABLE_FIELDS
from desktop.services.assets.assets import AssetService
from desktop.services.orders.work_order_records import WorkOrderDraft
from desktop.services.orders.work_orders import SORT_COLUMNS, SearchFilter, WorkOrderService
from desktop.services.shared.clock import utc_now

if TYPE_CHECKING:
    import argparse

    from desktop.cli.context import CliContext

LIST_HEADERS = ("number", "status", "type", "priority", "asset", "title", "due", "requested")


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    wo = commands.add_parser("wo", help="work orders")
    actions = wo.add_subparsers(dest="wo_command", metavar="ACTION", required=True)

    create = actions.add_parser("create", parents=[common], help="raise a work order")
    create.add_argument("--asset", required=True, metavar="CODE")
    create.add_argument("--title", required=True)
    create.add_argument("--type", choices=[t.value for t in WorkOrderType], default="corrective")
    create.add_argument("--priority", type=int, choices=[int(p) for p in Priority], default=3)
    create.add_argument("--description", default="")
    create.add_argument("--estimate", type=float, metavar="HOURS")
    create.add_argument("--asset-down", action="store_true", help="the asset is not running")
    create.add_argument("--checklist", action="append", default=[], metavar="TEMPLATE")
    create.set_defaults(handler=_create)

    listing = actions.add_parser("list", parents=[common], help="list work orders")
    listing.add_argument("--status", action="append", choices=[s.value for s in Status])
    listing.add_argument("--type", action="append", choices=[t.value for t in WorkOrderType])
    listing.add_argument("--asset", metavar="CODE", help="this asset and everything below it")
    listing.add_argument("--assignee", metavar="USER")
    listing.add_argument("--search", default="", help="text in the number, title or asset code")
    listing.add_argument("--overdue", action="store_true")
    listing.add_argument("--sort", choices=list(SORT_COLUMNS), default="number")
    listing.add_argument("--ascending", action="store_true")
    listing.add_argument("--limit", type=row_limit, default=100)
    listing.add_argument("--format", choices=FORMATS, default="table")
    listing.set_defaults(handler=_list)

    show = actions.add_parser("show", parents=[common], help="everything on one work order")
    show.add_argument("number")
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.set_defaults(handler=_show)

    move = actions.add_parser("transition", parents=[common], help="move along the lifecycle")
    move.add_argument("number")
    move.add_argument("--to", required=True, choices=[s.value for s in Status])
    move.add_argument("--note", default="", help="reason (needed to cancel or reopen)")
    move.add_argument("--hold-reason", choices=[r.value for r in HoldReason])
    move.set_defaults(handler=_transition)

    assign = actions.add_parser("assign", parents=[common], help="set the technicians")
    assign.add_argument("number")
    assign.add_argument("users", nargs="+", metavar="USER", help="the first is the lead")
    assign.set_defaults(handler=_assign)

    labour = actions.add_parser("labour", parents=[common], help="log hours")
    labour.add_argument("number")
    labour.add_argument("--technician", required=True, metavar="USER")
    labour.add_argument("--hours", type=float, required=True)
    labour.add_argument("--date", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD")
    labour.add_argument("--note", default="")
    labour.set_defaults(handler=_labour)

    edit = actions.add_parser("set", parents=[common], help="change fields: name=value ...")
    edit.add_argument("number")
    edit.add_argument(
        "fields", nargs="+", metavar="NAME=VALUE", help=", ".join(sorted(EDITABLE_FIELDS))
    )
    edit.set_defaults(handler=_set)


def _create(ctx: CliContext) -> int:
    args = ctx.args
    draft = WorkOrderDraft(
        title=args.title,
        asset_code=args.asset,
        type=WorkOrderType(args.type),
        priority=Priority(args.priority),
        description=args.description,
        estimate_hours=args.estimate,
        asset_down=args.asset_down,
        checklist_codes=tuple(args.checklist),
    )
    result = WorkOrderService(ctx.db()).create(ctx.actor(), draft)
    for warning in result.warnings:
        print(f"warning: {warning}")
    print(f"created {result.work_order.number}")
    return 0


def _list(ctx: CliContext) -> int:
    args = ctx.args
    db = ctx.db()
    asset_ids = tuple(AssetService(db).subtree_ids(args.asset)) if args.asset else ()
    criteria = SearchFilter(
        statuses=tuple(Status(s) for s in args.status or ()),
        types=tuple(WorkOrderType(t) for t in args.type or ()),
        text=args.search,
        asset_ids=asset_ids,
        assignee=args.assignee,
        overdue_at=utc_now() if args.overdue else None,
    )
    rows = WorkOrderService(db).search(
        criteria, sort=args.sort, descending=not args.ascending, limit=args.limit
    )
    table = [
        (
            r.number,
            r.status,
            r.type,
            int(r.priority),
            r.asset_code,
            r.title,
            r.due_at,
            r.requested_at,
        )
        for r in rows
    ]
    print(render(LIST_HEADERS, table, args.format))
    return 0


def _show(ctx: CliContext) -> int:
    service = WorkOrderService(ctx.db())
    # Typed in lower case or scanned off a sheet: the stored number, else `get` names the miss.
    detail = service.get(service.find_number(ctx.args.number) or ctx.args.number)
    if ctx.args.format == "json":
        print(json.dumps(asdict(detail), indent=2, default=_json_default, ensure_ascii=False))
        return 0
    row = detail.row
    print(f"{row.number}  {row.title}")
    print(f"  {row.type.value}, priority {int(row.priority)}, {row.status.value}")
    print(f"  asset {row.asset_code} {row.asset_name}; requested by {detail.requester}")
    for label, value in (
        ("requested", row.requested_at),
        ("due", row.due_at),
        ("scheduled start", row.scheduled_start),
        ("started", detail.started_at),
        ("completed", row.completed_at),
        ("closed", detail.closed_at),
    ):
        if value:
            print(f"  {label + ':':17}{value:%Y-%m-%d %H:%M} UTC")
    if detail.assignees:
        names = ", ".join(a.username + (" (lead)" if a.is_lead else "") for a in detail.assignees)
        print(f"  assignees: {names}")
    codes = {k: v for k, v in detail.failure_codes.items() if v}
    if codes:
        print("  failure codes: " + ", ".join(f"{k}={v}" for k, v in codes.items()))
    if detail.labour:
        print(f"  labour: {detail.labour_hours:g} h")
        for entry in detail.labour:
            print(f"    {entry.work_date}  {entry.technician:12} {entry.hours:5g} h")
    for period in detail.downtime:
        end = f"{period.end:%Y-%m-%d %H:%M}" if period.end else "still down"
        kind = "planned" if period.planned else "unplanned"
        print(f"  downtime: {period.start:%Y-%m-%d %H:%M} - {end} {kind} {period.reason_code}")
    for item in detail.checklist:
        answer = item.result.value if item.result else (item.text_value or "")
        if item.value is not None:
            answer = f"{item.value:g} {item.unit or ''} {answer}"
        print(f"  [{item.position}] {item.text}: {answer or 'unanswered'}")
    print("  history:")
    for h in detail.history:
        source = h.from_status.value if h.from_status else "-"
        note = f" ({h.note})" if h.note else ""
        print(f"    {h.at:%Y-%m-%d %H:%M}  {source} -> {h.to_status.value} by {h.username}{note}")
    return 0


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _transition(ctx: CliContext) -> int:
    args = ctx.args
    hold = HoldReason(args.hold_reason) if args.hold_reason else None
    row = WorkOrderService(ctx.db()).transition(
        ctx.actor(), args.number, Status(args.to), note=args.note, hold_reason=hold
    )
    print(f"{row.number} is now {row.status.value}")
    return 0


def _assign(ctx: CliContext) -> int:
    service = WorkOrderService(ctx.db())
    actor = ctx.actor()
    version = service.get(ctx.args.number).row.version
    for warning in service.assign(actor, ctx.args.number, version, ctx.args.users):
        print(f"warning: {warning}")
    print(f"{ctx.args.number} assigned to {', '.join(ctx.args.users)}")
    return 0


def _labour(ctx: CliContext) -> int:
    args = ctx.args
    entry = WorkOrderService(ctx.db()).log_labour(
        ctx.actor(),
        args.number,
        args.technician,
        args.date or utc_now().date(),
        args.hours,
        args.note,
    )
    print(f"logged {entry.hours:g} h for {entry.technician} on {args.number}")
    return 0


def parse_field(name: str, text: str) -> Any:
    """A `name=value` argument turned into the type the field holds."""
    if name not in EDITABLE_FIELDS:
        raise ValidationFailed(
            {name: f"not editable; use one of {', '.join(sorted(EDITABLE_FIELDS))}"}
        )
    if text == "":
        return None
    try:
        if name in ("asset_down", "is_failure"):
            if text.lower() not in ("true", "false", "yes", "no", "1", "0"):
                raise ValueError(text)
            return text.lower() in ("true", "yes", "1")
        if name == "priority":
            return Priority(int(text))
        if name == "estimate_hours":
            return float(text)
        if name in ("due_at", "scheduled_start", "scheduled_end"):
            value = datetime.fromisoformat(text)
            if value.tzinfo is None:
                raise ValueError("needs a time zone, e.g. 2026-12-01T08:00+01:00")
            return value
    except ValueError as exc:
        raise ValidationFailed({name: f"cannot read {text!r}: {exc}"}) from None
    return text


def _set(ctx: CliContext) -> int:
    changes: dict[str, Any] = {}
    for pair in ctx.args.fields:
        name, sep, text = pair.partition("=")
        if not sep:
            raise ValidationFailed({pair: "write NAME=VALUE"})
        changes[name] = parse_field(name, text)
    service = WorkOrderService(ctx.db())
    actor = ctx.actor()
    version = service.get(ctx.args.number).row.version
    row = service.update(actor, ctx.args.number, version, changes)
    print(f"{row.number} saved (version {row.version})")
    return 0

"""`stock` and `po` subcommands: stock per bin, movements, the ledger, parts on work orders,
imports, requisitions and purchase orders."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli.arguments import record_id, row_limit
from desktop.cli.output import FORMATS, render
from desktop.domain.inventory import PoStatus, RequisitionStatus, qty_text
from desktop.services.stock.inventory import InventoryService
from desktop.services.stock.inventory_import import InventoryImportService
from desktop.services.stock.purchasing import PurchasingService

if TYPE_CHECKING:
    import argparse

    from desktop.cli.context import CliContext
    from desktop.services.stock.inventory_records import MovementView, PurchaseOrderView

STOCK_HEADERS = (
    "part",
    "description",
    "location",
    "bin",
    "on_hand",
    "reserved",
    "available",
    "min",
    "max",
    "reorder_qty",
    "unit",
)
PART_HEADERS = (
    "part",
    "description",
    "category",
    "vendor",
    "on_hand",
    "reserved",
    "available",
    "min",
    "max",
    "reorder_qty",
    "average_cost",
    "below_min",
)
LEDGER_HEADERS = (
    "id",
    "at",
    "movement",
    "part",
    "bin",
    "quantity",
    "unit_cost",
    "work_order",
    "user",
    "reason",
    "balance",
)
IMPORT_KINDS = {
    "vendors": "columns: code, name, lead_time_days, contact, email, phone",
    "parts": "columns: number, description, unit, category, vendor, unit_cost",
    "opening": "opening stock; columns: part, bin, location, quantity, unit_cost, min, max, "
    "reorder_qty",
}


def _format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="table")


def _movement(parser: argparse.ArgumentParser, *, work_order: bool) -> None:
    parser.add_argument("part", metavar="PART")
    parser.add_argument("--qty", type=float, required=True, metavar="N")
    parser.add_argument("--bin", required=True, metavar="BIN")
    if work_order:
        parser.add_argument("--wo", required=True, metavar="NUMBER", help="work order")


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    stock = commands.add_parser("stock", help="parts in stock, movements and the ledger")
    actions = stock.add_subparsers(dest="stock_command", metavar="ACTION", required=True)

    listing = actions.add_parser("list", parents=[common], help="stock per part and bin")
    listing.add_argument("--part", metavar="PART")
    listing.add_argument("--bin", metavar="BIN")
    _format(listing)
    listing.set_defaults(handler=_list)

    parts = actions.add_parser("parts", parents=[common], help="parts with stock over all bins")
    parts.add_argument("--search", default="", help="text in the number, description or category")
    parts.add_argument("--below-min", action="store_true", help="only parts to reorder")
    _format(parts)
    parts.set_defaults(handler=_parts)

    issue = actions.add_parser("issue", parents=[common], help="issue parts to a work order")
    _movement(issue, work_order=True)
    issue.set_defaults(handler=_issue)

    back = actions.add_parser("return", parents=[common], help="return unused parts")
    _movement(back, work_order=True)
    back.add_argument("--reason", default="")
    back.set_defaults(handler=_return)

    receive = actions.add_parser("receive", parents=[common], help="book goods into a bin")
    _movement(receive, work_order=False)
    receive.add_argument("--cost", type=float, metavar="PRICE", help="unit cost (without --po)")
    receive.add_argument("--po", metavar="NUMBER", help="purchase order received against")
    receive.add_argument("--line", type=record_id, metavar="N", help="line of the purchase order")
    receive.add_argument("--reason", default="")
    receive.set_defaults(handler=_receive)

    adjust = actions.add_parser("adjust", parents=[common], help="correct a bin after a count")
    _movement(adjust, work_order=False)
    adjust.add_argument("--reason", required=True)
    adjust.set_defaults(handler=_adjust)

    transfer = actions.add_parser("transfer", parents=[common], help="move stock between bins")
    transfer.add_argument("part", metavar="PART")
    transfer.add_argument("--qty", type=float, required=True, metavar="N")
    transfer.add_argument("--from", dest="from_bin", required=True, metavar="BIN")
    transfer.add_argument("--to", dest="to_bin", required=True, metavar="BIN")
    transfer.set_defaults(handler=_transfer)

    ledger = actions.add_parser("ledger", parents=[common], help="movements, newest first")
    ledger.add_argument("part", nargs="?", metavar="PART")
    ledger.add_argument("--wo", metavar="NUMBER", help="only movements of this work order")
    ledger.add_argument("--limit", type=row_limit, default=100)
    _format(ledger)
    ledger.set_defaults(handler=_ledger)

    levels = actions.add_parser("levels", parents=[common], help="set a bin's reorder settings")
    levels.add_argument("part", metavar="PART")
    levels.add_argument("--bin", required=True, metavar="BIN")
    levels.add_argument("--min", type=float, required=True)
    levels.add_argument("--max", type=float, default=0.0)
    levels.add_argument("--reorder-qty", type=float, default=0.0)
    levels.set_defaults(handler=_levels)

    plan = actions.add_parser("plan", parents=[common], help="plan parts on a work order")
    plan.add_argument("wo", metavar="NUMBER")
    plan.add_argument("part", metavar="PART")
    plan.add_argument("--qty", type=float, required=True, metavar="N", help="0 removes it")
    plan.set_defaults(handler=_plan)

    used = actions.add_parser("wo", parents=[common], help="parts planned and used on an order")
    used.add_argument("wo", metavar="NUMBER")
    _format(used)
    used.set_defaults(handler=_work_order)

    add_bin = actions.add_parser("add-bin", parents=[common], help="a new bin in a store room")
    add_bin.add_argument("code", metavar="BIN")
    add_bin.add_argument("--location", required=True, metavar="STORE")
    add_bin.set_defaults(handler=_add_bin)

    importing = actions.add_parser("import", help="vendors, parts or opening stock from CSV/XLSX")
    kinds = importing.add_subparsers(dest="stock_import", metavar="KIND", required=True)
    for kind, text in IMPORT_KINDS.items():
        parser = kinds.add_parser(kind, parents=[common], help=text)
        parser.add_argument("file", type=Path, metavar="FILE", help=".csv or .xlsx")
        parser.set_defaults(handler=_import, kind=kind)

    requisitions = actions.add_parser(
        "requisitions", parents=[common], help="purchase requisition lines"
    )
    requisitions.add_argument(
        "--status", action="append", choices=[s.value for s in RequisitionStatus]
    )
    _format(requisitions)
    requisitions.set_defaults(handler=_requisitions)

    _register_po(commands, common)


def _register_po(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    po = commands.add_parser("po", help="purchase orders")
    actions = po.add_subparsers(dest="po_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[common], help="purchase orders, newest first")
    listing.add_argument("--status", action="append", choices=[s.value for s in PoStatus])
    _format(listing)
    listing.set_defaults(handler=_po_list)
    show = actions.add_parser("show", parents=[common], help="one order and its lines")
    show.add_argument("number")
    _format(show)
    show.set_defaults(handler=_po_show)
    create = actions.add_parser(
        "create", parents=[common], help="a draft order from a vendor's open requisitions"
    )
    create.add_argument("vendor", metavar="VENDOR")
    create.add_argument("--requisition", type=record_id, action="append", metavar="ID")
    create.set_defaults(handler=_po_create)
    add = actions.add_parser("add", parents=[common], help="add a line to a draft order")
    add.add_argument("number")
    add.add_argument("part", metavar="PART")
    add.add_argument("--qty", type=float, required=True, metavar="N")
    add.add_argument("--price", type=float, metavar="PRICE")
    add.set_defaults(handler=_po_add)
    for name, text in (
        ("send", "mark a draft as sent to the vendor"),
        ("close", "close a received order"),
        ("cancel", "cancel an order not yet received"),
    ):
        move = actions.add_parser(name, parents=[common], help=text)
        move.add_argument("number")
        move.add_argument("--note", default="", help="reason (needed to cancel)")
        move.set_defaults(handler=_po_move, move=name)


def _list(ctx: CliContext) -> int:
    rows = InventoryService(ctx.db()).stock(ctx.args.part, ctx.args.bin)
    table = [
        (
            r.part,
            r.description,
            r.location,
            r.bin,
            r.on_hand,
            r.reserved,
            r.available,
            r.min_qty,
            r.max_qty,
            r.reorder_qty,
            r.unit,
        )
        for r in rows
    ]
    print(render(STOCK_HEADERS, table, ctx.args.format))
    return 0


def _parts(ctx: CliContext) -> int:
    rows = InventoryService(ctx.db()).parts(ctx.args.search, below_min_only=ctx.args.below_min)
    table = [
        (
            r.number,
            r.description,
            r.category,
            r.vendor,
            r.on_hand,
            r.reserved,
            r.available,
            r.min_qty,
            r.max_qty,
            r.reorder_qty,
            round(r.average_cost, 4),
            r.below_min,
        )
        for r in rows
    ]
    print(render(PART_HEADERS, table, ctx.args.format))
    return 0


def _done(view: MovementView) -> None:
    print(
        f"{view.kind.value} {qty_text(abs(view.quantity))} {view.part} "
        f"{'into' if view.quantity > 0 else 'from'} {view.bin} at {view.unit_cost:.2f}"
        + (f" for {view.work_order}" if view.work_order else "")
    )


def _issue(ctx: CliContext) -> int:
    a = ctx.args
    _done(InventoryService(ctx.db()).issue(ctx.actor(), a.part, a.qty, a.bin, a.wo))
    return 0


def _return(ctx: CliContext) -> int:
    a = ctx.args
    _done(InventoryService(ctx.db()).return_(ctx.actor(), a.part, a.qty, a.bin, a.wo, a.reason))
    return 0


def _receive(ctx: CliContext) -> int:
    a = ctx.args
    view = InventoryService(ctx.db()).receive(
        ctx.actor(),
        a.part,
        a.qty,
        a.bin,
        unit_cost=a.cost,
        po_number=a.po,
        line_no=a.line,
        reason=a.reason,
    )
    _done(view)
    return 0


def _adjust(ctx: CliContext) -> int:
    a = ctx.args
    _done(InventoryService(ctx.db()).adjust(ctx.actor(), a.part, a.bin, a.qty, a.reason))
    return 0


def _transfer(ctx: CliContext) -> int:
    a = ctx.args
    out, _ = InventoryService(ctx.db()).transfer(ctx.actor(), a.part, a.qty, a.from_bin, a.to_bin)
    print(f"moved {qty_text(-out.quantity)} {a.part} from {a.from_bin} to {a.to_bin}")
    return 0


def _ledger(ctx: CliContext) -> int:
    a = ctx.args
    rows = InventoryService(ctx.db()).ledger(a.part, work_order=a.wo, limit=a.limit)
    table = [
        (
            m.id,
            m.at,
            m.kind,
            m.part,
            m.bin,
            m.quantity,
            m.unit_cost,
            m.work_order,
            m.user,
            m.reason,
            m.balance,
        )
        for m in rows
    ]
    print(render(LEDGER_HEADERS, table, a.format))
    return 0


def _levels(ctx: CliContext) -> int:
    a = ctx.args
    row = InventoryService(ctx.db()).set_levels(
        ctx.actor(), a.part, a.bin, min_qty=a.min, max_qty=a.max, reorder_qty=a.reorder_qty
    )
    limits = f"min {row.min_qty:g}, max {row.max_qty:g}, reorder {row.reorder_qty:g}"
    print(f"{row.part} in {row.bin}: {limits}")
    return 0


def _plan(ctx: CliContext) -> int:
    a = ctx.args
    parts = InventoryService(ctx.db()).plan_part(ctx.actor(), a.wo, a.part, a.qty)
    for warning in parts.warnings:
        print(f"warning: {warning}")
    print(f"{a.wo} plans {qty_text(a.qty)} {a.part}")
    return 0


def _work_order(ctx: CliContext) -> int:
    parts = InventoryService(ctx.db()).work_order_parts(ctx.args.wo)
    headers = ("part", "description", "planned", "reserved", "issued", "missing", "cost")
    table = [
        (p.part, p.description, p.planned, p.reserved, p.issued, p.missing, p.cost)
        for p in parts.lines
    ]
    print(render(headers, table, ctx.args.format))
    if ctx.args.format == "table":
        print(
            f"parts cost {parts.cost:.2f}"
            + ("; waiting for parts" if parts.waiting_for_parts else "")
        )
        for warning in parts.warnings:
            print(f"warning: {warning}")
    return 0


def _add_bin(ctx: CliContext) -> int:
    InventoryService(ctx.db()).create_bin(ctx.actor(), ctx.args.code, ctx.args.location)
    print(f"bin {ctx.args.code} added to {ctx.args.location}")
    return 0


def _import(ctx: CliContext) -> int:
    actor = ctx.actor()
    service = InventoryImportService(ctx.db())
    kind, path = ctx.args.kind, ctx.args.file
    result = {"vendors": service.vendors, "parts": service.parts, "opening": service.opening}[kind](
        actor, path
    )
    print(
        f"imported {len(result.created)} {'stock lines' if kind == 'opening' else kind} from {path}"
    )
    return 0


def _requisitions(ctx: CliContext) -> int:
    statuses = tuple(RequisitionStatus(s) for s in ctx.args.status or ())
    rows = PurchasingService(ctx.db()).requisitions(statuses)
    headers = ("id", "part", "vendor", "quantity", "status", "raised", "reason", "po")
    table = [
        (r.id, r.part, r.vendor, r.quantity, r.status, r.raised_at, r.reason, r.purchase_order)
        for r in rows
    ]
    print(render(headers, table, ctx.args.format))
    return 0


def _po_rows(orders: list[PurchaseOrderView]) -> list[tuple[object, ...]]:
    return [
        (po.number, po.vendor, po.status, po.created_at, po.sent_at, len(po.lines), po.total)
        for po in orders
    ]


def _po_list(ctx: CliContext) -> int:
    statuses = tuple(PoStatus(s) for s in ctx.args.status or ())
    orders = PurchasingService(ctx.db()).orders(statuses)
    headers = ("number", "vendor", "status", "created", "sent", "lines", "total")
    print(render(headers, _po_rows(orders), ctx.args.format))
    return 0


def _po_show(ctx: CliContext) -> int:
    po = PurchasingService(ctx.db()).order(ctx.args.number)
    if ctx.args.format == "table":
        print(f"{po.number}  {po.vendor}  {po.status.value}  total {po.total:.2f}")
    headers = ("line", "part", "description", "quantity", "unit_price", "received", "outstanding")
    table = [
        (
            line.line_no,
            line.part,
            line.description,
            line.quantity,
            line.unit_price,
            line.received,
            line.outstanding,
        )
        for line in po.lines
    ]
    print(render(headers, table, ctx.args.format))
    return 0


def _po_create(ctx: CliContext) -> int:
    po = PurchasingService(ctx.db()).create_order(
        ctx.actor(), ctx.args.vendor, ctx.args.requisition
    )
    print(f"created {po.number} for {po.vendor} with {len(po.lines)} line(s)")
    return 0


def _po_add(ctx: CliContext) -> int:
    a = ctx.args
    po = PurchasingService(ctx.db()).add_line(ctx.actor(), a.number, a.part, a.qty, a.price)
    print(f"{po.number} now has {len(po.lines)} line(s), total {po.total:.2f}")
    return 0


def _po_move(ctx: CliContext) -> int:
    service = PurchasingService(ctx.db())
    actor = ctx.actor()
    a = ctx.args
    if a.move == "send":
        po = service.send(actor, a.number)
    elif a.move == "close":
        po = service.close(actor, a.number, a.note)
    else:
        po = service.cancel(actor, a.number, a.note)
    print(f"{po.number} is now {po.status.value}")
    return 0

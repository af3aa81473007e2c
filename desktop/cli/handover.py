"""`handover`: shift handovers drafted from the records, notes, acknowledgement, printout."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop.cli.report import add_language
from desktop.domain.errors import ValidationFailed
from desktop.reports.handover import write_handover
from desktop.reports.wording import wording
from desktop.services.orders.shift_handover import ShiftHandoverService
from desktop.store.models import Site

if TYPE_CHECKING:
    import argparse

    from desktop.cli.context import CliContext
    from desktop.services.orders.shift_handover import HandoverView


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    handover = commands.add_parser("handover", help="shift handovers")
    actions = handover.add_subparsers(dest="handover_command", metavar="ACTION", required=True)
    actions.add_parser(
        "draft", parents=[common], help="draft the handovers of shifts that have ended"
    ).set_defaults(handler=_draft)
    listing = actions.add_parser("list", parents=[common], help="recent handovers")
    listing.set_defaults(handler=_list)
    show = actions.add_parser("show", parents=[common], help="one handover's figures")
    show.add_argument("id", type=int)
    show.set_defaults(handler=_show)
    notes = actions.add_parser("notes", parents=[common], help="the outgoing shift's notes")
    notes.add_argument("id", type=int)
    notes.add_argument("--text", required=True)
    notes.set_defaults(handler=_notes)
    ack = actions.add_parser(
        "ack", parents=[common], help="acknowledge as the incoming shift ($WRENCHBOOK_PIN)"
    )
    ack.add_argument("id", type=int)
    ack.add_argument("--operator", required=True, metavar="USER")
    ack.set_defaults(handler=_ack)
    printout = actions.add_parser("print", parents=[common], help="write the handover as PDF")
    printout.add_argument("id", type=int)
    printout.add_argument("--out", type=Path, required=True, metavar="FILE")
    add_language(printout)
    printout.set_defaults(handler=_print)


def _summary(view: HandoverView) -> str:
    f = view.figures
    state = f"acknowledged by {view.acknowledged_by}" if view.acknowledged_by else "open"
    return (
        f"{view.id}  {view.label}  {len(f.stops)} stops ({f.stopped_minutes:g} min), "
        f"{len(f.alarms)} alarms, {len(f.emergencies_open)} emergencies open, "
        f"{len(f.on_hold_for_parts)} on hold for parts, {len(f.parts_drawn)} parts drawn; {state}"
    )


def _draft(ctx: CliContext) -> int:
    drafted = ShiftHandoverService(ctx.db()).draft_due()
    for view in drafted:
        print(f"drafted {_summary(view)}")
    if not drafted:
        print("no shift has ended without a handover")
    return 0


def _list(ctx: CliContext) -> int:
    for view in ShiftHandoverService(ctx.db()).recent():
        print(_summary(view))
    return 0


def _show(ctx: CliContext) -> int:
    view = ShiftHandoverService(ctx.db()).get(ctx.args.id)
    print(_summary(view))
    for stop in view.figures.stops:
        print(
            f"  stop {stop.asset} {stop.start} – {stop.end or 'still stopped'}: "
            f"{stop.minutes:g} min, {stop.reason or 'not coded'}"
        )
    if view.notes:
        print(f"notes ({view.notes_by}): {view.notes}")
    print(f"version {view.version}")
    return 0


def _notes(ctx: CliContext) -> int:
    service = ShiftHandoverService(ctx.db())
    view = service.get(ctx.args.id)
    service.add_notes(ctx.actor(), ctx.args.id, ctx.args.text, view.version)
    print(f"notes saved on {view.label}")
    return 0


def _ack(ctx: CliContext) -> int:
    pin = os.environ.get("WRENCHBOOK_PIN")
    if not pin:
        if not sys.stdin.isatty():
            raise ValidationFailed({"pin": "set WRENCHBOOK_PIN or run in a terminal"})
        import getpass

        pin = getpass.getpass(f"PIN of {ctx.args.operator}: ")
    view = ShiftHandoverService(ctx.db()).acknowledge(ctx.args.operator, pin, ctx.args.id)
    print(f"{view.label} acknowledged by {view.acknowledged_by}")
    return 0


def _print(ctx: CliContext) -> int:
    out: Path = ctx.args.out
    if not out.parent.exists() or not os.access(out.parent, os.W_OK):
        raise ValidationFailed({"out": f"cannot write to {out.parent}: choose another folder"})
    db = ctx.db()
    view = ShiftHandoverService(db).get(ctx.args.id)
    with db.unit_of_work(write=False) as session:
        site = session.execute(select(Site).order_by(Site.id).limit(1)).scalar_one_or_none()
    name, zone = (site.name, site.timezone) if site else ("Site", "UTC")
    write_handover(view, name, zone, out, wording(ctx.args.language))
    print(f"wrote {out}")
    return 0

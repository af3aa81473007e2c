"""`lockout` subcommands: isolation points of an asset, and an order's locks, each step signed
by the person doing it with their own password or PIN."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.domain.errors import AuthenticationFailed
from desktop.plant.connection import Security
from desktop.services.orders.lockout import IsolationView, LockoutService, Signer

if TYPE_CHECKING:
    import argparse

    from desktop.cli.context import CliContext

SIGNER_SECRET_ENV = "WRENCHBOOK_SIGNER_SECRET"


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    lockout = commands.add_parser("lockout", help="lock-out/tag-out: isolation points and locks")
    actions = lockout.add_subparsers(dest="lockout_command", metavar="ACTION", required=True)

    add = actions.add_parser("add-point", parents=[common], help="record an isolation point")
    add.add_argument("asset")
    add.add_argument("--energy", required=True, help='e.g. "electrical 400 V"')
    add.add_argument("--device", required=True, help='e.g. "MCC-3 breaker"')
    add.add_argument("--lock-point", required=True, help="where the lock goes")
    add.add_argument("--tag", help="the tag whose live value proves zero energy")
    add.add_argument("--zero-max", type=float, default=0.0, help="largest reading that is zero")
    add.set_defaults(handler=_add_point)

    show = actions.add_parser("show", parents=[common], help="an order's isolation steps")
    show.add_argument("number")
    show.set_defaults(handler=_show)

    for verb, helptext in (
        ("apply", "hang your lock on a point"),
        ("verify", "verify zero energy (reads the tag live where one is mapped)"),
        ("remove", "take your lock off"),
    ):
        step = actions.add_parser(verb, parents=[common], help=helptext)
        step.add_argument("number")
        step.add_argument("position", type=int)
        step.add_argument(
            "--by",
            required=True,
            metavar="USER",
            help=f"who does it; their password from ${SIGNER_SECRET_ENV} or a prompt",
        )
        step.add_argument("--pin", action="store_true", help="the secret is the operator PIN")
        if verb == "apply":
            step.add_argument("--lock", required=True, metavar="NUMBER", help="the lock's number")
        if verb == "verify":
            step.add_argument("--endpoint", metavar="URL", help="OPC UA server")
            step.add_argument("--security", choices=[s.value for s in Security])
            step.add_argument("--opc-user", metavar="NAME")
            step.add_argument("--pki", type=Path, metavar="DIR")
        step.set_defaults(handler=_step, verb=verb)


def _signer(ctx: CliContext) -> Signer:
    secret = os.environ.get(SIGNER_SECRET_ENV)
    kind = "PIN" if ctx.args.pin else "password"
    if secret is None:
        if not sys.stdin.isatty():
            raise AuthenticationFailed(
                f"no {kind} for {ctx.args.by}: set {SIGNER_SECRET_ENV} or run in a terminal"
            )
        secret = getpass.getpass(f"{kind} of {ctx.args.by}: ")
    return Signer(ctx.args.by, secret, pin=ctx.args.pin)


def _add_point(ctx: CliContext) -> int:
    args = ctx.args
    point = LockoutService(ctx.db()).add_point(
        ctx.actor(), args.asset, args.energy, args.device, args.lock_point, args.tag, args.zero_max
    )
    print(f"{args.asset} isolation point {point.position}: {_describe(point)}")
    return 0


def _show(ctx: CliContext) -> int:
    steps = LockoutService(ctx.db()).isolations(ctx.args.number)
    if not steps:
        print(f"{ctx.args.number}: its asset has no isolation points")
    for step in steps:
        print(f"{step.position}. {_describe(step)}")
        print(f"   {_progress(step)}")
    return 0


def _step(ctx: CliContext) -> int:
    args = ctx.args
    db = ctx.db()
    actor = ctx.actor()
    signer = _signer(ctx)
    if args.verb == "apply":
        done = LockoutService(db).apply(actor, args.number, args.position, args.lock, signer)
    elif args.verb == "verify":
        # Loads asyncua only for a verification, which may read the machine live.
        from desktop.cli.plant import _connection
        from desktop.plant.live_read import tag_reader

        service = LockoutService(db, read_tag=tag_reader(_connection(ctx)))
        done = service.verify(actor, args.number, args.position, signer)
    else:
        done = LockoutService(db).remove(actor, args.number, args.position, signer)
    print(f"{args.number} isolation {done.position}: {_progress(done)}")
    return 0


def _describe(step: IsolationView) -> str:
    tag = f"; proven by {step.tag_name} ≤ {step.zero_max:g}" if step.tag_name else ""
    return f"{step.energy_source} — {step.device} at {step.lock_point}{tag}"


def _progress(step: IsolationView) -> str:
    if step.applied_at is None:
        return "not locked"
    text = f"lock {step.lock_number} by {step.applied_by} {step.applied_at:%Y-%m-%d %H:%M} UTC"
    if step.verified_at is not None:
        reading = f" (read {step.verified_reading:g})" if step.verified_reading is not None else ""
        text += f"; zero energy verified by {step.verified_by}{reading}"
    if step.removed_at is not None:
        text += f"; removed by {step.removed_by} {step.removed_at:%Y-%m-%d %H:%M} UTC"
    if step.safety_alarm:
        text += f"\n   {step.safety_alarm}; {step.acknowledgement}"
    return text

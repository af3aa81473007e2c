"""`demo`: load the demo bottling plant with years of maintenance history into a fresh database."""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

from desktop.cli.output import render
from desktop.demo.plant import (
    DEFAULT_SCALE,
    DEFAULT_YEARS,
    MAX_SCALE,
    DemoPlantService,
    DemoSummary,
)

if TYPE_CHECKING:
    from desktop.cli.context import CliContext


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    demo = commands.add_parser(
        "demo",
        parents=[common],
        help="load the demo plant into a fresh database",
        description="Create a bottling plant (assets, users, checklists) and years of work "
        "orders ending now. Refused when the database already holds users.",
    )
    demo.add_argument("--seed", type=int, default=1, help="same seed, same history (default 1)")
    demo.add_argument(
        "--scale",
        type=_scale,
        default=DEFAULT_SCALE,
        metavar="N",
        help=f"number of work orders (default {DEFAULT_SCALE:,}, at most {MAX_SCALE:,})",
    )
    demo.add_argument(
        "--years",
        type=_years,
        default=DEFAULT_YEARS,
        metavar="Y",
        help=f"years of history ending now (default {DEFAULT_YEARS})",
    )
    demo.set_defaults(handler=_demo)


def _scale(text: str) -> int:
    value = int(text)
    if not 1 <= value <= MAX_SCALE:
        raise argparse.ArgumentTypeError(f"1 to {MAX_SCALE:,}")
    return value


def _years(text: str) -> float:
    value = float(text)
    if not 0 < value <= 20:
        raise argparse.ArgumentTypeError("more than 0 and at most 20")
    return value


class _Progress:
    """Prints how far the load is, at most every two seconds, on stderr."""

    def __init__(self) -> None:
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < 2.0:
            return
        self._last = now
        print(f"  {done:,} of {total:,} work orders", file=sys.stderr, flush=True)


def _demo(ctx: CliContext) -> int:
    args = ctx.args
    service = DemoPlantService(ctx.db())
    if service.is_loaded():
        # Re-running the README's quick start must not fail: the demo is simply there.
        where = ctx.url
        print(f"the demo plant is already loaded in {where}; use a fresh --data-dir for another")
        return 0
    print(f"loading the demo plant into {ctx.url} ...", flush=True)
    summary = service.build(
        seed=args.seed, scale=args.scale, years=args.years, progress=_Progress()
    )
    _print_summary(summary)
    return 0


def _print_summary(summary: DemoSummary) -> None:
    print(f"assets: {summary.assets}")
    print(f"users: {summary.users}")
    print(f"checklist templates: {summary.checklist_templates}")
    print(f"work orders: {summary.work_orders:,}")
    for status, count in summary.work_orders_by_status.items():
        print(f"  {status:12} {count:>9,}")
    print(f"labour entries: {summary.rows['labour_entries']:,}")
    print(f"status changes: {summary.rows['status_changes']:,}")
    print(f"downtime periods: {summary.rows['downtime_periods']:,}")
    print(f"checklist items: {summary.rows['work_order_checklist_items']:,}")
    rows = sum(summary.rows.values())
    print(f"elapsed: {summary.seconds:.1f} s ({rows / max(summary.seconds, 1e-9):,.0f} rows/s)")
    print("  " + ", ".join(f"{name} {sec:.1f} s" for name, sec in summary.phases.items()))
    print()
    print("Accounts (the passwords are shown only now; write them down or reset them later):")
    table = [(a.username, a.role.value, a.password) for a in summary.accounts]
    print(render(("username", "role", "password"), table, "table"))

"""`simulator`, `monitor` and `plant` subcommands: the OPC UA side of condition monitoring."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.plant.simulator import (
    DEFAULT_PORT,
    DEFAULT_RATE_HZ,
    PlantSimulator,
    SimulatorOptions,
    quiet_asyncua_logs,
)
from desktop.store.database import default_data_dir

if TYPE_CHECKING:
    from desktop.cli.context import CliContext


def _positive(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    sim = commands.add_parser(
        "simulator", parents=[common], help="run the demo plant's OPC UA server on loopback"
    )
    sim.add_argument("--port", type=int, default=DEFAULT_PORT)
    sim.add_argument(
        "--speed", type=_positive, default=1.0, help="simulated seconds per real second"
    )
    sim.add_argument("--rate", type=_positive, default=DEFAULT_RATE_HZ, help="updates per second")
    sim.add_argument("--tags", type=int, metavar="N", help="publish only the first N tags")
    sim.add_argument("--login", metavar="USER:PASSWORD", help="accept this user besides anonymous")
    sim.add_argument("--no-anonymous", action="store_true", help="refuse anonymous logins")
    sim.add_argument(
        "--pki", type=Path, metavar="DIR", help="certificate folder (default: DATA_DIR/pki)"
    )
    sim.set_defaults(handler=_simulator)


def _pki_dir(ctx: CliContext) -> Path:
    given = getattr(ctx.args, "pki", None)
    if given is not None:
        return Path(given)
    data_dir = getattr(ctx.args, "data_dir", None)
    return Path(data_dir or default_data_dir()) / "pki"


def _simulator(ctx: CliContext) -> int:
    args = ctx.args
    options = SimulatorOptions(
        port=args.port,
        speed=args.speed,
        rate_hz=args.rate,
        max_tags=args.tags,
        pki_dir=_pki_dir(ctx),
        login=args.login,
        allow_anonymous=not args.no_anonymous,
    )
    quiet_asyncua_logs()
    simulator = PlantSimulator(options)

    async def run() -> None:
        await simulator.start()
        print(f"endpoint {options.endpoint}", flush=True)
        print(
            f"{len(simulator.signals)} tags at {options.rate_hz:g} Hz, speed x{options.speed:g}; "
            "Ctrl+C stops",
            flush=True,
        )
        try:
            await asyncio.Event().wait()
        finally:
            await simulator.stop()

    asyncio.run(run())
    return 0

"""`simulator`, `monitor` and `plant` subcommands: the OPC UA side of condition monitoring."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli import plant_discovery
from desktop.cli.arguments import positive_number, record_id
from desktop.cli.output import FORMATS, render
from desktop.domain.condition import Direction, RuleKind, RuleSpec, number
from desktop.domain.enums import Priority
from desktop.domain.errors import WrenchbookError
from desktop.domain.verified_close import DEFAULT_VERIFY_MINUTES
from desktop.plant.browse import browse, propose_mapping
from desktop.plant.client import ClientStatus, LinkState, OpcUaClientThread
from desktop.plant.configured import connection_for
from desktop.plant.connection import Connection, Security
from desktop.plant.meter_feed import MeterFeed
from desktop.plant.pki import Pki
from desktop.plant.replay import replay
from desktop.plant.runtime import MonitoringRuntime
from desktop.plant.sampling import sampling_ms
from desktop.plant.simulator import (
    DEFAULT_PORT,
    DEFAULT_RATE_HZ,
    PlantSimulator,
    SimulatorOptions,
    quiet_asyncua_logs,
)
from desktop.services.admin.credentials import OPC_PASSWORD_ENV
from desktop.services.admin.workstation_settings import OpcUaSettings, PlantMode, choose_plant
from desktop.services.assets.assets import AssetService
from desktop.services.condition.alarms import AlarmService
from desktop.services.condition.plant_tags import (
    PlantTagService,
    RuleDraft,
    TagView,
    write_mapping_csv,
)
from desktop.store.database import default_data_dir

if TYPE_CHECKING:
    from desktop.cli.context import CliContext

# Backoff 0.5, 1, 2 … 30 s between them: twelve attempts take about three minutes.
DEFAULT_ATTEMPTS = 12


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    sim = commands.add_parser(
        "simulator", parents=[common], help="run the demo plant's OPC UA server on loopback"
    )
    sim.add_argument("--port", type=int, default=DEFAULT_PORT)
    sim.add_argument(
        "--speed", type=positive_number, default=1.0, help="simulated seconds per real second"
    )
    sim.add_argument(
        "--rate", type=positive_number, default=DEFAULT_RATE_HZ, help="updates per second"
    )
    sim.add_argument("--tags", type=int, metavar="N", help="publish only the first N tags")
    sim.add_argument(
        "--copies", type=int, default=1, metavar="N", help="the plant's machines N times over"
    )
    sim.add_argument(
        "--fast-tags", type=int, default=0, metavar="N", help="the first N tags update faster"
    )
    sim.add_argument(
        "--fast-rate", type=positive_number, default=10.0, help="updates per second of those"
    )
    sim.add_argument("--login", metavar="USER:PASSWORD", help="accept this user besides anonymous")
    sim.add_argument("--no-anonymous", action="store_true", help="refuse anonymous logins")
    sim.add_argument(
        "--pki", type=Path, metavar="DIR", help="certificate folder (default: DATA_DIR/pki)"
    )
    sim.add_argument(
        "--stopped",
        action="append",
        default=[],
        metavar="ASSET",
        help="keep this machine stopped, as if locked out (repeatable)",
    )
    sim.set_defaults(handler=_simulator)

    opc = argparse.ArgumentParser(add_help=False)
    opc.add_argument(
        "--endpoint",
        metavar="URL",
        help="OPC UA server (default: opcua/endpoint in DATA_DIR/workstation.ini, else "
        f"{SimulatorOptions().endpoint})",
    )
    opc.add_argument(
        "--security",
        choices=[s.value for s in Security],
        help="default: opcua/security in the settings file, else none",
    )
    opc.add_argument(
        "--opc-user",
        metavar="NAME",
        help="OPC UA login (default: opcua/username in the settings file); the password from "
        "$WRENCHBOOK_OPC_PASSWORD or the credential store",
    )
    opc.add_argument("--pki", type=Path, metavar="DIR", help="certificates (default DATA_DIR/pki)")

    mon = commands.add_parser(
        "monitor",
        parents=[common, opc],
        help="run condition monitoring headless: subscribe, store history, raise work orders",
    )
    mon.add_argument("--duration", type=positive_number, metavar="S", help="stop after S seconds")
    mon.add_argument("--stats-every", type=positive_number, default=60.0, metavar="S")
    mon.add_argument(
        "--attempts",
        type=int,
        default=DEFAULT_ATTEMPTS,
        metavar="N",
        help="give up (exit 1) when the first N attempts to connect all fail "
        f"(default {DEFAULT_ATTEMPTS}, about three minutes); once connected it retries forever",
    )
    mon.set_defaults(handler=_monitor)

    plant = commands.add_parser("plant", help="OPC UA tags, rules, alarms and certificates")
    actions = plant.add_subparsers(dest="plant_command", metavar="ACTION", required=True)
    browse = actions.add_parser(
        "browse", parents=[common, opc], help="list a server's variables or propose a mapping"
    )
    browse.add_argument("--out", type=Path, metavar="CSV", help="write a mapping proposal here")
    browse.set_defaults(handler=_browse)
    plant_discovery.register(actions, common, opc, _connection)
    imp = actions.add_parser("import-tags", parents=[common], help="import a tag mapping CSV")
    imp.add_argument("file", type=Path)
    imp.set_defaults(handler=_import_tags)
    tags = actions.add_parser("tags", parents=[common], help="list mapped tags")
    tags.add_argument("--format", choices=FORMATS, default="table")
    tags.set_defaults(handler=_tags)
    sampling = actions.add_parser(
        "sampling", parents=[common], help="give a tag its own sampling interval"
    )
    sampling.add_argument("tag")
    sampling.add_argument(
        "ms", type=_sampling_ms, help="milliseconds, or `default` for the tag class's"
    )
    sampling.set_defaults(handler=_sampling)
    rule = actions.add_parser("rule-add", parents=[common], help="add a condition rule")
    rule.add_argument("--name", required=True)
    rule.add_argument("--tag", required=True)
    rule.add_argument("--kind", choices=[k.value for k in RuleKind], default="threshold")
    rule.add_argument("--limit", type=float, required=True)
    rule.add_argument("--direction", choices=[d.value for d in Direction], default="above")
    rule.add_argument("--hysteresis", type=float, default=0.0)
    rule.add_argument("--on-delay", type=float, default=0.0, metavar="S")
    rule.add_argument("--window", type=float, default=600.0, metavar="S")
    rule.add_argument("--horizon", type=float, default=86400.0, metavar="S")
    rule.add_argument("--priority", type=int, choices=[int(p) for p in Priority], default=2)
    rule.add_argument(
        "--verify-minutes",
        type=int,
        default=DEFAULT_VERIFY_MINUTES,
        metavar="MIN",
        help="minutes in band after the repair before its order may complete (0: no check)",
    )
    rule.set_defaults(handler=_rule_add)
    rep = actions.add_parser(
        "replay", parents=[common], help="what a rule would have raised over stored history"
    )
    rep.add_argument("rule_id", type=record_id)
    rep.add_argument("--days", type=positive_number, default=30.0)
    rep.add_argument("--limit", type=float, help="try another limit than the rule's")
    rep.add_argument("--hysteresis", type=float, help="try another hysteresis")
    rep.add_argument("--on-delay", type=float, metavar="S", help="try another on-delay")
    rep.set_defaults(handler=_replay)
    rules = actions.add_parser("rules", parents=[common], help="list condition rules")
    rules.add_argument("--format", choices=FORMATS, default="table")
    rules.set_defaults(handler=_rules)
    alarms = actions.add_parser("alarms", parents=[common], help="list alarms, newest first")
    alarms.add_argument("--unacknowledged", action="store_true")
    alarms.add_argument("--format", choices=FORMATS, default="table")
    alarms.set_defaults(handler=_alarms)
    ack = actions.add_parser("ack", parents=[common], help="acknowledge an alarm")
    ack.add_argument("alarm_id", type=record_id)
    ack.set_defaults(handler=_ack)
    trust = actions.add_parser(
        "trust", parents=[common], help="trust a server certificate that was refused"
    )
    trust.add_argument("thumbprint", nargs="?", help="omit to list the refused ones")
    trust.add_argument("--pki", type=Path, metavar="DIR")
    trust.set_defaults(handler=_trust)


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
        copies=max(1, args.copies),
        fast_tags=max(0, args.fast_tags),
        fast_rate_hz=args.fast_rate,
        pki_dir=_pki_dir(ctx),
        login=args.login,
        allow_anonymous=not args.no_anonymous,
        stopped=tuple(args.stopped),
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


def _connection(ctx: CliContext) -> Connection:
    """The options given, else the workstation's settings file, else the local simulator."""
    args = ctx.args
    opcua = ctx.settings().opcua
    if opcua.mode is not PlantMode.SERVER:
        opcua = OpcUaSettings(PlantMode.SERVER, SimulatorOptions().endpoint)
    opcua = dataclasses.replace(
        opcua,
        endpoint=args.endpoint or opcua.endpoint,
        security=args.security or opcua.security,
        username=args.opc_user or opcua.username,
    )
    choice = choose_plant(None, False, dataclasses.replace(ctx.settings(), opcua=opcua))
    if choice.username and choice.password is None:
        raise WrenchbookError(
            f"no password for the OPC UA login {choice.username}: set {OPC_PASSWORD_ENV} or "
            "save it in the settings dialog"
        )
    return connection_for(choice, _pki_dir(ctx))


def _monitor(ctx: CliContext) -> int:
    db = ctx.db()
    actor = ctx.actor()
    quiet_asyncua_logs()
    runtime = MonitoringRuntime(
        db,
        actor,
        _connection(ctx),
        on_status=StatusPrinter(),
        on_counter=MeterFeed(db, actor),
    )
    if not runtime.tags:
        raise WrenchbookError("no tags are mapped: import a mapping with `plant import-tags`")
    print(f"{len(runtime.tags)} tags, {len(runtime.rules)} rules; Ctrl+C stops", flush=True)
    runtime.start()
    started = next_stats = time.monotonic()
    reported = safety = 0
    try:
        while ctx.args.duration is None or time.monotonic() - started < ctx.args.duration:
            time.sleep(0.5)
            _give_up_if_never_connected(runtime.client, ctx.args.attempts)
            for event in runtime.monitor.recent_events()[reported:]:
                reported += 1
                wo = f" -> {event.alarm.work_order_number}" if event.alarm else ""
                print(f"{event.event.change.value}: {event.rule.name}: {event.event.message}{wo}")
            for number, step in runtime.lockout.recent()[safety:]:
                safety += 1
                print(f"{number}: {step.safety_alarm}", flush=True)
            # Headless: nobody draws the live values, so the UI buffer is just emptied.
            runtime.ui_buffer.drain()
            if time.monotonic() >= next_stats + ctx.args.stats_every:
                next_stats = time.monotonic()
                print(f"{runtime.historian.written} samples stored", flush=True)
    finally:
        runtime.stop()
        c = runtime.client.counters
        print(
            f"stopped: {c.notifications} samples, {runtime.historian.written} stored, "
            f"{runtime.historian.dropped} dropped, {c.connects} connections",
            flush=True,
        )
    return 0


class StatusPrinter:
    """Prints the link's state, on connecting what the server granted, and a `warning:` line
    per tag short of values whenever that list changes. Runs on the OPC UA thread."""

    def __init__(self) -> None:
        self._last: ClientStatus | None = None

    def __call__(self, status: ClientStatus) -> None:
        last, self._last = self._last, status
        lines = []
        if last is None or (last.state, last.message) != (status.state, status.message):
            lines += [f"[{status.state.value}] {status.message}", *status.sampling]
        still_connected = last is not None and last.state is status.state is LinkState.CONNECTED
        if still_connected and last is not None and status.delivery != last.delivery:
            lines += [f"warning: {shortfall.text}" for shortfall in status.delivery]
            if not status.delivery:
                lines.append("every tag delivers values at its interval again")
        if lines:
            print("\n".join(lines), flush=True)


def _give_up_if_never_connected(client: OpcUaClientThread, attempts: int) -> None:
    """A monitor that never got through is misconfigured, not facing a restart: say why
    (the last failure, with its fix) and end, so a service manager or a shell notices."""
    status = client.status
    waiting = status.state in (LinkState.RECONNECTING, LinkState.UNTRUSTED)
    if client.counters.connects == 0 and waiting and status.attempt >= attempts:
        raise WrenchbookError(f"gave up after {status.attempt} attempts: {status.message}")


def _browse(ctx: CliContext) -> int:
    quiet_asyncua_logs()
    variables = asyncio.run(browse(_connection(ctx)))
    if ctx.args.out is None:
        rows = [
            (
                "/".join(v.path),
                v.data_type,
                v.unit,
                "yes" if v.numeric else f"no: {v.not_mappable}",
                v.namespace_uri,
                v.node_id,
            )
            for v in variables
        ]
        headers = ("path", "type", "unit", "mappable", "namespace_uri", "node_id")
        print(render(headers, rows, "table"))
        return 0
    codes = {a.code for a in AssetService(ctx.db()).list()}
    drafts = propose_mapping(variables, codes)
    ctx.args.out.write_text(write_mapping_csv(drafts), encoding="utf-8")
    new_assets = sorted({d.asset_code for d in drafts} - codes)
    print(
        f"{len(drafts)} of {len(variables)} variables proposed in {ctx.args.out}: review, then "
        "`plant import-tags` it"
    )
    if new_assets:
        print(
            f"{len(new_assets)} assets proposed by the server's structure do not exist yet "
            f"({', '.join(new_assets[:5])}{' …' if len(new_assets) > 5 else ''}): change the "
            "asset column to yours, or create them first (`plant discover`, `plant apply`)"
        )
    return 0


def _import_tags(ctx: CliContext) -> int:
    count = PlantTagService(ctx.db()).import_file(ctx.actor(), ctx.args.file)
    print(f"{count} tags imported")
    return 0


def _tags(ctx: CliContext) -> int:
    rows = [
        (t.name, t.asset_code, t.kind, t.unit, t.namespace_uri, t.node_id, _asked(t))
        for t in PlantTagService(ctx.db()).tags()
    ]
    headers = ("name", "asset", "kind", "unit", "namespace_uri", "node_id", "sampling_ms")
    print(render(headers, rows, ctx.args.format))
    return 0


def _asked(tag: TagView) -> str:
    """The interval the tag asks for, marked where it is its class's default."""
    asked = sampling_ms(tag.kind, tag.name, tag.sampling_ms)
    return str(asked) if tag.sampling_ms is not None else f"{asked} (default)"


def _sampling_ms(text: str) -> int | None:
    word = text.strip().lower()
    if word == "default":
        return None
    if not word.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of milliseconds or `default`")
    return int(word)


def _sampling(ctx: CliContext) -> int:
    tag = PlantTagService(ctx.db()).set_sampling(ctx.actor(), ctx.args.tag, ctx.args.ms)
    asked = sampling_ms(tag.kind, tag.name, tag.sampling_ms)
    whose = "its own" if tag.sampling_ms is not None else f"the default for {tag.kind} tags"
    print(f"{tag.name} asks for sampling every {asked} ms ({whose}) from the next connection")
    return 0


def _rule_add(ctx: CliContext) -> int:
    a = ctx.args
    spec = RuleSpec(
        RuleKind(a.kind),
        a.limit,
        Direction(a.direction),
        a.hysteresis,
        a.on_delay,
        a.window,
        a.horizon,
    )
    rule = PlantTagService(ctx.db()).add_rule(
        ctx.actor(),
        RuleDraft(a.name, a.tag, spec, Priority(a.priority), verify_minutes=a.verify_minutes),
    )
    print(f"rule {rule.id} {rule.name} on {rule.tag_name} ({rule.asset_code})")
    return 0


def _rules(ctx: CliContext) -> int:
    rows = [
        (
            r.id,
            r.name,
            r.tag_name,
            r.spec.kind,
            r.spec.direction,
            # Read by people in a table (`1040 rpm`, not `1040.0`); exact for csv and json.
            number(r.spec.limit, r.unit) if ctx.args.format == "table" else r.spec.limit,
            int(r.priority),
            r.enabled,
            r.verify_minutes,
        )
        for r in PlantTagService(ctx.db()).rules()
    ]
    headers = ("id", "name", "tag", "kind", "direction", "limit", "priority", "enabled")
    headers += ("verify_min",)
    print(render(headers, rows, ctx.args.format))
    return 0


def _alarms(ctx: CliContext) -> int:
    rows = [
        (
            a.id,
            a.raised_at,
            a.rule_name,
            a.asset_code,
            a.message,
            a.work_order_number,
            a.work_order_status,
            a.cleared_at,
            a.acknowledged_by,
        )
        for a in AlarmService(ctx.db()).alarms(ctx.args.unacknowledged)
    ]
    headers = (
        "id",
        "raised",
        "rule",
        "asset",
        "message",
        "work_order",
        "wo_status",
        "cleared",
        "ack_by",
    )
    print(render(headers, rows, ctx.args.format))
    return 0


def _ack(ctx: CliContext) -> int:
    alarm = AlarmService(ctx.db()).acknowledge(ctx.actor(), ctx.args.alarm_id)
    print(f"alarm {alarm.id} acknowledged by {alarm.acknowledged_by}")
    return 0


def _trust(ctx: CliContext) -> int:
    pki = Pki(_pki_dir(ctx))
    if ctx.args.thumbprint is None:
        refused = pki.rejected_thumbprints()
        print("\n".join(refused) if refused else f"no refused certificates in {pki.rejected}")
        return 0
    print(f"trusted: {pki.trust(ctx.args.thumbprint)}")
    return 0


def _replay(ctx: CliContext) -> int:
    a = ctx.args
    rule = PlantTagService(ctx.db()).rule(a.rule_id)
    changes = {
        name: value
        for name, value in (
            ("limit", a.limit),
            ("hysteresis", a.hysteresis),
            ("on_delay_s", a.on_delay),
        )
        if value is not None
    }
    spec = dataclasses.replace(rule.spec, **changes)
    end = time.time()
    result = replay(ctx.db(), rule.tag_id, spec, end - a.days * 86400, end)
    print(
        f"{rule.name} ({spec.kind.value} {spec.direction.value} {number(spec.limit, rule.unit)}) "
        f"over "
        f"{a.days:g} days, {result.samples} samples: {result.alarms} alarms, at most "
        f"{result.work_orders} work orders"
    )
    for ts in result.raised_at:
        print(f"  raised {datetime.fromtimestamp(ts, UTC).isoformat(timespec='seconds')}")
    return 0

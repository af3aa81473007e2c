"""The plant simulator: an asyncua OPC UA server on loopback publishing the demo plant's tags.

Address space: Objects › Plant › <area> › <asset code> › <signal>, string node ids
`<asset code>.<signal>` in the namespace `NAMESPACE_URI`; assets with a nameplate in the demo
plant also carry the DI companion model's Manufacturer, Model and SerialNumber. Endpoints: no
security, and Basic256Sha256 Sign and SignAndEncrypt with a server certificate kept in the PKI
folder; anonymous logins, and a user name and password when `login` is given.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from asyncua import Server, ua
from asyncua.crypto.permission_rules import User, UserRole

from desktop.domain.discovery import DI_NAMESPACE_URI
from desktop.domain.failure_codes import RESOURCES_DIR
from desktop.plant.pki import Pki
from desktop.plant.sim_signals import PlantModel, Reading, Signal, Wire, load_signals

if TYPE_CHECKING:
    from pathlib import Path

NAMESPACE_URI = "urn:wrenchbook:demo-plant"
DEFAULT_PORT = 4840
# ~330 tags at 1 Hz: far below the ~2.5k writes/s where an asyncua server saturates
# (shared/PITFALLS.md), so the simulator leaves the CPU to the client it serves.
DEFAULT_RATE_HZ = 1.0
PLANT_FILE = RESOURCES_DIR / "demo_plant.json"

_WIRE_TYPES = {
    Wire.DOUBLE: ua.VariantType.Double,
    Wire.FLOAT: ua.VariantType.Float,
    Wire.BOOLEAN: ua.VariantType.Boolean,
    Wire.UINT32: ua.VariantType.UInt32,
    Wire.INT16: ua.VariantType.Int16,
    Wire.STRING: ua.VariantType.String,
}


@dataclass(frozen=True)
class SimulatorOptions:
    port: int = DEFAULT_PORT
    speed: float = 1.0
    rate_hz: float = DEFAULT_RATE_HZ
    max_tags: int | None = None
    pki_dir: Path | None = None
    # "user:password" that the server accepts besides anonymous logins.
    login: str | None = None
    allow_anonymous: bool = True
    seed: int = 7
    # Asset codes whose machines stay stopped (isolated) for the whole run.
    stopped: tuple[str, ...] = ()
    # Plant scale (benchmarks): the demo plant's machines this many times over, and the
    # first `fast_tags` tags updated at `fast_rate_hz` instead of `rate_hz`.
    copies: int = 1
    fast_tags: int = 0
    fast_rate_hz: float = 10.0

    @property
    def endpoint(self) -> str:
        return f"opc.tcp://127.0.0.1:{self.port}/wrenchbook/plant"


class _Logins:
    """asyncua user manager: anonymous when allowed, else the one configured login."""

    def __init__(self, login: str | None, allow_anonymous: bool) -> None:
        self._login = tuple(login.split(":", 1)) if login else None
        self._anonymous = allow_anonymous

    def get_user(
        self,
        iserver: Any,
        username: str | None = None,
        password: str | None = None,
        certificate: Any = None,
    ) -> User | None:
        if username is None:
            return User(role=UserRole.User) if self._anonymous else None
        if self._login is not None and (username, password) == self._login:
            return User(role=UserRole.User, name=username)
        return None


class PlantSimulator:
    """The server and its update loop; `run()` until cancelled, or `start()`/`stop()`."""

    def __init__(self, options: SimulatorOptions) -> None:
        self.options = options
        self.signals: list[Signal] = load_signals(PLANT_FILE, options.max_tags, options.copies)
        self.model = PlantModel(self.signals, options.seed, frozenset(options.stopped))
        self.server_certificate: bytes | None = None
        self._server: Server | None = None
        self._nodes: list[ua.NodeId] = []
        self._types: list[ua.VariantType] = []
        self._task: asyncio.Task[None] | None = None
        self.writes = 0

    async def start(self) -> None:
        opts = self.options
        server = Server(user_manager=_Logins(opts.login, opts.allow_anonymous))
        await server.init()
        server.set_endpoint(opts.endpoint)
        server.set_server_name("Wrenchbook plant simulator")
        policies = [ua.SecurityPolicyType.NoSecurity]
        if opts.pki_dir is not None:
            own = Pki(opts.pki_dir).own_certificate("simulator", server=True)
            await server.set_application_uri(own.application_uri)
            await server.load_certificate(str(own.cert_path))
            await server.load_private_key(str(own.key_path))
            self.server_certificate = own.cert_path.read_bytes()
            policies += [
                ua.SecurityPolicyType.Basic256Sha256_Sign,
                ua.SecurityPolicyType.Basic256Sha256_SignAndEncrypt,
            ]
        server.set_security_policy(policies)
        tokens: list[type] = [ua.UserNameIdentityToken]
        if opts.allow_anonymous:
            tokens.append(ua.AnonymousIdentityToken)
        server.set_identity_tokens(tokens)
        await self._build_address_space(server)
        await server.start()
        self._server = server
        self._task = asyncio.create_task(self._update_loop())

    async def _build_address_space(self, server: Server) -> None:
        idx = await server.register_namespace(NAMESPACE_URI)
        di = await server.register_namespace(DI_NAMESPACE_URI)
        nameplates = {
            a["code"]: a
            for a in json.loads(PLANT_FILE.read_text(encoding="utf-8"))["assets"]
            if a.get("maker")
        }
        plant = await server.nodes.objects.add_folder(ua.NodeId("Plant", idx), "Plant")
        areas: dict[str, Any] = {}
        assets: dict[str, Any] = {}
        first = self.model.step(0.0)
        for signal, reading in zip(self.signals, first, strict=True):
            if signal.area not in areas:
                areas[signal.area] = await plant.add_folder(
                    ua.NodeId(signal.area, idx), f"{idx}:{signal.area}"
                )
                await areas[signal.area].write_attribute(
                    ua.AttributeIds.Description,
                    ua.DataValue(ua.Variant(ua.LocalizedText(signal.area_name))),
                )
            if signal.asset_code not in assets:
                assets[signal.asset_code] = await areas[signal.area].add_object(
                    ua.NodeId(signal.asset_code, idx), f"{idx}:{signal.asset_code}"
                )
                plate = nameplates.get(signal.asset_code)
                if plate is not None:
                    await _add_nameplate(
                        assets[signal.asset_code], signal.asset_code, idx, di, plate
                    )
            vtype = _WIRE_TYPES[signal.template.wire]
            var = await assets[signal.asset_code].add_variable(
                ua.NodeId(signal.node_name, idx),
                f"{idx}:{signal.template.name}",
                ua.Variant(reading.value, vtype),
                varianttype=vtype,
            )
            if signal.template.unit:
                await var.add_property(
                    ua.NodeId(f"{signal.node_name}.EngineeringUnits", idx),
                    "EngineeringUnits",
                    ua.EUInformation(DisplayName=ua.LocalizedText(signal.template.unit)),
                )
            self._nodes.append(var.nodeid)
            self._types.append(vtype)

    async def _update_loop(self) -> None:
        assert self._server is not None
        opts = self.options
        fast = min(opts.fast_tags, len(self.signals))
        tick_hz = max(opts.rate_hz, opts.fast_rate_hz) if fast else opts.rate_hz
        period = 1.0 / tick_hz
        # The slow tags are spread over the ticks of a slow period (a slice each tick), so the
        # server writes evenly instead of in bursts.
        slices = max(1, round(tick_hz / opts.rate_hz))
        slow = len(self.signals) - fast
        started = time.monotonic()
        tick = 0
        while True:
            tick += 1
            # Ticks are scheduled from the start, so slow writes do not stretch the period.
            await asyncio.sleep(max(0.0, started + tick * period - time.monotonic()))
            sim_t = (time.monotonic() - started) * opts.speed
            part = tick % slices
            lo, hi = fast + slow * part // slices, fast + slow * (part + 1) // slices
            indices = [*range(fast), *range(lo, hi)]
            readings = self.model.step_some(sim_t, indices)
            now = datetime.now(UTC)
            nodes, types = self._nodes, self._types
            write = self._server.write_attribute_value
            for index, reading in zip(indices, readings, strict=True):
                await write(nodes[index], _data_value(reading, types[index], now))
            self.writes += len(readings)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self._server is not None:
            await self._server.stop()

    async def run(self) -> None:
        await self.start()
        try:
            await asyncio.Event().wait()
        finally:
            await self.stop()


class SimulatorThread:
    """The simulator on a background thread with its own loop: the desktop app's demo mode
    starts it by itself, as `SimulatorThread(options).start()`, and stops it on exit."""

    def __init__(self, options: SimulatorOptions) -> None:
        self.simulator = PlantSimulator(options)
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="plant-simulator", daemon=True)

    @property
    def endpoint(self) -> str:
        return self.simulator.options.endpoint

    def start(self, timeout_s: float = 60.0) -> SimulatorThread:
        self._thread.start()
        self._ready.wait(timeout_s)
        if self._error is not None:
            raise self._error
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(self.simulator.stop(), self._loop).result(30)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(30)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self.simulator.start())
        except (OSError, RuntimeError) as exc:  # a port in use, most often
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        self._loop.run_forever()
        self._loop.close()


async def _add_nameplate(obj: Any, code: str, idx: int, di: int, plate: dict[str, Any]) -> None:
    """DI-style nameplate properties (browse names in the DI namespace), as a device would
    publish them, so discovery can fill maker, model and serial number."""
    values = {
        "Manufacturer": ua.Variant(ua.LocalizedText(plate["maker"]), ua.VariantType.LocalizedText),
        "Model": ua.Variant(ua.LocalizedText(plate["model"] or ""), ua.VariantType.LocalizedText),
        "SerialNumber": ua.Variant(plate["serial"] or "", ua.VariantType.String),
    }
    for name, value in values.items():
        await obj.add_property(ua.NodeId(f"{code}.{name}", idx), ua.QualifiedName(name, di), value)


def _data_value(reading: Reading, vtype: ua.VariantType, now: datetime) -> ua.DataValue:
    value = reading.value
    if vtype in (ua.VariantType.Double, ua.VariantType.Float) and not isinstance(value, float):
        value = float(value)
    status = ua.StatusCode(getattr(ua.StatusCodes, reading.status or "Good"))
    return ua.DataValue(ua.Variant(value, vtype), status, SourceTimestamp=now, ServerTimestamp=now)


def quiet_asyncua_logs() -> None:
    """asyncua logs every client connect and lost socket at INFO/WARNING; a console shows
    only its errors."""
    logging.getLogger("asyncua").setLevel(logging.ERROR)

"""The simulated plant's signals: which assets carry which tags, and how each value moves.

Values follow simulated time (real time × speed), so a degradation scripted over hours can be
watched in minutes. Everything is seeded: the same seed gives the same plant.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from desktop.domain.condition import DataKind

if TYPE_CHECKING:
    from pathlib import Path


class Wire(StrEnum):
    """OPC UA built-in types the simulator publishes; clients must accept all widths."""

    DOUBLE = "Double"
    FLOAT = "Float"
    BOOLEAN = "Boolean"
    UINT32 = "UInt32"
    INT16 = "Int16"
    STRING = "String"


@dataclass(frozen=True)
class SignalTemplate:
    name: str
    unit: str
    kind: DataKind
    wire: Wire
    base: float
    noise: float


# What each kind of rotating equipment reports (ISO 10816 velocity in mm/s RMS).
_PUMP = (
    SignalTemplate("Vibration", "mm/s", DataKind.ANALOG, Wire.DOUBLE, 2.0, 0.12),
    SignalTemplate("BearingTemperature", "°C", DataKind.ANALOG, Wire.FLOAT, 48.0, 0.3),
    SignalTemplate("MotorCurrent", "A", DataKind.ANALOG, Wire.DOUBLE, 22.0, 0.4),
    SignalTemplate("Pressure", "bar", DataKind.ANALOG, Wire.FLOAT, 4.2, 0.05),
    SignalTemplate("Flow", "m³/h", DataKind.ANALOG, Wire.DOUBLE, 28.0, 0.6),
    SignalTemplate("RuntimeHours", "h", DataKind.COUNTER, Wire.DOUBLE, 0.0, 0.0),
    SignalTemplate("Starts", "", DataKind.COUNTER, Wire.UINT32, 0.0, 0.0),
    SignalTemplate("Running", "", DataKind.STATE, Wire.BOOLEAN, 1.0, 0.0),
)
_MOTOR = (
    SignalTemplate("Vibration", "mm/s", DataKind.ANALOG, Wire.DOUBLE, 1.6, 0.1),
    SignalTemplate("BearingTemperature", "°C", DataKind.ANALOG, Wire.FLOAT, 44.0, 0.3),
    SignalTemplate("MotorCurrent", "A", DataKind.ANALOG, Wire.DOUBLE, 14.0, 0.3),
    SignalTemplate("RuntimeHours", "h", DataKind.COUNTER, Wire.DOUBLE, 0.0, 0.0),
    SignalTemplate("Running", "", DataKind.STATE, Wire.BOOLEAN, 1.0, 0.0),
)
_GEARBOX = (
    SignalTemplate("Vibration", "mm/s", DataKind.ANALOG, Wire.DOUBLE, 2.4, 0.15),
    SignalTemplate("OilTemperature", "°C", DataKind.ANALOG, Wire.INT16, 55.0, 0.5),
)
_COMPRESSOR = (
    SignalTemplate("Vibration", "mm/s", DataKind.ANALOG, Wire.DOUBLE, 2.8, 0.15),
    SignalTemplate("Pressure", "bar", DataKind.ANALOG, Wire.FLOAT, 7.5, 0.08),
    SignalTemplate("MotorCurrent", "A", DataKind.ANALOG, Wire.DOUBLE, 65.0, 0.8),
    SignalTemplate("RuntimeHours", "h", DataKind.COUNTER, Wire.DOUBLE, 0.0, 0.0),
    SignalTemplate("Running", "", DataKind.STATE, Wire.BOOLEAN, 1.0, 0.0),
)
_SENSOR = (
    SignalTemplate("Temperature", "°C", DataKind.ANALOG, Wire.DOUBLE, 85.0, 0.2),
    SignalTemplate("DeviceStatus", "", DataKind.STATE, Wire.STRING, 0.0, 0.0),
)
TEMPLATES: dict[str, tuple[SignalTemplate, ...]] = {
    "pump": _PUMP,
    "motor": _MOTOR,
    "gearbox": _GEARBOX,
    "compressor": _COMPRESSOR,
    "sensor": _SENSOR,
}

# The scripted bearing failure: after DEGRADE_START_S of simulated time, this pump's DE
# bearing wears; vibration grows exponentially (time constant DEGRADE_TAU_S) and takes the
# bearing temperature with it. With the defaults vibration crosses 7.1 mm/s (ISO 10816
# zone D for a class II machine) about 2.5 simulated hours after the start.
DEGRADING_ASSET = "BOT-SYR-SUG-P1"
DEGRADE_START_S = 600.0
DEGRADE_TAU_S = 3600.0
# A temperature sensor with a loose connector: its value is uncertain, bad or NaN now and then.
FAULTY_SENSOR = "BOT-SYR-SUG-HX1-TT1"


@dataclass(frozen=True)
class Signal:
    """One published variable: its place in the address space and its template."""

    area: str
    area_name: str
    asset_code: str
    asset_name: str
    template: SignalTemplate

    @property
    def node_name(self) -> str:
        return f"{self.asset_code}.{self.template.name}"


@dataclass
class Reading:
    value: float | bool | int | str
    # None: good; else the name of an OPC UA status code to publish with the value.
    status: str | None = None


@dataclass
class _AssetState:
    running: bool = True
    next_switch: float = 0.0
    runtime_h: float = 0.0
    starts: int = 0
    lag_temperature: float = 0.0
    phase: float = field(default=0.0)


def load_signals(plant_file: Path, max_tags: int | None = None, copies: int = 1) -> list[Signal]:
    """Signals for the demo plant's rotating equipment, in asset order; `max_tags` trims.

    `copies` above 1 repeats the plant's machines (codes `<code>~2`, `<code>~3`, …) for the
    plant-scale benchmark: a site of thousands of tags from a plant of a few hundred.
    """
    data = json.loads(plant_file.read_text(encoding="utf-8"))
    assets = data["assets"]
    by_code = {a["code"]: a for a in assets}
    signals: list[Signal] = []
    for asset in assets:
        templates = TEMPLATES.get(asset["asset_class"], ())
        if asset["asset_class"] == "sensor" and asset["code"] != FAULTY_SENSOR:
            continue
        area = asset
        while area["parent"] is not None:
            area = by_code[area["parent"]]
        for template in templates:
            signals.append(
                Signal(area["code"], area["name"], asset["code"], asset["name"], template)
            )
    # The degrading pump and the faulty sensor come first so a trimmed plant still has them.
    signals.sort(key=lambda s: s.asset_code not in (DEGRADING_ASSET, FAULTY_SENSOR))
    originals = list(signals)
    for copy in range(2, copies + 1):
        signals += [
            Signal(s.area, s.area_name, f"{s.asset_code}~{copy}", s.asset_name, s.template)
            for s in originals
        ]
    return signals[:max_tags] if max_tags else signals


class PlantModel:
    """Computes every signal's value at a simulated time; pure Python, no I/O."""

    def __init__(
        self, signals: list[Signal], seed: int = 7, stopped: frozenset[str] = frozenset()
    ) -> None:
        self.signals = signals
        self._rng = random.Random(seed)
        self._assets: dict[str, _AssetState] = {}
        # Machines held stopped for the whole run, as if locked out for maintenance.
        self._stopped = stopped
        for signal in signals:
            if signal.asset_code not in self._assets:
                self._assets[signal.asset_code] = _AssetState(
                    running=signal.asset_code not in stopped,
                    next_switch=self._rng.uniform(1800, 14400),
                    phase=self._rng.uniform(0, 6.28),
                )
        self._last_t = 0.0
        self._fault_tick = 0

    def degradation(self, sim_t: float, asset_code: str) -> float:
        """Extra vibration (mm/s) of the wearing bearing; 0 elsewhere and before it starts."""
        if asset_code != DEGRADING_ASSET or sim_t <= DEGRADE_START_S:
            return 0.0
        return min(12.0, 0.4 * (math.exp((sim_t - DEGRADE_START_S) / DEGRADE_TAU_S) - 1.0))

    def step(self, sim_t: float) -> list[Reading]:
        """Advance to `sim_t` (seconds since start) and read every signal."""
        self.advance(sim_t)
        return [self._read(signal, sim_t) for signal in self.signals]

    def step_some(self, sim_t: float, indices: list[int]) -> list[Reading]:
        """Advance to `sim_t` and read only the signals at `indices` (the simulator's fast
        and slow groups update at their own rates)."""
        self.advance(sim_t)
        return [self._read(self.signals[i], sim_t) for i in indices]

    def advance(self, sim_t: float) -> None:
        """Move the machines' states (running, hours, starts) on to `sim_t`."""
        dt = max(0.0, sim_t - self._last_t)
        self._last_t = sim_t
        for code, state in self._assets.items():
            held = code == DEGRADING_ASSET or code in self._stopped
            if sim_t >= state.next_switch and not held:
                state.running = not state.running
                state.starts += int(state.running)
                # Runs of hours, stops of minutes: a bottling line's rhythm.
                low, high = (7200, 28800) if state.running else (300, 1800)
                span = self._rng.uniform(low, high)
                state.next_switch = sim_t + span
            if state.running:
                state.runtime_h += dt / 3600.0
        self._fault_tick += 1

    def _read(self, signal: Signal, sim_t: float) -> Reading:
        t = signal.template
        state = self._assets[signal.asset_code]
        gauss = self._rng.gauss
        wear = self.degradation(sim_t, signal.asset_code)
        load = 1.0 + 0.03 * math.sin(sim_t / 900.0 + state.phase)
        if t.kind is DataKind.COUNTER:
            return Reading(state.starts if t.wire is Wire.UINT32 else round(state.runtime_h, 4))
        if t.wire is Wire.BOOLEAN:
            return Reading(state.running)
        if t.wire is Wire.STRING:
            return Reading("connector fault" if self._fault_tick % 40 >= 36 else "ok")
        if signal.asset_code == FAULTY_SENSOR:
            return self._faulty(t)
        if not state.running:
            idle = {"Vibration": 0.05, "MotorCurrent": 0.0, "Flow": 0.0, "Pressure": 0.3}
            base = idle.get(t.name, t.base * 0.6)
            return Reading(self._cast(t, max(0.0, base + gauss(0, t.noise * 0.2))))
        value = t.base * load + gauss(0, t.noise)
        if t.name == "Vibration":
            value += wear * (1.0 + gauss(0, 0.05))
        elif t.name == "BearingTemperature":
            value += 4.5 * wear
        return Reading(self._cast(t, max(0.0, value)))

    def _faulty(self, t: SignalTemplate) -> Reading:
        """A loose connector: in each 40 ticks, 2 uncertain, 2 bad, 1 NaN; good otherwise."""
        phase = self._fault_tick % 40
        value = t.base + self._rng.gauss(0, t.noise)
        if phase in (30, 31):
            return Reading(value, "UncertainLastUsableValue")
        if phase in (32, 33):
            return Reading(0.0, "BadSensorFailure")
        if phase == 34:
            return Reading(math.nan)
        return Reading(value)

    @staticmethod
    def _cast(t: SignalTemplate, value: float) -> float | int:
        return round(value) if t.wire is Wire.INT16 else value

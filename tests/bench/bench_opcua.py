"""OPC UA pipeline against a bare asyncua subscription client, on the simulator, in one run.

For each load (tags x rate) the simulator runs as its own process and two client processes
subscribe to the same nodes at once: ours (client thread + historian on SQLite + rule monitor +
UI buffer drained every 100 ms) and a bare asyncua client that only counts. Figures: the share
of the bare client's samples that reached our historian and our UI buffer (target: all), and
our process's CPU time against the bare one's (target: at most 3x). The load is then raised
until our pipeline drops samples or the server saturates.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from desktop.domain.condition import Direction, RuleKind, RuleSpec
from desktop.domain.enums import AssetLevel, Criticality
from desktop.plant.sim_signals import Wire, load_signals
from desktop.plant.simulator import NAMESPACE_URI, PLANT_FILE
from desktop.services.admin.users import UserService
from desktop.services.assets.assets import AssetService, NewAsset
from desktop.services.condition.plant_tags import PlantTagService, RuleDraft, TagDraft
from desktop.store.database import Database
from desktop.store.migrate import upgrade
from tests.bench import Figure
from tests.integration.simulator_process import SimulatorProcess

BENCH = "opcua"
WORKER = "tests/bench/opcua_worker.py"
ROOT = Path(__file__).resolve().parents[2]
WINDOW_S = 20.0
# Time for both clients to start, connect and subscribe before the window opens.
LEAD_S = 12.0
BASE_LOAD = (200, 10.0)
# The asyncua server saturates near 2.5k writes/s (PITFALLS.md), so the load is raised by
# publishing fewer variables faster rather than more of them.
RAISED_LOADS = ((100, 20.0), (60, 40.0), (40, 80.0))
# A load is held when our historian and UI buffer got at least this share of the bare samples.
HELD_SHARE = 0.999
STALL_LIMIT_MS = 50.0


def _database(folder: Path, tags: int) -> str:
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    db = Database(url)
    upgrade(db)
    users = UserService(db)
    users.create_first_admin("admin", "Bench Admin", "bench-password-1")
    admin = users.actor_for("admin")
    assets = AssetService(db)
    assets.ensure_site(admin, "BEN", "Bench plant", "UTC")
    assets.create(admin, NewAsset("AREA", "Area", AssetLevel.AREA, "area", Criticality.A))
    signals = [s for s in load_signals(PLANT_FILE) if s.template.wire is not Wire.STRING][:tags]
    service = PlantTagService(db)
    service.import_tags(
        admin,
        [TagDraft(s.node_name, "AREA", NAMESPACE_URI, f"s={s.node_name}") for s in signals],
    )
    spec = RuleSpec(RuleKind.THRESHOLD, 7.1, Direction.ABOVE, hysteresis=0.5, on_delay_s=30)
    service.add_rule(admin, RuleDraft("vibration", signals[0].node_name, spec))
    db.dispose()
    return url


def _measure(
    tags: int, rate: float, kinds: tuple[str, ...] = ("ours", "bare")
) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory(prefix="wb-bench-opcua-") as folder:
        url = _database(Path(folder), tags)
        sim = SimulatorProcess("--tags", str(tags + 1), "--rate", str(rate)).start()
        try:
            start = time.time() + LEAD_S
            end = start + WINDOW_S
            workers = {
                kind: subprocess.Popen(
                    [sys.executable, WORKER, kind, sim.endpoint, url, str(start), str(end)],
                    cwd=ROOT,
                    stdout=subprocess.PIPE,
                    text=True,
                )
                for kind in kinds
            }
            results = {}
            for kind, worker in workers.items():
                out, _ = worker.communicate(timeout=LEAD_S + WINDOW_S + 120)
                results[kind] = json.loads(out.strip().splitlines()[-1])
        finally:
            sim.stop()
    return results


def _shares(results: dict[str, dict[str, float]]) -> tuple[float, float]:
    """Shares of what our client received that reached our historian and our UI buffer."""
    received = results["ours"]["received"] or 1
    return results["ours"]["historian"] / received, results["ours"]["ui"] / received


def run() -> list[Figure]:
    tags, rate = BASE_LOAD
    label = f"{tags} tags x {rate:g} Hz"
    results = _measure(tags, rate)
    print(f"   {label}: {results}", flush=True)
    ours, bare = results["ours"], results["bare"]
    historian_share, ui_share = _shares(results)
    figures = [
        Figure(
            BENCH,
            f"{label}: samples received in {WINDOW_S:g} s",
            ours["received"],
            "samples",
            bare["received"],
            "report: the server's deliveries to each client vary under load",
        ),
        Figure(
            BENCH,
            f"{label}: share reaching our historian",
            historian_share,
            "share",
            target=f"1.0 (met: {historian_share >= HELD_SHARE})",
        ),
        Figure(
            BENCH,
            f"{label}: share reaching our UI buffer",
            ui_share,
            "share",
            target=f"1.0 (met: {ui_share >= HELD_SHARE})",
        ),
        Figure(
            BENCH,
            f"{label}: client CPU time in {WINDOW_S:g} s",
            ours["cpu_s"],
            "s",
            bare["cpu_s"],
            "at most 3x the bare asyncua client",
            limit_ratio=3.0,
        ),
    ]
    ui = _measure(tags, rate, ("ours-ui",))["ours-ui"]
    print(f"   {label} with the trends panel: {ui}", flush=True)
    figures.append(
        Figure(
            BENCH,
            f"{label}: Qt event loop longest stall, 8 live curves",
            ui["stall_ms"],
            "ms",
            target=f"under 50 ms (met: {ui['stall_ms'] < STALL_LIMIT_MS})",
        )
    )
    figures.append(
        Figure(
            BENCH,
            f"{label}: client CPU time in {WINDOW_S:g} s with the trends panel",
            ui["cpu_s"],
            "s",
            bare["cpu_s"],
            "report (the drawing is the UI's cost, not the client's)",
        )
    )
    held = label if min(historian_share, ui_share) >= HELD_SHARE else "none"
    for tags, rate in RAISED_LOADS:
        label = f"{tags} tags x {rate:g} Hz"
        results = _measure(tags, rate)
        print(f"   {label}: {results}", flush=True)
        shares = _shares(results)
        if results["bare"].get("lost_connection") or results["ours"]["connects"] != 1:
            figures.append(Figure(BENCH, f"{label}: server overloaded, run not valid", 0, "-"))
            break
        figures.append(
            Figure(
                BENCH,
                f"{label}: share reaching historian and UI (lower)",
                min(shares),
                "share",
                target=f"1.0 (met: {min(shares) >= HELD_SHARE})",
            )
        )
        figures.append(
            Figure(
                BENCH,
                f"{label}: samples received in {WINDOW_S:g} s",
                results["ours"]["received"],
                "samples",
                results["bare"]["received"],
            )
        )
        if min(shares) < HELD_SHARE:
            break
        held = label
    figures.append(Figure(BENCH, f"highest load held without drops: {held}", 0, "-"))
    return figures

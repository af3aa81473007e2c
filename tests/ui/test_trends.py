"""The live trends panel: live batches through the bridge, pause, history, limits and alarms."""

from __future__ import annotations

import math
import time
from dataclasses import replace
from datetime import UTC, datetime

import numpy as np
from PySide6.QtCore import Qt

from desktop.domain.condition import Direction, Quality, RuleKind, RuleSpec, Sample
from desktop.plant.buffer import SampleBuffer
from desktop.plant.client import ClientStatus, LinkState
from desktop.plant.historian import write_samples
from desktop.plant.sampling import SamplingGrant, Shortfall
from desktop.services.condition.alarms import AlarmService, Evidence
from desktop.services.condition.plant_tags import PlantTagService, RuleDraft, TagDraft
from ui.trends.bridge import SampleBridge
from ui.trends.panel import TagIdRole, TrendsPanel

NS = "urn:example:plant"


def _setup(app_context):
    service = PlantTagService(app_context.db)
    actor = app_context.actor
    service.import_tags(
        actor,
        [
            TagDraft("P-101.Vibration", "P-101", NS, "s=v", "mm/s"),
            TagDraft("P-101.Temperature", "P-101", NS, "s=t", "°C"),
        ],
    )
    spec = RuleSpec(RuleKind.THRESHOLD, 7.1, Direction.ABOVE, hysteresis=0.5)
    rule = service.add_rule(actor, RuleDraft("vibration high", "P-101.Vibration", spec))
    tags = {t.name: t.id for t in service.tags()}
    return tags, rule


def test_live_batches_scroll_pause_and_resume(qtbot, app_context):
    tags, _ = _setup(app_context)
    panel = TrendsPanel(app_context)
    qtbot.addWidget(panel)
    buffer = SampleBuffer()
    bridge = SampleBridge(buffer, tick_ms=20)
    panel.attach(bridge)
    panel.show_tags([tags["P-101.Vibration"], tags["P-101.Temperature"]])
    bridge.start()
    now = time.time()
    vib, temp = tags["P-101.Vibration"], tags["P-101.Temperature"]
    buffer.put_batch([Sample(vib, now - 10 + i, 2.0 + i / 10, Quality.GOOD) for i in range(10)])
    buffer.put_batch([Sample(vib, now, None, Quality.BAD), Sample(temp, now, 48.0, Quality.GOOD)])
    with qtbot.waitSignal(bridge.sig_samples_arrived):
        pass
    qtbot.waitUntil(lambda: len(panel.curve_data(vib)[0]) == 11)
    _, values = panel.curve_data(vib)
    assert math.isnan(values[-1])
    (start, end), _ = panel.plot.getPlotItem().getViewBox().viewRange()
    assert start < now - 10
    assert end >= now - 1
    qtbot.mouseClick(panel.pause_button, Qt.MouseButton.LeftButton)
    assert panel.paused
    buffer.put_batch([Sample(vib, now + 1, 3.0, Quality.GOOD)])
    qtbot.waitUntil(lambda: len(panel.curve_data(vib)[0]) == 12)
    assert panel.drawn_points(vib) == 11  # paused: kept, not drawn
    qtbot.mouseClick(panel.pause_button, Qt.MouseButton.LeftButton)
    assert panel.drawn_points(vib) == 12
    bridge.stop()


def test_limits_alarms_and_history_are_drawn(qtbot, app_context, tmp_path, actors):
    tags, rule = _setup(app_context)
    vib = tags["P-101.Vibration"]
    now = time.time()
    hours = np.arange(now - 6 * 3600, now - 3600, 30.0)
    write_samples(
        app_context.db,
        [Sample(vib, float(t), 2.0 + (t - hours[0]) / 3600, Quality.GOOD) for t in hours],
    )
    AlarmService(app_context.db).raise_alarm(
        actors["tom"],
        rule.id,
        datetime.fromtimestamp(now - 2 * 3600, UTC),
        7.4,
        "value 7.4 above 7.1",
        Evidence(b"csv"),
    )
    panel = TrendsPanel(app_context)
    qtbot.addWidget(panel)
    panel.resize(1000, 500)
    panel.show_tags([vib])
    panel.window_box.setCurrentIndex(2)  # 8 hours: older than any live point, so from history
    qtbot.waitUntil(lambda: panel.history_points(vib) > 0)
    labels = panel.decoration_labels()
    assert "vibration high 7.1" in labels
    assert any(label.startswith("WO-") for label in labels)
    panel.show()
    panel.grab().save(str(tmp_path / "trends.png"))


def test_the_tag_list_shows_what_the_server_granted_and_warns_of_a_shortfall(qtbot, app_context):
    tags, _ = _setup(app_context)
    PlantTagService(app_context.db).set_sampling(app_context.actor, "P-101.Temperature", 250)
    panel = TrendsPanel(app_context)
    qtbot.addWidget(panel)
    bridge = SampleBridge(SampleBuffer(), tick_ms=20)
    panel.attach(bridge)
    items = {panel._tag_list.item(row).data(TagIdRole): panel._tag_list.item(row) for row in
             range(panel._tag_list.count())}  # fmt: skip
    vib, temp = items[tags["P-101.Vibration"]], items[tags["P-101.Temperature"]]
    assert vib.text() == "P-101.Vibration [mm/s] · 100 ms"  # asked: the class's 100 ms
    assert "(its own)" in temp.toolTip()

    status = ClientStatus(
        LinkState.CONNECTED,
        "opc.tcp://plant:4840, 2 tags",
        grants=(
            SamplingGrant(tags["P-101.Vibration"], 100, 20, 100, 20, "P-101.Vibration"),
            SamplingGrant(tags["P-101.Temperature"], 250, 20, 0, 20, "P-101.Temperature"),
        ),
    )
    bridge.sig_status_changed.emit(status)
    assert vib.text() == "P-101.Vibration [mm/s] · 100 ms"
    assert vib.toolTip().splitlines()[1] == "The server granted every 100 ms, queue 20."
    assert temp.text() == "⚠ P-101.Temperature [°C] · changes only"
    assert "revised sampling to changes only (asked 250 ms)" in temp.toolTip()
    assert "⚠ fewer values than asked from P-101.Temperature" in panel._status.text()
    assert panel._status.toolTip() == panel._status.text()
    long_message = replace(status, message="opc.tcp://plant:4840, " + "x" * 600)
    bridge.sig_status_changed.emit(long_message)
    assert panel.minimumSizeHint().width() < 900  # ends in "…", the window keeps its width

    short = Shortfall("P-101.Vibration", "P-101.Vibration: 2 values in the last 60 s, …")
    bridge.sig_status_changed.emit(replace(status, delivery=(short,)))
    assert vib.text().startswith("⚠ P-101.Vibration")
    assert vib.toolTip().endswith("P-101.Vibration: 2 values in the last 60 s, …")


def test_the_live_curve_shows_the_newest_values_of_a_busy_tag_within_the_plot_width(
    qtbot, app_context
):
    tags, _ = _setup(app_context)
    vib = tags["P-101.Vibration"]
    panel = TrendsPanel(app_context)
    qtbot.addWidget(panel)
    panel.resize(900, 500)
    panel.show()
    buffer = SampleBuffer()
    bridge = SampleBridge(buffer, tick_ms=20)
    panel.attach(bridge)
    panel.show_tags([vib])
    bridge.start()
    now = time.time()
    # Ten minutes at 50 Hz, a spike in the middle; the panel shows the last five minutes.
    ts = now - 600 + np.arange(30_000) / 50
    for first in range(0, 30_000, 3_000):
        buffer.put_batch(
            [
                Sample(vib, float(t), 1.0 + (t == ts[22_000]) * 9, Quality.GOOD)
                for t in ts[first : first + 3_000]
            ]
        )
        qtbot.waitUntil(lambda first=first: len(panel.curve_data(vib)[0]) == first + 3_000)
    buffer.put_batch([Sample(vib, now + 0.5, 4.25, Quality.GOOD)])
    qtbot.waitUntil(lambda: panel.curve_data(vib)[1][-1] == 4.25)
    xs, ys = panel._curves[vib].getData()
    assert (xs[-1], ys[-1]) == (now + 0.5, 4.25)
    assert xs[0] >= now - 301  # the visible window only, not the ten minutes kept
    assert panel.drawn_points(vib) <= 2 * panel.plot.width()
    assert np.nanmax(ys) == 10.0  # the spike survives the decimation
    low, high = panel.plot.getPlotItem().getViewBox().viewRange()[1]
    assert low <= 1.0  # the value axis spans every drawn value
    assert high >= 10.0
    bridge.stop()

"""Mapping a real server's variables to assets from the app, against the built-in simulator."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.domain.enums import AssetLevel, Criticality
from desktop.plant.simulator import SimulatorOptions, SimulatorThread
from desktop.services.assets.assets import AssetService, NewAsset
from desktop.services.condition.plant_tags import PlantTagService
from ui.plant.mapping_dialog import ASSET, NAME, SAMPLING, TagMappingDialog
from ui.plant_link import free_port


@pytest.fixture(scope="module")
def simulator(tmp_path_factory):
    options = SimulatorOptions(port=free_port(), pki_dir=tmp_path_factory.mktemp("sim-pki"))
    server = SimulatorThread(options).start()
    yield server
    server.stop()


def _browsed(qtbot, dialog):
    with qtbot.waitSignal(dialog._browser.sig_found, timeout=60_000):
        qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    return dialog


def test_rows_matching_an_asset_are_proposed_and_mapped(qtbot, app_context, actors, simulator):
    # An asset named like one of the simulator's objects gets its variables proposed.
    AssetService(app_context.db).create(
        actors["admin"],
        NewAsset(
            "BOT-SYR-SUG-P1", "Syrup pump", AssetLevel.EQUIPMENT, "pump", Criticality.B, "LINE"
        ),
    )
    dialog = TagMappingDialog(app_context, simulator.endpoint)
    qtbot.addWidget(dialog)
    _browsed(qtbot, dialog)
    ticked = [
        row
        for row in range(dialog.table.rowCount())
        if dialog.table.item(row, 0).checkState() == Qt.CheckState.Checked
    ]
    assert ticked
    assert {dialog.table.item(row, ASSET).text() for row in ticked} == {"BOT-SYR-SUG-P1"}
    # Each row offers its class's interval; one is given its own.
    rows = {dialog.table.item(row, NAME).text(): row for row in ticked}
    vibration = next(name for name in rows if name.endswith("Vibration"))
    assert dialog.table.item(rows[vibration], SAMPLING).text() == "100"
    dialog.table.item(rows[vibration], SAMPLING).setText("50")
    assert dialog.map_ticked()
    tags = PlantTagService(app_context.db).tags()
    assert {t.name for t in tags} == set(rows)
    assert {t.name: t.sampling_ms for t in tags if t.sampling_ms is not None} == {vibration: 50}
    # Browsing again shows them as already mapped: they can no longer be ticked.
    again = TagMappingDialog(app_context, simulator.endpoint)
    qtbot.addWidget(again)
    _browsed(qtbot, again)
    assert all(
        again.table.item(row, 0).flags() == Qt.ItemFlag.NoItemFlags
        for row in range(again.table.rowCount())
        if again.table.item(row, NAME).text() in rows
    )


def test_a_row_without_asset_is_refused_by_name_and_nothing_mapped(qtbot, app_context, simulator):
    dialog = TagMappingDialog(app_context, simulator.endpoint)
    qtbot.addWidget(dialog)
    _browsed(qtbot, dialog)
    dialog.table.item(0, 0).setCheckState(Qt.CheckState.Checked)
    dialog.table.item(0, ASSET).setText("NO-SUCH-ASSET")
    assert not dialog.map_ticked()
    assert "NO-SUCH-ASSET" in dialog.last_message.text() + dialog.last_message.informativeText()
    assert PlantTagService(app_context.db).tags() == []


def test_an_unreachable_server_is_explained(qtbot, app_context):
    dialog = TagMappingDialog(app_context, "opc.tcp://127.0.0.1:1/none")
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog._browser.sig_failed, timeout=60_000):
        dialog.browse()
    assert dialog.status.text().startswith("Cannot browse opc.tcp://127.0.0.1:1/none")
    assert dialog.browse_button.isEnabled()


def test_a_server_matching_no_asset_gets_a_proposal_by_structure_left_unticked(
    qtbot, app_context, simulator
):
    dialog = TagMappingDialog(app_context, simulator.endpoint)
    qtbot.addWidget(dialog)
    _browsed(qtbot, dialog)
    rows = {dialog.table.item(row, NAME).text(): row for row in range(dialog.table.rowCount())}
    vibration = rows["BOT-SYR-SUG-P1.Vibration"]
    # The object's name is proposed as the asset; nothing is ticked until the user reviews it.
    assert dialog.table.item(vibration, ASSET).text() == "BOT-SYR-SUG-P1"
    assert all(
        dialog.table.item(row, 0).checkState() == Qt.CheckState.Unchecked for row in rows.values()
    )
    assert "arrays, structures or texts cannot be tags" in dialog.status.text()

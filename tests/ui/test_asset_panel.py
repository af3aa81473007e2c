"""The asset panel as a planner uses it: search the tree, pick an asset, read its history."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPoint, QSettings, Qt, QThreadPool

from desktop.domain.enums import AssetLevel, Criticality, Status, WorkOrderType
from desktop.services.assets.assets import AssetService, NewAsset
from desktop.services.orders.work_orders import WorkOrderService
from tests.integration.asset_plant import build_plant
from tests.integration.workflow import drive_to, raise_order
from ui.assets.asset_panel import AssetPanel
from ui.assets.asset_tree import AssetCodeRole
from ui.assets.history_table import COLUMNS
from ui.background import SynchronousPool

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def plant(db, actors, clock):
    return build_plant(db, actors, clock)


def make_panel(qtbot, app_context, clock, pool=None, show=True) -> AssetPanel:
    """A panel on the test clock whose history queries run at once (no thread) unless told."""
    context = dataclasses.replace(app_context, clock=clock)
    widget = AssetPanel(context, pool=pool or SynchronousPool())
    qtbot.addWidget(widget)
    widget.resize(1400, 850)
    if show:
        widget.show()
        qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def panel(qtbot, app_context, clock, plant):
    return make_panel(qtbot, app_context, clock)


class HeldPool:
    """Keeps the jobs until the test runs them, in whatever order it likes."""

    def __init__(self):
        self.jobs = []

    def start(self, runnable):
        self.jobs.append(runnable)


def visible_codes(panel: AssetPanel, parent: QModelIndex | None = None) -> list[str]:
    """Codes the tree shows (every row the filter lets through), depth first."""
    proxy = panel.tree_proxy
    parent = parent or QModelIndex()
    codes = []
    for row in range(proxy.rowCount(parent)):
        index = proxy.index(row, 0, parent)
        codes.append(index.data(AssetCodeRole))
        codes.extend(visible_codes(panel, index))
    return codes


def click_asset(qtbot, panel: AssetPanel, code: str) -> None:
    proxy = panel.tree_proxy
    found = proxy.match(
        proxy.index(0, 0), AssetCodeRole, code, 1, Qt.MatchExactly | Qt.MatchRecursive
    )
    assert found, f"{code} is not shown in the tree"
    panel.tree.scrollTo(found[0])
    rect = panel.tree.visualRect(found[0])
    qtbot.mouseClick(panel.tree.viewport(), Qt.LeftButton, pos=rect.center())


def table_column(panel: AssetPanel, title: str) -> list[str]:
    column = next(i for i, c in enumerate(COLUMNS) if c.title == title)
    model = panel.table_model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def tile(panel: AssetPanel, key: str) -> tuple[str, str]:
    shown = panel.tiles.tiles[key]
    return shown.value.text(), shown.note.text()


def test_search_as_you_type_keeps_the_parents_of_a_match(qtbot, panel):
    qtbot.keyClicks(panel.search, "motor")

    assert visible_codes(panel) == ["AREA", "LINE", "P-101", "M-101"]
    panel.search.clear()
    assert visible_codes(panel) == ["AREA", "LINE", "C-201", "P-101", "M-101"]


def test_search_matches_codes_as_well_as_names(qtbot, panel):
    qtbot.keyClicks(panel.search, "c-2")

    assert visible_codes(panel) == ["AREA", "LINE", "C-201"]


def test_clicking_the_pump_shows_its_and_its_motors_history(qtbot, panel, plant):
    qtbot.keyClicks(panel.search, "feed")
    click_asset(qtbot, panel, "P-101")

    assert panel.header.title.text() == "P-101 — Feed pump   (with 1 sub-asset)"
    assert panel.header.values["Criticality"].text() == "A"
    assert table_column(panel, "No.") == [plant["C"], plant["B"], plant["A"]]
    assert table_column(panel, "Asset") == ["P-101", "M-101", "P-101"]
    assert table_column(panel, "Hours") == ["1.0", "1.5", "3.5"]
    assert table_column(panel, "Failure") == ["", "VIB", "ELP"]
    # Worked out in tests/integration/test_asset_history.py: 6 h at 40.0; 4 + 1 + 1 h down;
    # MTTR (6 h + 20 min) / 2; MTBF (2 assets × 11 h 55 min − 6 h) / 2 failures.
    assert tile(panel, "labour_hours")[0] == "6.0 h"
    assert tile(panel, "labour_cost")[0] == "240.00"
    assert tile(panel, "parts_cost")[0] == "0.00"
    assert tile(panel, "downtime_hours")[0] == "6.0 h"
    assert tile(panel, "mttr")[0] == "3.2 h"
    assert tile(panel, "mtbf") == ("8.9 h", "over 17.8 op. h")
    assert tile(panel, "failures")[0] == "2"
    assert panel.table_caption.text().startswith("3 work orders")


def test_unticking_sub_assets_leaves_the_motors_orders_out(qtbot, panel, plant):
    panel.select_asset("P-101")
    box = panel.include_subtree
    qtbot.mouseClick(box, Qt.LeftButton, pos=QPoint(10, box.height() // 2))

    assert not panel.include_subtree.isChecked()
    assert table_column(panel, "No.") == [plant["C"], plant["A"]]
    assert tile(panel, "failures")[0] == "1"
    assert tile(panel, "mttr")[0] == "6.0 h"
    assert panel.header.title.text() == "P-101 — Feed pump"


def test_each_level_counts_the_failures_below_it(qtbot, panel):
    qtbot.keyClicks(panel.search, "motor")
    click_asset(qtbot, panel, "M-101")

    # B failed the motor; the area adds A on the pump and D on the conveyor.
    assert tile(panel, "failures")[0] == "1"
    panel.select_asset("AREA")
    assert tile(panel, "failures")[0] == "3"


def test_an_asset_without_failures_says_so_with_its_operating_hours(
    qtbot, app_context, actors, db, clock
):
    service = WorkOrderService(db, clock)
    number = raise_order(service, actors["admin"], "C-201", WorkOrderType.INSPECTION).number
    drive_to(service, actors["admin"], number, Status.COMPLETED, clock)
    clock.advance(hours=47, minutes=40)  # 48 h after the order was raised
    widget = make_panel(qtbot, app_context, clock)

    widget.select_asset("C-201")

    assert tile(widget, "mtbf") == ("no failures", "in 48.0 op. h")
    assert tile(widget, "mttr") == ("–", "no repairs")
    assert widget.table_model.rowCount() == 1
    assert widget.pareto.isVisible()


def test_an_asset_without_records_says_nothing_is_recorded(qtbot, app_context, clock):
    widget = make_panel(qtbot, app_context, clock)

    widget.select_asset("C-201")

    assert tile(widget, "mtbf") == ("no failures", "nothing recorded yet")
    assert tile(widget, "failures") == ("0", "nothing recorded")
    assert widget.table_model.rowCount() == 0


def test_double_click_on_a_row_asks_to_open_that_work_order(qtbot, panel, plant):
    panel.select_asset("P-101")
    rect = panel.table.visualRect(panel.table_model.index(1, 0))

    with qtbot.waitSignal(panel.sig_work_order_opened) as opened:
        qtbot.mouseClick(panel.table.viewport(), Qt.LeftButton, pos=rect.center())
        qtbot.mouseDClick(panel.table.viewport(), Qt.LeftButton, pos=rect.center())

    assert opened.args == [plant["B"]]


def test_enter_on_the_current_row_opens_it(qtbot, panel, plant):
    panel.select_asset("P-101")
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.table_model.index(2, 3))

    with qtbot.waitSignal(panel.sig_work_order_opened) as opened:
        qtbot.keyClick(panel.table, Qt.Key_Return)

    assert opened.args == [plant["A"]]


def test_clicking_a_header_sorts_the_history(qtbot, panel, plant):
    panel.select_asset("P-101")
    header = panel.table.horizontalHeader()
    hours = next(i for i, c in enumerate(COLUMNS) if c.title == "Hours")
    x = header.sectionViewportPosition(hours) + header.sectionSize(hours) // 2

    qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(x, 5))

    order = header.sortIndicatorOrder()
    expected = ["1.0", "1.5", "3.5"]
    if order == Qt.DescendingOrder:
        expected.reverse()
    assert table_column(panel, "Hours") == expected


def test_the_pareto_chart_is_built_only_once_shown(qtbot, app_context, clock, plant):
    widget = make_panel(qtbot, app_context, clock, show=False)
    widget.select_asset("LINE")
    assert not widget.pareto.plot_built

    widget.show()
    qtbot.waitExposed(widget)

    assert widget.pareto.plot_built


def test_importing_the_panel_does_not_load_pyqtgraph():
    # pyqtgraph costs 0.6-0.7 s at start-up (shared/PITFALLS.md); it loads when the chart shows.
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, ui.assets.asset_panel; assert 'pyqtgraph' not in sys.modules",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_meters_and_tags_box_lists_what_the_asset_carries(panel, app_context, actors):
    from datetime import UTC, datetime

    from desktop.domain.meters import MeterKind
    from desktop.services.assets.meters import MeterService, NewMeter
    from desktop.services.condition.plant_tags import PlantTagService, read_mapping_csv

    panel.select_asset("C-201")
    assert panel.meters.label.text() == "No meters or OPC UA tags on C-201."
    meters = MeterService(app_context.db)
    meters.create(actors["paula"], NewMeter("C-201-H", "C-201", "Runtime", MeterKind.RUNTIME_HOURS))
    meters.record_reading(actors["paula"], "C-201-H", 1000, datetime(2026, 2, 1, tzinfo=UTC))
    meters.record_reading(actors["paula"], "C-201-H", 1250, datetime(2026, 3, 1, tzinfo=UTC))
    mapping = "name,asset,namespace_uri,node_id,unit,kind\n"
    mapping += "C-201.Speed,C-201,urn:example:plant,s=C-201.Speed,m/s,analog\n"
    PlantTagService(app_context.db).import_tags(actors["paula"], read_mapping_csv(mapping))
    panel.meters.set_asset("C-201")
    text = panel.meters.label.text()
    assert "Runtime: 250 h, read 2026-03-01" in text  # used since it was set up: 1250 - 1000
    assert "C-201.Speed [m/s]" in text


def test_layout_and_sort_survive_a_restart(qtbot, app_context, clock, plant, tmp_path):
    settings = QSettings(str(tmp_path / "wrenchbook.ini"), QSettings.IniFormat)
    panel = make_panel(qtbot, app_context, clock)
    panel.splitter.setSizes([500, 900])
    hours = next(i for i, c in enumerate(COLUMNS) if c.title == "Hours")
    panel.table.sortByColumn(hours, Qt.AscendingOrder)
    panel.include_subtree.setChecked(False)
    sizes = panel.splitter.sizes()
    panel.save_state(settings)

    again = make_panel(qtbot, app_context, clock)
    again.restore_state(settings)
    again.select_asset("P-101")

    assert again.splitter.sizes() == sizes
    assert again.table.horizontalHeader().sortIndicatorSection() == hours
    assert not again.include_subtree.isChecked()
    assert table_column(again, "Hours") == ["1.0", "3.5"]


def test_refresh_shows_an_asset_added_elsewhere(qtbot, panel, db, actors):
    panel.select_asset("P-101")
    AssetService(db).create(
        actors["admin"],
        NewAsset("P-102", "Spare pump", AssetLevel.EQUIPMENT, "pump", Criticality.B, "LINE"),
    )

    panel.refresh()

    assert "P-102" in visible_codes(panel)
    assert panel.history is not None
    assert panel.history.asset_code == "P-101"


def test_models_pass_the_qt_model_tester(qtmodeltester, panel):
    panel.select_asset("P-101")

    qtmodeltester.check(panel.table_model)
    qtmodeltester.check(panel.tree_model)
    qtmodeltester.check(panel.tree_proxy)


def test_history_loads_on_a_pool_thread_and_arrives_on_screen(qtbot, app_context, clock, plant):
    widget = make_panel(qtbot, app_context, clock, pool=QThreadPool.globalInstance())

    with qtbot.waitSignal(widget.sig_history_shown) as shown:
        widget.select_asset("P-101")

    assert shown.args == ["P-101"]
    assert table_column(widget, "No.") == [plant["C"], plant["B"], plant["A"]]


def test_an_older_answer_never_overwrites_the_asset_now_selected(qtbot, app_context, clock, plant):
    pool = HeldPool()
    widget = make_panel(qtbot, app_context, clock, pool=pool)
    widget.select_asset("C-201")
    widget.select_asset("P-101")
    assert widget.table_caption.text() == "Loading the history of P-101…"

    for job in reversed(pool.jobs):
        job.run()

    assert widget.history.asset_code == "P-101"
    assert table_column(widget, "Asset") == ["P-101", "M-101", "P-101"]


def test_live_refresh_keeps_open_branches_and_the_row_the_user_is_on(qtbot, panel, db, actors):
    qtbot.keyClicks(panel.search, "feed")
    click_asset(qtbot, panel, "P-101")
    panel.search.clear()
    panel.tree.expand(panel.tree.currentIndex())
    panel.table.setCurrentIndex(panel.table_model.index(2, 0))
    number = panel.table_model.index(2, 0).data()
    assert "M-101" in visible_codes_expanded(panel)
    AssetService(db).create(
        actors["admin"],
        NewAsset("P-103", "Dosing pump", AssetLevel.EQUIPMENT, "pump", Criticality.C, "LINE"),
    )

    panel.refresh()

    assert "P-103" in visible_codes_expanded(panel)
    assert "M-101" in visible_codes_expanded(panel)
    assert panel.tree.currentIndex().data(AssetCodeRole) == "P-101"
    assert panel.table.currentIndex().siblingAtColumn(0).data() == number


def test_tab_moves_from_search_to_sub_assets_to_tree_to_history(qtbot, panel):
    panel.select_asset("P-101")
    panel.focus_search()
    order = [panel.search]
    widget = panel.search
    for _ in range(3):
        widget = widget.nextInFocusChain()
        while not widget.focusPolicy() & Qt.TabFocus:
            widget = widget.nextInFocusChain()
        order.append(widget)

    assert order == [panel.search, panel.include_subtree, panel.tree, panel.table]


def visible_codes_expanded(panel: AssetPanel) -> list[str]:
    """Codes a user can see: rows under collapsed branches do not count."""
    proxy, codes, pending = panel.tree_proxy, [], [QModelIndex()]
    while pending:
        parent = pending.pop()
        for row in range(proxy.rowCount(parent)):
            index = proxy.index(row, 0, parent)
            codes.append(index.data(AssetCodeRole))
            if panel.tree.isExpanded(index):
                pending.append(index)
    return codes

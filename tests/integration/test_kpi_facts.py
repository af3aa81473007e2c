"""The dashboard's packed facts follow every change to the orders, from any client.

After each change the dashboard computed from the kept blocks must equal the one computed
from scratch (all blocks dropped and packed anew from the tables), figure for figure and
order for order; and the change must have marked its block stale in the database itself
(the triggers), so a second workstation's change is seen too.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from desktop.domain.enums import AssetLevel, Criticality, Status, WorkOrderType
from desktop.services.admin.backup import backup
from desktop.services.admin.restore import restore
from desktop.services.analytics import kpi_facts
from desktop.services.analytics.kpi import KpiService
from desktop.services.analytics.kpi_facts import KpiFactStore
from desktop.services.analytics.kpi_records import Dashboard, KpiQuery
from desktop.services.assets.assets import AssetService, NewAsset
from desktop.services.orders.work_orders import WorkOrderService
from desktop.store.database import Database
from desktop.store.models import AuditHead, KpiFactBlock, LabourEntry, WorkOrder
from tests.conftest import FakeClock
from tests.integration.test_kpi import NOW, _plant
from tests.integration.workflow import drive_to, prepare, raise_order
from tests.per_user import POSTGRES_ONLY

pytest_plugins = ["tests.per_user"]

pytestmark = pytest.mark.both_engines

QUERY = KpiQuery(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 21, tzinfo=UTC), buckets=4)


@pytest.fixture
def office(db, actors):
    """The hand-worked plant of test_kpi, its dashboard computed once (every block packed)."""
    ids = _plant(db)
    clock = FakeClock(NOW)
    _board(db, clock)
    assert _stale(db) == set()
    return WorkOrderService(db, clock), actors["admin"], clock, ids


def _board(db, clock) -> Dashboard:
    return KpiService(db, clock).dashboard(QUERY)


def _stale(db) -> set[int]:
    """Blocks whose packed facts are behind their rows."""
    with db.unit_of_work(write=False) as s:
        rows = s.execute(
            select(KpiFactBlock.block_no, KpiFactBlock.generation, KpiFactBlock.built_generation)
        ).all()
    return {row.block_no for row in rows if row.built_generation != row.generation}


def _kept_equals_fresh(db, clock) -> Dashboard:
    kept = _board(db, clock)
    assert _stale(db) == set()  # brought up to date by the computation
    with db.unit_of_work() as s:
        s.execute(delete(KpiFactBlock))
    fresh = _board(db, clock)
    assert kept == fresh
    for shown, computed in zip(kept.figures, fresh.figures, strict=True):
        assert shown.work_order_ids == computed.work_order_ids, shown.key
    return kept


def _move(db, order_id: int, new_id: int) -> None:
    """A hand-made fix of an order's id (ids are handed out in order: a new id past
    BLOCK_ORDERS is an order of the next block)."""
    with db.unit_of_work() as s:
        s.execute(update(WorkOrder).where(WorkOrder.id == order_id).values(id=new_id))


def _block_reads(monkeypatch) -> list[str]:
    """Blocks read from now on: "packed" for one read from `kpi_fact_blocks`, "rows N" for
    block N read from the tables."""
    reads: list[str] = []
    unpack, read_block = kpi_facts._unpack, kpi_facts._read_block

    def counted_unpack(packed, key):
        reads.append("packed")
        return unpack(packed, key)

    def counted_read_block(conn, block):
        reads.append(f"rows {block}")
        return read_block(conn, block)

    monkeypatch.setattr(kpi_facts, "_unpack", counted_unpack)
    monkeypatch.setattr(kpi_facts, "_read_block", counted_read_block)
    return reads


def test_new_order_labour_and_downtime_mark_their_block(db, office):
    service, admin, clock, _ = office
    before = _board(db, clock)
    number = raise_order(service, admin, "C-201", WorkOrderType.EMERGENCY).number
    service.transition(admin, number, Status.APPROVED)
    assert _stale(db) == {0}
    board = _kept_equals_fresh(db, clock)
    assert board.figure("overdue") != before.figure("overdue") or board.figure(
        "backlog"
    ) != before.figure("backlog")

    service.log_labour(admin, "WO-5", "tom", date(2026, 3, 16), 3.0)
    assert _stale(db) == {0}
    board = _kept_equals_fresh(db, clock)
    assert board.figure("utilisation").value != before.figure("utilisation").value

    service.add_downtime(admin, "WO-5", NOW - timedelta(hours=6), None, False, "stopped")
    assert _stale(db) == {0}
    board = _kept_equals_fresh(db, clock)
    assert board.figure("availability").value < before.figure("availability").value
    service.end_downtime(admin, "WO-5", NOW - timedelta(hours=2))
    _kept_equals_fresh(db, clock)


def test_completing_reopening_and_closing_are_followed(db, office):
    service, admin, clock, _ = office
    number = raise_order(service, admin, "P-101", WorkOrderType.CORRECTIVE).number
    drive_to(service, admin, number, Status.COMPLETED, clock)
    done = _kept_equals_fresh(db, clock)
    assert number in KpiService(db, clock).work_order_numbers(done.figure("cost").work_order_ids)

    service.transition(admin, number, Status.IN_PROGRESS, note="leaks again")
    assert _stale(db) == {0}
    reopened = _kept_equals_fresh(db, clock)
    assert reopened.figure("cost").value < done.figure("cost").value

    clock.advance(hours=1)
    prepare(service, admin, number, Status.COMPLETED, clock)
    service.transition(admin, number, Status.COMPLETED)
    service.transition(admin, number, Status.CLOSED)
    _kept_equals_fresh(db, clock)


def test_a_second_workstation_changing_orders_is_seen(db, db_url, office, actors):
    _, _, clock, ids = office
    other = Database(db_url)
    try:
        elsewhere = WorkOrderService(other, clock)
        elsewhere.log_labour(actors["admin"], "WO-6", "tina", date(2026, 3, 17), 2.0)
        with other.unit_of_work() as s:  # a hand-made fix, past the services
            s.execute(
                update(WorkOrder)
                .where(WorkOrder.id == ids["WO-2"])
                .values(completed_at=datetime(2026, 3, 11, 12, tzinfo=UTC))
            )
    finally:
        other.dispose()
    assert _stale(db) == {0}
    _kept_equals_fresh(db, clock)


def test_a_removed_entry_and_a_new_block_are_followed(db, office):
    _, _, clock, ids = office
    with db.unit_of_work() as s:
        s.execute(delete(LabourEntry).where(LabourEntry.work_order_id == ids["WO-4"]))
        # An order whose id opens the next block (ids are handed out in order).
        s.execute(
            update(WorkOrder).where(WorkOrder.id == ids["WO-6"]).values(id=ids["WO-6"] + 20_000)
        )
    assert _stale(db) == {0, 1}
    _kept_equals_fresh(db, clock)


def test_an_audited_change_of_no_order_leaves_the_kept_blocks_in_use(db, office, monkeypatch):
    """Every audited write moves the audit chain's head (on a busy site's PostgreSQL one comes
    between any two refreshes); one that touches no order, labour entry or stop (here a new
    asset) must not make the refresh read any block again."""
    service, admin, clock, _ = office
    before = _board(db, clock)
    with db.unit_of_work(write=False) as s:
        head = s.execute(select(AuditHead.seq, AuditHead.hash)).one()
    AssetService(db, clock).create(
        admin, NewAsset("P-102", "Spare pump", AssetLevel.EQUIPMENT, "pump", Criticality.B, "LINE")
    )
    with db.unit_of_work(write=False) as s:
        assert s.execute(select(AuditHead.seq, AuditHead.hash)).one() != head
    reads = _block_reads(monkeypatch)

    _board(db, clock)
    assert reads == []
    _kept_equals_fresh(db, clock)  # the new asset's operating hours count in MTBF

    reads.clear()
    service.log_labour(admin, "WO-5", "tom", date(2026, 3, 16), 3.0)
    after = _board(db, clock)
    assert reads == ["rows 0"]  # only the changed block
    assert after.figure("utilisation").value != before.figure("utilisation").value


def test_a_block_emptied_packed_afresh_and_filled_again_is_read_again(db, db_url, office):
    """Orders leave the last block, another workstation packs every block afresh (the demo
    load's `rebuild_all`, which drops the facts of blocks past the last order), and other
    orders come into that block: this workstation kept the block's earlier orders and must
    not take them for the new ones, even once the other workstation has packed the block."""
    _, _, clock, ids = office
    far = ids["WO-6"] + 20_000
    _move(db, ids["WO-6"], far)
    _board(db, clock)  # keeps block 1, WO-6 in it
    _move(db, far, ids["WO-6"])
    other = Database(db_url)
    try:
        KpiFactStore(other).rebuild_all()
        _move(db, ids["WO-7"], far)
        KpiService(other, clock).dashboard(QUERY)  # block 1 packed, WO-7 in it
    finally:
        other.dispose()
    assert _stale(db) == set()
    board = _kept_equals_fresh(db, clock)
    assert far in board.figure("overdue").work_order_ids


def test_after_a_restore_the_figures_are_the_backups(db, office, tmp_path):
    service, admin, clock, _ = office
    before = _board(db, clock)
    saved = backup(db, tmp_path / "before.sqlite3")
    number = raise_order(service, admin, "C-201", WorkOrderType.EMERGENCY).number
    drive_to(service, admin, number, Status.COMPLETED, clock)
    assert _board(db, clock).figure("cost").value > before.figure("cost").value

    restore(db, saved, admin)

    clock.now = NOW  # the figures of the same moment
    assert _kept_equals_fresh(db, clock) == before


def test_a_refresh_reads_again_only_what_changed_and_sees_every_change(db, office):
    """The blocks one computation read are kept for the next: a refresh with no change gives
    the same figures, a change (here a second order on the same block) is followed."""
    service, admin, clock, _ = office
    first, again = _board(db, clock), _board(db, clock)
    assert again == first
    number = raise_order(service, admin, "C-201", WorkOrderType.EMERGENCY).number
    drive_to(service, admin, number, Status.COMPLETED, clock)
    clock.now = NOW
    assert _board(db, clock).figure("cost").value > first.figure("cost").value
    _kept_equals_fresh(db, clock)


def _backed_up_then_changed(db, office, tmp_path) -> tuple[Dashboard, Path]:
    """The dashboard and a backup before an emergency order is raised and completed."""
    service, admin, clock, _ = office
    before = _board(db, clock)
    saved = backup(db, tmp_path / "before.sqlite3")
    number = raise_order(service, admin, "C-201", WorkOrderType.EMERGENCY).number
    drive_to(service, admin, number, Status.COMPLETED, clock)
    clock.now = NOW
    return before, saved


def test_a_restore_from_another_workstation_is_seen(db, db_url, office, tmp_path):
    """A restore empties the packed blocks; another workstation's dashboard then packs them
    again at the same generation as this one's kept copy of the replaced records had."""
    _, admin, clock, _ = office
    before, saved = _backed_up_then_changed(db, office, tmp_path)
    with db.unit_of_work() as s:
        s.execute(delete(KpiFactBlock))  # packed anew below: every block at generation 0
    assert _board(db, clock).figure("cost").value > before.figure("cost").value

    other = Database(db_url)
    try:
        restore(other, saved, admin)
        assert KpiService(other, clock).dashboard(QUERY) == before
    finally:
        other.dispose()
    assert _board(db, clock) == before


@POSTGRES_ONLY
def test_a_restore_is_seen_by_a_persons_login_that_packed_unstored_blocks(
    db, db_url, office, as_login, tmp_path
):
    """A person's login keeps the blocks it packed even where none is stored yet (a database
    upgraded to the packed facts, whose dashboard only people have opened): the restore, whose
    copy PostgreSQL's triggers do not see, must leave those blocks at a generation it does not
    hold, even once the site's login has packed them from the restored records."""
    _, admin, clock, _ = office
    before, saved = _backed_up_then_changed(db, office, tmp_path)
    with db.unit_of_work() as s:
        s.execute(delete(KpiFactBlock))
    tom = as_login("tom")
    assert KpiService(tom, clock).dashboard(QUERY) != before  # packed for itself only

    other = Database(db_url)
    try:
        restore(other, saved, admin)
    finally:
        other.dispose()
    assert _board(db, clock) == before  # the site's login stores the restored blocks
    assert KpiService(tom, clock).dashboard(QUERY) == before


@POSTGRES_ONLY
def test_a_persons_login_cannot_forge_the_packed_facts_and_still_sees_true_figures(
    db, office, as_login
):
    """The packed facts are a copy of the records; a person's login with psql must not be able
    to write figures into them, and reads the stale blocks from the records instead."""
    service, admin, clock, _ = office
    tom = as_login("tom")
    with pytest.raises(DBAPIError), tom.unit_of_work() as s:
        s.execute(update(KpiFactBlock).values(facts=b"forged", built_generation=0))

    service.log_labour(admin, "WO-5", "tom", date(2026, 3, 16), 3.0)
    assert _stale(db) == {0}
    seen_by_tom = KpiService(tom, clock).dashboard(QUERY)
    assert _stale(db) == {0}  # tom's login packed block 0 for itself only
    assert seen_by_tom == _kept_equals_fresh(db, clock)


def test_a_block_packed_again_larger_between_the_sizes_and_its_read_is_read_whole(
    db, db_url, office, actors, monkeypatch
):
    """The joined columns are sized from the packed blocks' lengths before the blocks are read
    one by one; another workstation packing a block with many more rows in between must still
    give every row."""
    service, admin, clock, _ = office
    before = _board(db, clock)
    other = Database(db_url)
    packed_rows = KpiFactStore._packed_rows
    try:
        service.log_labour(admin, "WO-5", "tom", date(2026, 3, 16), 1.0)
        KpiService(other, clock).dashboard(QUERY)  # block 0 packed there: current, not kept here

        def after_another_workstation(store, blocks):
            elsewhere = WorkOrderService(other, clock)
            for _ in range(150):  # far more rows than the block's earlier bytes could hold
                elsewhere.log_labour(actors["admin"], "WO-6", "tina", date(2026, 3, 17), 0.5)
            KpiService(other, clock).dashboard(QUERY)
            yield from packed_rows(store, blocks)

        monkeypatch.setattr(KpiFactStore, "_packed_rows", after_another_workstation)
        board = _board(db, clock)
        monkeypatch.setattr(KpiFactStore, "_packed_rows", packed_rows)
    finally:
        other.dispose()
    assert board.figure("utilisation").value > before.figure("utilisation").value + 10
    assert board == _kept_equals_fresh(db, clock)


@POSTGRES_ONLY
def test_postgresql_stores_the_packed_facts_uncompressed(db):
    """Decompressing a million orders' blocks was most of the server's part of the first
    read: the column is stored plain (migration 0022)."""
    with db.unit_of_work(write=False) as s:
        storage = s.execute(
            text(
                "SELECT attstorage FROM pg_attribute "
                "WHERE attrelid = 'kpi_fact_blocks'::regclass AND attname = 'facts'"
            )
        ).scalar_one()
    assert storage == "e"  # external: out of line, never compressed

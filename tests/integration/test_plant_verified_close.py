"""Verified close: an alarm's predictive order completes only once its signal stayed in band."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, select

from desktop.domain.condition import Direction, Quality, RuleKind, RuleSpec, Sample
from desktop.domain.enums import Status, WorkOrderType
from desktop.domain.errors import TransitionRefused, ValidationFailed
from desktop.plant.historian import write_samples
from desktop.services.condition.alarms import AlarmService, Evidence
from desktop.services.condition.plant_tags import PlantTagService, RuleDraft, TagDraft
from desktop.services.orders import verified_close
from desktop.services.orders.work_orders import WorkOrderService
from desktop.services.shared import audit
from desktop.store.history import history_store
from desktop.store.models import Attachment
from tests.integration.workflow import drive_to, prepare, raise_order

NS = "urn:example:plant"
TAG = "P-101.Vibration"


@pytest.fixture
def rule(db, actors):
    tags = PlantTagService(db)
    tags.import_tags(actors["paula"], [TagDraft(TAG, "P-101", NS, "s=P-101.Vibration", "mm/s")])
    spec = RuleSpec(RuleKind.THRESHOLD, 7.1, Direction.ABOVE, hysteresis=0.5)
    draft = RuleDraft("P-101 vibration high", TAG, spec, verify_minutes=30)
    return tags.add_rule(actors["paula"], draft)


@pytest.fixture
def order(db, actors, clock, rule):
    """The alarm's order, in progress (the repair starts) and ready to complete but for the
    signal; returns its number."""
    alarm = AlarmService(db, clock).raise_alarm(
        actors["tom"], rule.id, clock(), 7.4, "value 7.4 above 7.1", Evidence(b"before")
    )
    service = WorkOrderService(db, clock)
    drive_to(service, actors["admin"], alarm.work_order_number, Status.IN_PROGRESS, clock)
    prepare(service, actors["admin"], alarm.work_order_number, Status.COMPLETED, clock)
    return alarm.work_order_number


def signal(db, rule, start: datetime, end: datetime, value: float = 3.0, **at: float) -> None:
    """Samples every 10 s over [start, end); `at` puts a value (None: a bad sample) at a time
    given as seconds after `start`."""
    t0, t1 = start.timestamp(), end.timestamp()
    special = {t0 + float(k[1:]): v for k, v in at.items()}
    samples = []
    for i in range(int((t1 - t0) // 10)):
        ts = t0 + i * 10
        v = special.get(ts, value)
        quality = Quality.GOOD if v is not None else Quality.BAD
        samples.append(Sample(rule.tag_id, ts, v, quality))
    write_samples(db, samples)


def complete(db, clock, actors, number):
    return WorkOrderService(db, clock).transition(actors["tom"], number, Status.COMPLETED)


def started(db, number) -> datetime:
    return WorkOrderService(db).get(number).started_at


def refusal(db, clock, actors, number) -> str:
    with pytest.raises(TransitionRefused) as refused:
        complete(db, clock, actors, number)
    return str(refused.value)


def test_refused_while_the_signal_is_out_of_band(db, actors, clock, rule, order):
    repair = started(db, order)
    clock.advance(minutes=45)
    # Out of band 40 minutes into the repair (8.0 > 7.1 - 0.5).
    signal(db, rule, repair, clock(), t2400=8.0)
    message = refusal(db, clock, actors, order)
    assert f"signal {TAG} not yet back in band for 30 min after the repair" in message
    assert "last out of band" in message
    assert "5 min ago" in message
    assert WorkOrderService(db).get(order).row.status is Status.IN_PROGRESS


def test_a_value_inside_the_limit_but_not_the_hysteresis_is_not_back_in_band(
    db, actors, clock, rule, order
):
    repair = started(db, order)
    clock.advance(minutes=45)
    signal(db, rule, repair, clock(), t2400=6.8)
    assert "last out of band" in refusal(db, clock, actors, order)


def test_refused_when_in_band_too_short_after_the_repair(db, actors, clock, rule, order):
    repair = started(db, order)
    clock.advance(minutes=20)
    signal(db, rule, repair, clock())
    message = refusal(db, clock, actors, order)
    assert "not yet back in band for 30 min" in message
    assert "in band since" in message


def test_refused_after_a_gap_or_when_the_signal_went_silent(db, actors, clock, rule, order):
    repair = started(db, order)
    clock.advance(minutes=45)
    signal(db, rule, repair, clock(), t2500=None)
    assert "gap in the data" in refusal(db, clock, actors, order)
    # Then nothing for five minutes: silence proves nothing either.
    clock.advance(minutes=40)
    assert "no samples since" in refusal(db, clock, actors, order)


def test_refused_with_no_samples_at_all(db, actors, clock, rule, order):
    clock.advance(minutes=45)
    assert "no samples since the repair" in refusal(db, clock, actors, order)


def test_completes_after_the_verify_time_in_band_and_keeps_the_after_trend(
    db, actors, clock, rule, order
):
    repair = started(db, order)
    clock.advance(minutes=45)
    signal(db, rule, repair, clock(), t600=9.0)
    before = clock()
    clock.advance(minutes=10)
    signal(db, rule, before, clock())
    # Out of band at 10 min, in band for the 45 min after.
    row = complete(db, clock, actors, order)
    assert row.status is Status.COMPLETED
    attachments = WorkOrderService(db).get(order).attachments
    after = sorted(a.filename for a in attachments if "-after-" in a.filename)
    assert [name.rsplit(".", 1)[1] for name in after] == ["csv", "png"]
    assert any(a.filename.endswith(".csv") and "-after-" not in a.filename for a in attachments)
    csv_view = next(a for a in attachments if a.filename == after[0])
    # The stored series: the steady stretches as their kept points, the spike as it was.
    assert 200 < csv_view.size < 55 * 6 * 20
    assert audit.verify(db).ok


def test_the_alarm_time_counts_as_the_repair_start_when_it_is_later(db, actors, clock, rule):
    service = WorkOrderService(db, clock)
    # The alarm carries the machine's sample time, here ahead of the work order's clock.
    raised = clock() + timedelta(hours=2)
    alarm = AlarmService(db, clock).raise_alarm(
        actors["tom"], rule.id, raised, 7.4, "high", Evidence(b"before")
    )
    number = alarm.work_order_number
    drive_to(service, actors["admin"], number, Status.IN_PROGRESS, clock)
    prepare(service, actors["admin"], number, Status.COMPLETED, clock)
    signal(db, rule, started(db, number), raised, value=9.0)
    clock.now = raised + timedelta(minutes=31)
    signal(db, rule, raised, clock())
    assert complete(db, clock, actors, number).status is Status.COMPLETED


def test_a_rule_set_to_zero_minutes_does_not_hold_its_orders(db, actors, clock, rule, order):
    tags = PlantTagService(db)
    with pytest.raises(ValidationFailed):
        tags.set_rule_verify_minutes(actors["paula"], rule.id, -1)
    tags.set_rule_verify_minutes(actors["paula"], rule.id, 0)
    assert tags.rule(rule.id).verify_minutes == 0
    assert complete(db, clock, actors, order).status is Status.COMPLETED


def test_predictive_orders_not_raised_by_an_alarm_are_unaffected(db, actors, clock, rule):
    service = WorkOrderService(db, clock)
    number = raise_order(service, actors["admin"], wo_type=WorkOrderType.PREDICTIVE).number
    row = drive_to(service, actors["admin"], number, Status.COMPLETED, clock)
    assert row.status is Status.COMPLETED
    assert not service.get(number).attachments


class WriteWatch:
    """Engine events: each statement with whether a write unit of work ran it, and whether a
    write transaction was open anywhere when the trend was drawn."""

    def __init__(self, engine) -> None:
        self.statements: list[tuple[bool, str]] = []
        self.open_writes = 0
        self.drawn_in_write: list[bool] = []
        event.listen(engine, "before_cursor_execute", self._on_execute)
        event.listen(engine, "begin", self._on_begin)
        event.listen(engine, "commit", self._on_end)
        event.listen(engine, "rollback", self._on_end)

    @staticmethod
    def _write(conn) -> bool:
        return bool(conn.get_execution_options().get("wrenchbook_write", False))

    def _on_execute(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.statements.append((self._write(conn), statement))

    def _on_begin(self, conn) -> None:
        self.open_writes += self._write(conn)

    def _on_end(self, conn) -> None:
        self.open_writes -= self._write(conn)


def test_the_completion_reads_and_draws_the_signal_outside_its_write_transaction(
    db, actors, clock, rule, order, monkeypatch
):
    repair = started(db, order)
    clock.advance(hours=5)
    signal(db, rule, repair, clock(), t600=9.0)
    watch = WriteWatch(db.engine)
    history = history_store(db)  # on SQLite a file of its own, on PostgreSQL the same database
    history_reads_in_write: list[bool] = []

    def on_history(conn, cursor, statement, *_args) -> None:
        if "hist_" in statement:
            history_reads_in_write.append(watch.open_writes > 0)

    event.listen(history.engine, "before_cursor_execute", on_history)
    draw = verified_close.trend_png

    def watched_draw(*args, **kwargs):
        watch.drawn_in_write.append(watch.open_writes > 0)
        return draw(*args, **kwargs)

    monkeypatch.setattr(verified_close, "trend_png", watched_draw)
    assert complete(db, clock, actors, order).status is Status.COMPLETED
    written = [s for w, s in watch.statements if w]
    assert history_reads_in_write  # the signal was read ...
    assert not any(history_reads_in_write)  # ... with no write transaction open
    assert any("INSERT INTO attachments" in s for s in written)
    assert watch.drawn_in_write == [False]
    # The read is bounded: the last two hours of a five-hour repair, not all of it.
    with db.unit_of_work(write=False) as session:
        content = session.execute(
            select(Attachment.content).where(Attachment.filename.like("%-after-%.csv"))
        ).scalar_one()
    stamps = [
        datetime.fromisoformat(row.split(",")[0]) for row in content.decode().splitlines()[1:]
    ]
    assert stamps
    assert min(stamps) >= clock() - timedelta(hours=2, seconds=1)

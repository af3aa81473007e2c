"""The plant writer: records queued from any thread, written on its own, none lost on shutdown."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import pytest
from sqlalchemy.exc import OperationalError

from desktop.domain.errors import ValidationFailed
from desktop.plant import record_writer
from desktop.plant.record_writer import RecordWriter


@dataclass(frozen=True)
class Edge:
    n: int


def _locked() -> OperationalError:
    return OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))


def test_records_are_written_in_order_on_the_writer_thread():
    seen: list[tuple[int, str]] = []
    writer = RecordWriter({Edge: lambda r: seen.append((r.n, threading.current_thread().name))})
    writer.start()
    for n in range(5):
        assert writer.put(Edge(n))
    assert writer.flush()
    writer.stop()
    assert seen == [(n, "plant-writer") for n in range(5)]
    assert (writer.written, writer.dropped) == (5, 0)


def test_a_full_queue_drops_new_records_and_says_so_once(caplog):
    release = threading.Event()
    writer = RecordWriter({Edge: lambda r: release.wait(60)}, capacity=3).start()
    with caplog.at_level(logging.ERROR, logger=record_writer.__name__):
        results = [writer.put(Edge(n)) for n in range(10)]
    # A record stays queued while its handler runs, so it counts against the capacity.
    assert results == [True] * 3 + [False] * 7
    full = [r for r in caplog.records if "queue full" in r.getMessage()]
    assert len(full) == 1
    release.set()
    assert writer.flush()
    writer.stop()
    assert writer.written + writer.dropped == 10


def test_a_locked_database_is_retried_until_the_write_goes_through(monkeypatch):
    monkeypatch.setattr(record_writer, "RETRY_INITIAL_S", 0.01)
    attempts: list[int] = []

    def write(record: Edge) -> None:
        attempts.append(record.n)
        if len(attempts) < 3:
            raise _locked()

    writer = RecordWriter({Edge: write}).start()
    writer.put(Edge(1))
    writer.put(Edge(2))
    assert writer.flush()
    writer.stop()
    assert attempts == [1, 1, 1, 2]
    assert (writer.written, writer.failures, writer.dropped) == (2, 2, 0)


def test_a_refused_record_is_logged_and_skipped(caplog):
    def write(record: Edge) -> None:
        if record.n == 1:
            raise ValidationFailed({"value": "lower than the last reading"})

    writer = RecordWriter({Edge: write}).start()
    for n in range(3):
        writer.put(Edge(n))
    assert writer.flush()
    writer.stop()
    assert (writer.written, writer.failures) == (2, 1)
    assert any("not written" in r.getMessage() for r in caplog.records)


def test_stop_drains_what_is_queued():
    gate = threading.Event()
    seen: list[int] = []

    def write(record: Edge) -> None:
        gate.wait(60)
        seen.append(record.n)

    writer = RecordWriter({Edge: write}).start()
    for n in range(20):
        writer.put(Edge(n))
    stopper = threading.Thread(target=writer.stop)
    stopper.start()
    gate.set()
    stopper.join(60)
    assert seen == list(range(20))
    assert writer.dropped == 0


def test_stop_gives_up_on_a_database_that_stays_locked_and_counts_the_loss(caplog):
    def write(record: Edge) -> None:
        raise _locked()

    writer = RecordWriter({Edge: write}).start()
    for n in range(3):
        writer.put(Edge(n))
    writer.stop(timeout_s=0.5)
    assert writer.written == 0
    assert writer.dropped == 3
    assert any("3 records not written" in r.getMessage() for r in caplog.records)


def test_an_unknown_record_type_is_a_programming_error():
    writer = RecordWriter({Edge: lambda r: None})
    with pytest.raises(TypeError):
        writer.put("not a record")

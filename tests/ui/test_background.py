"""ui.background: the one way the app runs work off the GUI thread."""

from __future__ import annotations

import logging
import threading

import pytest
from PySide6.QtCore import QObject, QThreadPool, QTimer
from PySide6.QtWidgets import QWidget

from desktop.domain.errors import ValidationFailed
from ui.background import Background, Poller, SynchronousPool, after_first_paint, wait_for


class HeldPool(list):
    """Holds the jobs started, for the test to run when and in the order it chooses."""

    def start(self, runnable) -> None:
        self.append(runnable)


def test_work_runs_on_a_pool_thread_and_its_answer_arrives_on_the_gui_thread(qtbot):
    owner = QObject()
    background = Background(owner, QThreadPool())
    threads, answers = [], []

    def work() -> int:
        threads.append(threading.current_thread())
        return 42

    background.run(work, lambda answer: answers.append((answer, threading.current_thread())))
    qtbot.waitUntil(lambda: bool(answers), timeout=10_000)

    assert threads[0] is not threading.main_thread()
    assert answers == [(42, threading.main_thread())]
    assert not background.busy


def test_a_refusal_is_explained_as_the_person_reads_it(qtbot):
    background = Background(None, SynchronousPool())
    failures = []

    def work() -> None:
        raise ValidationFailed({"due_at": "must be after the request"})

    background.run(work, lambda _: None, failures.append)

    assert failures[0].message == "Please correct:\n• due at: must be after the request"
    assert isinstance(failures[0].error, ValidationFailed)


def test_an_unexpected_error_is_logged_with_its_traceback_and_reported(qtbot, caplog):
    reported = []
    background = Background(None, SynchronousPool(), report=reported.append)

    def work() -> None:
        raise ZeroDivisionError("bad figure")

    with caplog.at_level(logging.ERROR):
        background.run(work, lambda _: None)

    assert reported[0].message.startswith("Something went wrong: ZeroDivisionError: bad figure")
    assert "Nothing you saved before this is lost" in reported[0].message
    assert "Traceback" in caplog.text
    assert "bad figure" in caplog.text


def test_a_newer_job_with_the_same_key_makes_the_older_answer_stale(qtbot):
    pool = HeldPool()
    background = Background(None, pool)
    shown = []
    background.run(lambda: "C-201", shown.append, key="history")
    background.run(lambda: "P-101", shown.append, key="history")
    background.run(lambda: "other", shown.append, key="numbers")

    for job in reversed(pool):  # the older answer arrives last
        job.run()

    assert sorted(shown) == ["P-101", "other"]


def test_a_cancelled_job_stops_at_its_next_progress_report(qtbot):
    pool = HeldPool()
    background = Background(None, pool)
    steps, outcome = [], []

    def work(progress) -> str:
        for step in range(5):
            progress(step / 5)
            steps.append(step)
        return "done"

    job = background.run_with_progress(
        work,
        lambda answer: outcome.append(answer),
        lambda failure: outcome.append(failure),
        cancelled=lambda: outcome.append("cancelled"),
    )
    job.cancel()
    pool[0].run()

    assert steps == []
    assert outcome == ["cancelled"]


def test_progress_arrives_in_order_before_the_answer(qtbot):
    background = Background(None, SynchronousPool())
    events = []

    def work(progress) -> str:
        progress(0.5)
        progress(1.0)
        return "pack.pdf"

    background.run_with_progress(work, events.append, progressed=events.append)

    assert events == [0.5, 1.0, "pack.pdf"]


def test_a_poller_survives_an_unexpected_error_and_logs_it(caplog):
    rounds = []
    again = threading.Event()

    def poll() -> None:
        rounds.append(len(rounds))
        if len(rounds) == 1:
            raise KeyError("no such tile")
        again.set()

    poller = Poller("test-poller", poll, interval=0.01)
    with caplog.at_level(logging.ERROR):
        poller.start()
        assert again.wait(10)
        poller.stop()

    assert len(rounds) >= 2
    assert "KeyError: 'no such tile'" in caplog.text


def test_a_woken_poller_polls_at_once():
    polled = threading.Event()
    poller = Poller("test-poller", polled.set, interval=3600)
    poller.start(first_after=3600)
    poller.wake()
    assert polled.wait(10)
    poller.stop()


def test_waiting_for_work_keeps_the_gui_thread_answering_and_returns_its_answer(qtbot):
    release = threading.Event()
    ticks: list[str] = []
    threads = []

    def work() -> int:
        threads.append(threading.current_thread())
        assert release.wait(10)  # until the GUI thread has shown it is not blocked
        return 42

    def tick() -> None:
        ticks.append(threading.current_thread().name)
        release.set()

    QTimer.singleShot(0, tick)  # runs only if the GUI thread's events go on during the wait
    assert wait_for(work) == 42
    assert ticks == [threading.main_thread().name]
    assert threads[0] is not threading.main_thread()


def test_waiting_for_work_raises_its_error_on_the_gui_thread(qtbot):
    def work() -> None:
        raise OSError("the database file is a folder")

    with pytest.raises(OSError, match="is a folder"):
        wait_for(work)


class Canvas(QWidget):
    """Notes each of its paints, for the test to see what came first."""

    def __init__(self, seen: list[str]) -> None:
        super().__init__()
        self._seen = seen

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._seen.append("painted")
        super().paintEvent(event)


def test_work_after_the_first_paint_waits_for_it_and_runs_once(qtbot):
    seen: list[str] = []
    canvas = Canvas(seen)
    qtbot.addWidget(canvas)
    after_first_paint(canvas, lambda: seen.append("called"), latest_ms=60_000)
    assert seen == []
    canvas.show()
    qtbot.waitUntil(lambda: "called" in seen, timeout=10_000)
    canvas.update()
    qtbot.wait(50)
    assert seen[0] == "painted"
    assert seen.count("called") == 1


def test_work_after_the_first_paint_of_a_hidden_widget_runs_all_the_same(qtbot):
    seen: list[str] = []
    canvas = Canvas(seen)
    qtbot.addWidget(canvas)
    after_first_paint(canvas, lambda: seen.append("called"), latest_ms=50)
    qtbot.waitUntil(lambda: seen == ["called"], timeout=10_000)

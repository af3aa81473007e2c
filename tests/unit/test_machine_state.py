"""Running-state edges: debounced, stamped with the machine's time, deaf to repeated samples."""

from __future__ import annotations

from desktop.domain.machine_state import StateEdge, StateEdgeDetector


def _edges(detector: StateEdgeDetector, series: list[tuple[float, bool]]) -> list[StateEdge]:
    return [e for ts, running in series if (e := detector.feed(ts, running)) is not None]


def test_first_state_is_a_baseline_and_changes_are_edges_at_the_machine_time():
    series = [(0.0, True), (1.0, True), (2.0, False), (3.0, False), (9.0, True)]
    assert _edges(StateEdgeDetector(), series) == [StateEdge(False, 2.0), StateEdge(True, 9.0)]


def test_a_flicker_shorter_than_the_delay_is_no_edge():
    detector = StateEdgeDetector(on_delay_s=5.0, off_delay_s=5.0)
    series = [(0.0, True), (10.0, False), (12.0, True), (20.0, False), (24.0, False), (26.0, False)]
    # The stop at 10 s lasted 2 s; the one from 20 s held past 5 s and counts from 20 s.
    assert _edges(detector, series) == [StateEdge(False, 20.0)]


def test_samples_sent_again_or_out_of_order_are_ignored():
    detector = StateEdgeDetector()
    series = [(0.0, True), (5.0, False), (5.0, False), (4.0, True), (5.0, True), (8.0, True)]
    assert _edges(detector, series) == [StateEdge(False, 5.0), StateEdge(True, 8.0)]


def test_a_stop_reported_once_is_confirmed_by_the_time_other_samples_bring():
    # A subscription sends the stop once; only other tags' samples show time passing.
    detector = StateEdgeDetector(on_delay_s=5.0, off_delay_s=5.0)
    assert detector.feed(0.0, True) is None
    assert detector.feed(10.0, False) is None
    assert detector.confirm(12.0) is None
    assert detector.confirm(15.0) == StateEdge(False, 10.0)
    assert detector.confirm(30.0) is None  # once
    assert detector.running is False

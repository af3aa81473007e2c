"""Running/stopped edges of a machine's running-state tag, debounced against chatter.

A state only counts once it has held for its delay, but the edge carries the time the machine
first reported it, so downtime starts and ends at the machine's own timestamps.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StateEdge:
    running: bool
    ts: float


class StateEdgeDetector:
    """Fed one (ts, running) at a time; the first state seen sets the baseline without an edge,
    since the machine's change happened before we were watching and its time is unknown."""

    def __init__(self, on_delay_s: float = 0.0, off_delay_s: float = 0.0) -> None:
        self._delay = {True: on_delay_s, False: off_delay_s}
        self._state: bool | None = None
        self._last_ts: float | None = None
        # A change seen but not yet held for its delay: (state, first ts).
        self._pending: tuple[bool, float] | None = None

    @property
    def running(self) -> bool | None:
        return self._state

    def feed(self, ts: float, running: bool) -> StateEdge | None:
        # Samples sent again after a reconnect, or out of order, say nothing new.
        if self._last_ts is not None and ts <= self._last_ts:
            return None
        self._last_ts = ts
        if self._state is None:
            self._state = running
            return None
        if running == self._state:
            self._pending = None
            return None
        if self._pending is None or self._pending[0] != running:
            self._pending = (running, ts)
        return self.confirm(ts)

    def confirm(self, now: float) -> StateEdge | None:
        """The pending change as an edge once it has held for its delay by `now`.

        OPC UA subscriptions report a value only when it changes, so a stop sends one sample
        and then nothing until the restart: its delay must be judged against the time other
        tags' samples bring (the plant's clock), not against the next sample of this tag.
        """
        if self._pending is None:
            return None
        running, since = self._pending
        if now - since < self._delay[running]:
            return None
        self._state = running
        self._pending = None
        return StateEdge(running, since)

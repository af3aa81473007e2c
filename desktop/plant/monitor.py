"""The condition monitor: feeds samples to the enabled rules and raises their alarms.

It runs on a thread of its own, draining a buffer the OPC UA client fills, so a slow database
never holds up the subscription. The evaluators are those of `desktop.domain.condition`,
which the replay over history uses as well.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from desktop.domain.condition import Change, RuleEvaluator, RuleEvent, Sample
from desktop.domain.errors import WrenchbookError
from desktop.plant.buffer import SampleBuffer
from desktop.plant.evidence import build_evidence
from desktop.services.condition.alarms import AlarmService, AlarmView

if TYPE_CHECKING:
    from desktop.domain.permissions import Actor
    from desktop.services.condition.plant_tags import RuleView
    from desktop.store.database import Database

# Samples kept per tag for the evidence: this long before the trigger, at most this many.
EVIDENCE_S = 3600.0
EVIDENCE_MAX_POINTS = 20_000

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MonitorEvent:
    rule: RuleView
    event: RuleEvent
    # The alarm raised; None for a clear, or when the rule's alarm was already open.
    alarm: AlarmView | None


class ConditionMonitor:
    def __init__(self, db: Database, actor: Actor, rules: list[RuleView]) -> None:
        self._alarms = AlarmService(db)
        self._actor = actor
        self._rules = [r for r in rules if r.enabled]
        self._evaluators = {r.id: RuleEvaluator(r.spec, r.unit) for r in self._rules}
        self._by_tag: dict[int, list[RuleView]] = defaultdict(list)
        for rule in self._rules:
            self._by_tag[rule.tag_id].append(rule)
        self._history: dict[int, deque[tuple[float, float | None, str]]] = {
            tag_id: deque(maxlen=EVIDENCE_MAX_POINTS) for tag_id in self._by_tag
        }
        self.buffer = SampleBuffer()
        self.events: list[MonitorEvent] = []
        self._events_lock = threading.Lock()
        self._stop = threading.Event()
        self._idle = threading.Event()
        self._thread = threading.Thread(target=self._run, name="condition-monitor", daemon=True)

    def put_batch(self, samples: list[Sample]) -> None:
        """Any thread: the OPC UA client hands its batches here."""
        self._idle.clear()
        self.buffer.put_batch(samples)

    def start(self) -> ConditionMonitor:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def wait_idle(self, timeout_s: float = 30.0) -> bool:
        """True once every sample handed over so far has been evaluated (tests, shutdown)."""
        return self._idle.wait(timeout_s)

    def recent_events(self) -> list[MonitorEvent]:
        with self._events_lock:
            return list(self.events)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.buffer.wait(0.5)
            batch = self.buffer.drain()
            if batch:
                self.process(batch)
            if not len(self.buffer):
                self._idle.set()

    def process(self, samples: list[Sample]) -> list[MonitorEvent]:
        """Evaluate samples in order; raises and clears alarms. Runs on the monitor thread."""
        events: list[MonitorEvent] = []
        for sample in samples:
            rules = self._by_tag.get(sample.tag_id)
            if not rules:
                continue
            self._history[sample.tag_id].append((sample.ts, sample.value, sample.quality.name))
            for rule in rules:
                evaluator = self._evaluators[rule.id]
                event = evaluator.feed(sample.ts, sample.value)
                if event is not None:
                    handled = self._handle(rule, evaluator, event)
                    if handled is not None:
                        events.append(handled)
        if events:
            with self._events_lock:
                self.events.extend(events)
        return events

    def _handle(
        self, rule: RuleView, evaluator: RuleEvaluator, event: RuleEvent
    ) -> MonitorEvent | None:
        at = datetime.fromtimestamp(event.ts, UTC)
        try:
            if event.change is Change.CLEARED:
                self._alarms.clear(self._actor, rule.id, at)
                return MonitorEvent(rule, event, None)
            points = [p for p in self._history[rule.tag_id] if p[0] >= event.ts - EVIDENCE_S]
            title = f"{rule.name} on {rule.tag_name} ({rule.asset_code})"
            evidence = build_evidence(title, rule.tag_name, rule.unit, points, rule.spec, event.ts)
            alarm = self._alarms.raise_alarm(
                self._actor, rule.id, at, event.measure, event.message, evidence
            )
            return MonitorEvent(rule, event, alarm)
        except (SQLAlchemyError, WrenchbookError):
            # Not raised: the rule goes back to normal so the next sample beyond it retries.
            _log.exception("rule %s: the alarm could not be stored", rule.name)
            evaluator.active = False
            return None

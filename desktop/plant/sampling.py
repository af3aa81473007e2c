"""How often the server samples each tag, and what it granted against what we asked.

A sampling interval of 0 means "as fast as possible" to some servers and "changes only" to
others (node-opcua-samples 2.14 sent one value per connection), so every tag asks for a
definite interval from its class, and the server's revision is kept and checked.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.domain.condition import DataKind

ANALOG_MS = 1000
# Vibration is trended for bearing faults that develop within seconds.
FAST_MS = 100
STATE_MS = 500
COUNTER_MS = 5000
_FAST_WORDS = ("vibration", "acceleration", "velocity")


def sampling_ms(kind: DataKind | str, name: str) -> int:
    """The sampling interval a tag asks for, from its class; never 0."""
    if any(word in name.lower() for word in _FAST_WORDS):
        return FAST_MS
    kind = DataKind(kind)
    if kind is DataKind.STATE:
        return STATE_MS
    if kind is DataKind.COUNTER:
        return COUNTER_MS
    return ANALOG_MS


@dataclass(frozen=True)
class SamplingGrant:
    """What one monitored item asked for and what the server revised it to."""

    tag_id: int
    asked_ms: float
    asked_queue: int
    revised_ms: float
    revised_queue: int

    @property
    def warning(self) -> str:
        """Empty when the server granted what was asked (or better)."""
        if self.revised_ms <= 0:
            return (
                f"tag {self.tag_id}: the server revised sampling to changes only (asked "
                f"{self.asked_ms:g} ms); values that do not change are not sent"
            )
        if self.revised_ms > self.asked_ms:
            return (
                f"tag {self.tag_id}: the server samples every {self.revised_ms:g} ms, not the "
                f"{self.asked_ms:g} ms asked: fewer values than asked"
            )
        if self.revised_queue < self.asked_queue:
            return (
                f"tag {self.tag_id}: the server queues {self.revised_queue} values, not the "
                f"{self.asked_queue} asked: values between two publishes may be lost"
            )
        return ""


def describe_grants(grants: list[SamplingGrant]) -> list[str]:
    """One summary line of what the server granted, then one `warning:` line per tag it
    revised below what was asked."""
    if not grants:
        return []
    counts: dict[tuple[float, int], int] = {}
    for grant in grants:
        key = (grant.revised_ms, grant.revised_queue)
        counts[key] = counts.get(key, 0) + 1
    parts = [
        f"{n} {'tag' if n == 1 else 'tags'} "
        f"{'on changes only' if ms <= 0 else f'every {ms:g} ms'} (queue {queue})"
        for (ms, queue), n in sorted(counts.items())
    ]
    lines = ["server sampling: " + ", ".join(parts)]
    lines += [f"warning: {g.warning}" for g in grants if g.warning]
    return lines

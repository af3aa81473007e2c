"""How often the server samples each tag, and what it granted against what we asked.

A sampling interval of 0 means "as fast as possible" to some servers and "changes only" to
others (node-opcua-samples 2.14 sent one value per connection), so every tag asks for a
definite interval, its own or its class's, and the server's revision is kept and checked; so
is what actually arrives (`DeliveryWatch`), since a server may grant an interval and still send
changes only. What is said about it is a `Phrase`: the app says it in the user's language.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from desktop.domain.condition import DataKind, Sample
from desktop.domain.phrases import Amount, Listing, Phrase

ANALOG_MS = 1000
# Vibration is trended for bearing faults that develop within seconds.
FAST_MS = 100
STATE_MS = 500
COUNTER_MS = 5000
_FAST_WORDS = ("vibration", "acceleration", "velocity")


def sampling_ms(kind: DataKind | str, name: str, own: int | None = None) -> int:
    """The sampling interval a tag asks for: its own where set, else its class's; never 0."""
    if own is not None:
        return own
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
    name: str = ""
    """The tag's name for messages (its id where the caller did not know it)."""

    @property
    def label(self) -> str:
        return self.name or unnamed(self.tag_id)

    @property
    def granted(self) -> str:
        """What the server granted, in words: "every 1000 ms, queue 10"."""
        if self.revised_ms <= 0:
            return Phrase("changes only, queue {queue}", queue=self.revised_queue)
        return Phrase(
            "every {interval} ms, queue {queue}",
            interval=Amount(self.revised_ms, None),
            queue=self.revised_queue,
        )

    @property
    def warning(self) -> str:
        """Empty when the server granted what was asked (or better)."""
        if self.revised_ms <= 0:
            return Phrase(
                "{tag}: the server revised sampling to changes only (asked {asked} ms); "
                "values that do not change are not sent",
                tag=self.label,
                asked=Amount(self.asked_ms, None),
            )
        if self.revised_ms > self.asked_ms:
            return Phrase(
                "{tag}: the server samples every {interval} ms, not the {asked} ms asked: "
                "fewer values than asked",
                tag=self.label,
                interval=Amount(self.revised_ms, None),
                asked=Amount(self.asked_ms, None),
            )
        if self.revised_queue < self.asked_queue:
            return Phrase(
                "{tag}: the server queues {queue} values, not the {asked} asked: values "
                "between two publishes may be lost",
                tag=self.label,
                queue=self.revised_queue,
                asked=self.asked_queue,
            )
        return ""


def unnamed(tag_id: int) -> str:
    """A tag in a message where its name is not known."""
    return Phrase("tag {id}", id=tag_id)


def describe_grants(grants: list[SamplingGrant]) -> list[str]:
    """One summary line of what the server granted, then one `warning:` line per tag it
    revised below what was asked."""
    if not grants:
        return []
    counts: dict[tuple[float, int], int] = {}
    for grant in grants:
        key = (grant.revised_ms, grant.revised_queue)
        counts[key] = counts.get(key, 0) + 1
    parts = [_granted_to(n, ms, queue) for (ms, queue), n in sorted(counts.items())]
    lines: list[str] = [Phrase("server sampling: {parts}", parts=Listing(tuple(parts)))]
    lines += [Phrase("warning: {warning}", warning=g.warning) for g in grants if g.warning]
    return lines


def _granted_to(count: int, ms: float, queue: int) -> Phrase:
    """ "3 tags every 1000 ms (queue 10)": how many tags got one grant."""
    if ms <= 0 and count == 1:
        return Phrase("{count} tag on changes only (queue {queue})", count=count, queue=queue)
    if ms <= 0:
        return Phrase("{count} tags on changes only (queue {queue})", count=count, queue=queue)
    interval = Amount(ms, None)
    if count == 1:
        return Phrase(
            "{count} tag every {interval} ms (queue {queue})",
            count=count,
            interval=interval,
            queue=queue,
        )
    return Phrase(
        "{count} tags every {interval} ms (queue {queue})",
        count=count,
        interval=interval,
        queue=queue,
    )


WINDOW_S = 60.0
"""Arrivals are weighed over a minute: long enough for a 5 s tag to show a pattern."""
SHORTFALL = 20
"""A tag is suspect when fewer than 1 in this many of the values its interval implies arrived.
Loose on purpose: a server sends a value only when it changes (OPC UA's default data-change
filter), and a plant signal updated every second on a 100 ms tag rightly delivers a tenth."""
MIN_EXPECTED = 20
"""Fewer expected values than this in a window say nothing either way."""


@dataclass(frozen=True)
class Shortfall:
    """A tag that delivered far fewer values than its interval implies, and the warning."""

    name: str
    text: str


@dataclass(frozen=True)
class Suspect:
    """A steady tag short of values in the last window, before a Read tells whether its
    value stood still (nothing to send) or changed unsent (a server sending less)."""

    tag_id: int
    name: str
    received: int
    expected: float
    interval_ms: float
    elapsed_s: float
    last_value: float | None


@dataclass
class DeliveryWatch:
    """Counts what each steadily changing (analog) tag delivers, and after each window names
    the tags that delivered far fewer values than their interval implies. Runs on the OPC UA
    thread: counts and arithmetic only; the Read that confirms a suspect is the client's."""

    intervals_ms: dict[int, float]
    """Per watched tag id, the interval it should deliver at (asked, or revised if slower)."""
    names: dict[int, str] = field(default_factory=dict)
    window_s: float = WINDOW_S
    _counts: Counter[int] = field(default_factory=Counter)
    _last: dict[int, float | None] = field(default_factory=dict)
    _since: float | None = None

    def start(self, now: float) -> None:
        """A new window: count from now."""
        self._counts.clear()
        self._since = now

    def count(self, samples: list[Sample]) -> None:
        for sample in samples:
            if sample.tag_id in self.intervals_ms:
                self._counts[sample.tag_id] += 1
                self._last[sample.tag_id] = sample.value

    def check(self, now: float) -> list[Suspect] | None:
        """After each full window the tags short of values in it (maybe none), then counting
        starts again; None while the window is still open."""
        if self._since is None or now - self._since < self.window_s:
            return None
        elapsed = now - self._since
        suspects = []
        for tag_id, interval in sorted(self.intervals_ms.items()):
            expected = elapsed * 1000.0 / max(interval, 1.0)
            got = self._counts.get(tag_id, 0)
            if expected >= MIN_EXPECTED and got * SHORTFALL < expected:
                name = self.names.get(tag_id) or unnamed(tag_id)
                last = self._last.get(tag_id)
                suspects.append(Suspect(tag_id, name, got, expected, interval, elapsed, last))
        self.start(now)
        return suspects


def confirm(suspects: list[Suspect], now_reading: dict[int, float | None]) -> list[Shortfall]:
    """The suspects whose value, read now, differs from the last one the server sent: it
    changed and was not sent. A value standing still (a stopped machine's flow) sends nothing
    rightly, and a tag that could not be read is given the benefit of the doubt."""
    found = []
    for suspect in suspects:
        if suspect.tag_id not in now_reading:
            continue
        current = now_reading[suspect.tag_id]
        if current is None or current == suspect.last_value:
            continue
        found.append(
            Shortfall(
                suspect.name,
                Phrase(
                    "{tag}: {received} values in the last {seconds} s, where every "
                    "{interval} ms implies about {expected}, and it reads {now} now against "
                    "{last} last sent: the server sends fewer values than asked (changes only?)",
                    tag=suspect.name,
                    received=suspect.received,
                    seconds=Amount(suspect.elapsed_s, 0, grouped=False),
                    interval=Amount(suspect.interval_ms, None),
                    expected=Amount(suspect.expected, 0, grouped=False),
                    now=Amount(current, None),
                    last=_shown(suspect.last_value),
                ),
            )
        )
    return found


def _shown(value: float | None) -> object:
    return Phrase("nothing") if value is None else Amount(value, None)


def short_of_values(grants: tuple[SamplingGrant, ...], delivery: tuple[Shortfall, ...]) -> str:
    """One phrase for a status bar: the tags getting fewer values than asked, empty if none."""
    names = list(dict.fromkeys([g.label for g in grants if g.warning] + [d.name for d in delivery]))
    if not names:
        return ""
    shown = Listing(tuple(names[:3]))
    if len(names) > 3:
        return Phrase(
            "fewer values than asked from {tags} and {more} more", tags=shown, more=len(names) - 3
        )
    return Phrase("fewer values than asked from {tags}", tags=shown)

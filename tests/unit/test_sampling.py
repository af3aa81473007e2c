"""Sampling intervals by tag class, and the warnings when a server grants less."""

from __future__ import annotations

from desktop.domain.condition import DataKind, Quality, Sample, sampling_problem
from desktop.plant.sampling import (
    DeliveryWatch,
    SamplingGrant,
    Shortfall,
    Suspect,
    confirm,
    describe_grants,
    sampling_ms,
    short_of_values,
)


def test_every_tag_asks_a_definite_interval_from_its_class():
    assert sampling_ms(DataKind.ANALOG, "P1.BearingTemperature") == 1000
    assert sampling_ms(DataKind.ANALOG, "P1.Vibration") == 100
    assert sampling_ms(DataKind.STATE, "P1.Running") == 500
    assert sampling_ms("counter", "P1.RuntimeHours") == 5000


def test_a_server_granting_less_than_asked_is_warned_about():
    granted = SamplingGrant(1, 100, 20, 100, 20)
    changes_only = SamplingGrant(2, 1000, 20, 0, 20)
    slower = SamplingGrant(3, 100, 20, 500, 20)
    shorter = SamplingGrant(4, 100, 20, 100, 1)
    assert describe_grants([granted, changes_only, slower, shorter]) == [
        "server sampling: 1 tag on changes only (queue 20), 1 tag every 100 ms (queue 1), "
        "1 tag every 100 ms (queue 20), 1 tag every 500 ms (queue 20)",
        "warning: tag 2: the server revised sampling to changes only (asked 1000 ms); values "
        "that do not change are not sent",
        "warning: tag 3: the server samples every 500 ms, not the 100 ms asked: fewer values "
        "than asked",
        "warning: tag 4: the server queues 1 values, not the 20 asked: values between two "
        "publishes may be lost",
    ]


def test_a_tags_own_interval_wins_over_its_class_and_must_be_sensible():
    assert sampling_ms(DataKind.ANALOG, "P1.Vibration", 250) == 250
    assert sampling_ms(DataKind.STATE, "P1.Running", None) == 500
    assert sampling_problem(None) is None
    assert sampling_problem(10) is None
    assert sampling_problem(3_600_000) is None
    assert "from 10 to 3600000" in (sampling_problem(0) or "")
    assert sampling_problem(3_600_001)


def _samples(tag_id: int, values: list[float]) -> list[Sample]:
    return [Sample(tag_id, float(n), v, Quality.GOOD) for n, v in enumerate(values)]


def test_a_tag_delivering_far_fewer_values_than_its_interval_implies_is_suspect():
    watch = DeliveryWatch({1: 100.0, 2: 100.0, 3: 5000.0}, {1: "P1.Speed", 2: "P1.Vibration"})
    watch.start(now=0.0)
    # 60 s: 600 values implied for tags 1 and 2, 12 for tag 3.
    watch.count(_samples(1, [1450.0, 1451.0]) + _samples(2, [2.0] * 60) + _samples(3, [1.0]))
    assert watch.check(now=30.0) is None  # the window is still open
    (suspect,) = watch.check(now=60.0) or []
    assert (suspect.tag_id, suspect.name, suspect.received, suspect.last_value) == (
        1,
        "P1.Speed",
        2,
        1451.0,
    )
    # A signal updated every second on a 100 ms tag (P1.Vibration, a tenth) is no suspect,
    # nor a slow tag whose window implies too few values to tell (tag 3).
    watch.count(_samples(1, [1452.0] * 100) + _samples(2, [2.0] * 60))
    assert watch.check(now=120.0) == []  # counted afresh: P1.Speed delivers again


def test_only_a_value_that_changed_unsent_is_a_shortfall():
    suspects = [
        Suspect(1, "P1.Speed", 1, 600.0, 100.0, 60.0, 1450.0),
        Suspect(2, "P1.Flow", 1, 600.0, 100.0, 60.0, 0.0),  # a stopped pump's flow
        Suspect(3, "P1.Current", 1, 600.0, 100.0, 60.0, 3.0),  # could not be read
    ]
    (short,) = confirm(suspects, {1: 1457.0, 2: 0.0})
    assert short == Shortfall(
        "P1.Speed",
        "P1.Speed: 1 values in the last 60 s, where every 100 ms implies about 600, and it "
        "reads 1457 now against 1450 last sent: the server sends fewer values than asked "
        "(changes only?)",
    )


def test_the_status_bar_names_the_tags_short_of_values():
    grants = (SamplingGrant(1, 1000, 20, 0, 20, "P1.Speed"), SamplingGrant(2, 100, 20, 100, 20))
    delivery = (*(Shortfall(f"T{n}", "") for n in range(4)), Shortfall("P1.Speed", ""))
    assert short_of_values(grants, ()) == "fewer values than asked from P1.Speed"
    assert short_of_values(grants, delivery) == (
        "fewer values than asked from P1.Speed, T0, T1 and 2 more"
    )
    assert short_of_values((grants[1],), ()) == ""

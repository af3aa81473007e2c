"""Sampling intervals by tag class, and the warnings when a server grants less."""

from __future__ import annotations

from desktop.domain.condition import DataKind
from desktop.plant.sampling import SamplingGrant, describe_grants, sampling_ms


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

"""What every fuzz test shares: hypothesis settings, odd values, and the refusal check."""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from desktop.domain.errors import ValidationFailed, WrenchbookError
from tests.reliability.conftest import fingerprint

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.store.database import Database

T = TypeVar("T")

FUZZ = settings(
    # A deeper hunt: WRENCHBOOK_FUZZ_EXAMPLES=1000 python -m pytest tests/reliability -k fuzz
    max_examples=int(os.environ.get("WRENCHBOOK_FUZZ_EXAMPLES", "60")),
    # The suite replays the same examples every run (no red build from a lucky draw); a deep
    # hunt with WRENCHBOOK_FUZZ_EXAMPLES draws new ones each time.
    derandomize="WRENCHBOOK_FUZZ_EXAMPLES" not in os.environ,
    deadline=None,
    database=None,
    # One database per test on purpose: every refused example must leave it as it was.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ODD_FLOATS = st.sampled_from(
    [math.nan, math.inf, -math.inf, 0.0, -0.0, -1.0, 5e-324, 1e-9, 1e15, 1e308, -1e308]
) | st.floats(allow_nan=True, allow_infinity=True)
"""Floats a form or a command line can hand over: NaN, infinities, subnormals, huge ones."""

ODD_TEXT = st.sampled_from(
    ["", " ", "\t", "x" * 5000, "Ω≈ç√∫", "'; DROP TABLE work_orders; --", "%_\\", "\u202e\ufeff"]
) | st.text(max_size=300)
"""Text a user can type or paste: empty, blank, long, right-to-left marks, SQL and LIKE signs."""


def refused_or_done(db: Database, action: Callable[[], T]) -> T | WrenchbookError:
    """Run `action`: either it works, or it is refused with a message and changed nothing.

    Any other exception (a traceback for the user) fails the example.
    """
    before = fingerprint(db)
    try:
        return action()
    except WrenchbookError as exc:
        refusal = exc
    assert str(refusal).strip(), "a refusal without a message"
    if isinstance(refusal, ValidationFailed):
        assert refusal.problems, "ValidationFailed names no field"
        assert all(text.strip() for text in refusal.problems.values())
    assert fingerprint(db) == before, f"refused ({refusal}) yet the database changed"
    return refusal

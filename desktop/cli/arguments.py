"""Argument types the subcommands share: numbers a database and a calendar can hold.

`int` and `float` alone let through what no record can take: ids beyond a 32-bit key,
negative row limits, "nan" and "inf". These refuse them while the command line is parsed.
"""

from __future__ import annotations

import argparse
import math

MAX_RECORD_ID = 2**31 - 1
"""The largest key an INTEGER column holds on PostgreSQL."""


def record_id(text: str) -> int:
    """The id of a stored record (an alarm, a rule, a requisition, a line)."""
    value = _whole(text)
    if not 1 <= value <= MAX_RECORD_ID:
        raise argparse.ArgumentTypeError(f"{text!r}: no record has this id (1 to {MAX_RECORD_ID})")
    return value


def row_limit(text: str) -> int:
    """How many rows to list: at least one."""
    value = _whole(text)
    if not 1 <= value <= MAX_RECORD_ID:
        raise argparse.ArgumentTypeError(
            f"{text!r}: must be a positive whole number (1 to {MAX_RECORD_ID} rows)"
        )
    return value


def positive_number(text: str) -> float:
    """A finite number above zero (seconds, days, a rate)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"{text!r}: must be a number more than 0")
    return value


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None

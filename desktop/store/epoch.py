"""`epoch_seconds(column)`: a stored time as float seconds since 1970 UTC, on either engine.

Reading a million times as numbers and converting them in one numpy step is several times
faster than parsing SQLite's text or building a Python datetime per value.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

_JULIAN_DAY_OF_1970 = 2440587.5


class epoch_seconds(FunctionElement[float]):  # noqa: N801 (reads as a SQL function)
    type = Float()
    inherit_cache = True


@compiles(epoch_seconds, "sqlite")
def _sqlite(element: epoch_seconds, compiler: Any, **kw: Any) -> str:
    # UTCDateTime stores naive UTC text on SQLite; julianday reads it to the millisecond.
    stored = compiler.process(element.clauses, **kw)
    return f"((julianday({stored}) - {_JULIAN_DAY_OF_1970}) * 86400.0)"


@compiles(epoch_seconds, "postgresql")
def _postgresql(element: epoch_seconds, compiler: Any, **kw: Any) -> str:
    return (
        f"CAST(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)}) AS DOUBLE PRECISION)"
    )

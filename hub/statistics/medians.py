"""An exact median from a histogram and a handful of fact rows.

The counts hold, per area and recording day or month, how many durations fall on each whole
day (``whole_days``). Added up over the area and period they say which whole day holds the
middle value(s) and how many values lie below it; then the facts of that day (or those two
days) are walked in the order of their exact duration — the raw computation's own expression,
stored as the database computed it — along an index, to the middle rank(s), and those values
averaged in SQL, as the raw computation does. ``whole_days`` never decreases as a duration
grows, so the values below that day are exactly the ones counted below it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select


@dataclass(frozen=True, slots=True)
class Middle:
    first_day: int  # whole days of the lower middle value
    last_day: int  # and of the upper one
    ranks: tuple[int, int]  # their ranks among the values of first_day … last_day


def middle(histogram: Mapping[int, int]) -> Middle | None:
    """Where the middle one or two of the counted values lie, or None when there are none."""
    n = sum(histogram.values())
    if n <= 0:
        return None
    lower, upper = (n + 1) // 2, (n + 2) // 2
    below = 0
    first: tuple[int, int] | None = None  # (day, values below it)
    for day in sorted(histogram):
        count = histogram[day]
        if first is None and below + count >= lower:
            first = (day, below)
        if below + count >= upper:
            assert first is not None
            return Middle(first[0], day, (lower - first[1], upper - first[1]))
        below += count
    raise AssertionError("the histogram's counts do not add up")  # unreachable: upper <= n


def median_statement(value: Any, whole_day: Any, where: list[ColumnElement[bool]], at: Middle) -> Select[Any]:
    """The average of the middle value(s): ``value`` over the facts of ``at``'s days, in the
    order of the index (whole day, value) — no sort, and no more rows than the upper rank."""
    first, last = at.ranks
    middle_values = (select(value.label("x")).where(*where, whole_day >= at.first_day, whole_day <= at.last_day)
                     .order_by(whole_day, value).offset(first - 1).limit(last - first + 1).subquery("middle"))
    return select(func.avg(middle_values.c.x))

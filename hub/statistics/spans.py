"""A period of recording days as the count rows that add up to it: whole months where the
period covers them, single days at its ragged ends. A year is 12 month rows per area and
key instead of 365 day rows; an odd period adds at most two partial months of days."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, false, or_

from hub.statistics.models import Rollup
from hub.statistics.rollup import DAY, MONTH

Span = tuple[str, date | None, date | None]  # kind, first period_start, last period_start (None: open)


def _next_month(d: date) -> date:
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1)


def spans(start: date | None, end: date | None) -> list[Span]:
    """The rows covering the inclusive days ``start``–``end`` (None: unbounded) exactly once."""
    if start is not None and end is not None and start > end:
        return []
    first = None if start is None else (start if start.day == 1 else _next_month(start))
    # The month of the last whole month covered: end's own when end is its last day.
    last = None if end is None else (end.replace(day=1) if _next_month(end) - timedelta(days=1) == end
                                     else (end.replace(day=1) - timedelta(days=1)).replace(day=1))
    if first is not None and last is not None and first > last:
        return [(DAY, start, end)]
    out: list[Span] = [(MONTH, first, last)]
    if start is not None and first is not None and start < first:
        out.append((DAY, start, first - timedelta(days=1)))
    if end is not None and last is not None and end >= _next_month(last):
        out.append((DAY, _next_month(last), end))
    return out


def covering(start: date | None, end: date | None) -> ColumnElement[bool]:
    parts = []
    for kind, lo, hi in spans(start, end):
        bounds = [Rollup.span == kind]
        if lo is not None:
            bounds.append(Rollup.period_start >= lo)
        if hi is not None:
            bounds.append(Rollup.period_start <= hi)
        parts.append(and_(*bounds))
    return or_(*parts) if parts else false()

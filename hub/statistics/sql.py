"""SQL pieces that differ between PostgreSQL and SQLite: durations, local days and medians."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, Float, Integer, Select, func, literal_column, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement


class seconds_between(FunctionElement[float]):  # noqa: N801 - reads as a SQL function
    """``later - earlier`` in seconds."""

    type = Float()
    inherit_cache = True


@compiles(seconds_between, "postgresql")
def _pg_seconds(element: seconds_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return f"EXTRACT(EPOCH FROM ({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)}))"


@compiles(seconds_between, "sqlite")
def _sqlite_seconds(element: seconds_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return f"((julianday({compiler.process(later, **kw)}) - julianday({compiler.process(earlier, **kw)})) * 86400.0)"


class whole_days(FunctionElement[int]):  # noqa: N801 - reads as a SQL function
    """A duration in seconds cut to whole days: rounded down on PostgreSQL, towards zero on
    SQLite. Either way it never decreases as the duration grows, which is all a histogram
    of durations needs (``hub/statistics/medians.py``)."""

    type = Integer()
    inherit_cache = True


@compiles(whole_days, "postgresql")
def _pg_whole_days(element: whole_days, compiler: Any, **kw: Any) -> str:
    return f"CAST(floor(({compiler.process(list(element.clauses)[0], **kw)}) / 86400) AS INTEGER)"


@compiles(whole_days, "sqlite")
def _sqlite_whole_days(element: whole_days, compiler: Any, **kw: Any) -> str:
    return f"CAST(({compiler.process(list(element.clauses)[0], **kw)}) / 86400 AS INTEGER)"


class local_day(FunctionElement[Any]):  # noqa: N801 - reads as a SQL function
    """The calendar day of a UTC timestamp in a time zone: ``local_day(ts, 'Asia/Jakarta')``.

    SQLite has no time zone database: it calls ``slrt_local_date``, which the hub's engine
    registers on every SQLite connection (``hub/db/engine.py``)."""

    type = Date()
    inherit_cache = True


@compiles(local_day, "postgresql")
def _pg_local_day(element: local_day, compiler: Any, **kw: Any) -> str:
    ts, tz = list(element.clauses)
    return f"CAST(timezone({compiler.process(tz, **kw)}, {compiler.process(ts, **kw)}) AS DATE)"


@compiles(local_day, "sqlite")
def _sqlite_local_day(element: local_day, compiler: Any, **kw: Any) -> str:
    ts, tz = list(element.clauses)
    return f"slrt_local_date({compiler.process(ts, **kw)}, {compiler.process(tz, **kw)})"


def median_of(values: Select[Any]) -> Select[tuple[float | None]]:
    """The median of a one-column select, with window functions both databases have."""
    inner = values.subquery("v")
    x = list(inner.c)[0]
    ranked = select(
        x.label("x"),
        func.row_number().over(order_by=x).label("rn"),
        func.count().over().label("n"),
    ).subquery("ranked")
    # Rows (n+1)/2 and (n+2)/2 in integer arithmetic: the middle one, or the middle two.
    lower = (ranked.c.n + 1) // 2
    upper = (ranked.c.n + 2) // 2
    return select(func.avg(ranked.c.x)).where(ranked.c.rn.in_([lower, upper]))


def days(seconds: ColumnElement[float]) -> ColumnElement[float]:
    return seconds / literal_column("86400.0")

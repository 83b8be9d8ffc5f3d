"""SQL pieces that differ between PostgreSQL and SQLite: durations and medians."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, Select, func, literal_column, select
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

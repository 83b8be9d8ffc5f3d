"""Plain read records: a query's rows unpacked into a NamedTuple, without ORM objects.

A read that builds hundreds of ORM objects (the households and members of a 50-case page)
spends more CPU in SQLAlchemy's identity map and instance state than in the query itself
(docs/perf/README.md). Readers that only display rows select `columns(Model, Record)` and
unpack each row with ``Record._make(row)``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column


def columns(model: Any, record: Any) -> tuple[Column[Any], ...]:
    """`model`'s columns named by `record`'s fields, in the record's order."""
    table = model.__table__
    return tuple(table.c[name] for name in record._fields)

"""The fields every connector record carries: `source`, `fetchedAt`, `cached`.

Record types subclass `ConnectorRecord` (a strawberry type whose fields have defaults
and are keyword-only, so subclasses may declare required fields). Connectors build
records without these fields; the runtime stamps them on the way out.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import TypeVar

import strawberry

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@strawberry.type(description="What every connector record tells about its own freshness.")
class ConnectorRecord:
    source: str = strawberry.field(default="", description="Connector name that answered.")
    fetched_at: datetime = strawberry.field(default=EPOCH, description="When the upstream answered.")
    cached: bool = strawberry.field(default=False, description="Served from the hub's cache.")


R = TypeVar("R", bound=ConnectorRecord)


def stamped(record: R, *, source: str, fetched_at: datetime, cached: bool) -> R:
    """A copy of `record` with provenance set; cached records are never mutated in place."""
    # a shallow copy, not `dataclasses.replace`: records are plain values, and replace
    # re-runs __init__ with every field (about 4x the cost, hundreds of records a query)
    return stamp(copy.copy(record), source=source, fetched_at=fetched_at, cached=cached)


def stamp(record: R, *, source: str, fetched_at: datetime, cached: bool) -> R:
    """Set `record`'s provenance in place: only on a record nobody else holds yet."""
    record.source, record.fetched_at, record.cached = source, fetched_at, cached
    return record

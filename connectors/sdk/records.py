"""The fields every connector record carries: `source`, `fetchedAt`, `cached`.

Record types subclass `ConnectorRecord` (a strawberry type whose fields have defaults
and are keyword-only, so subclasses may declare required fields). Connectors build
records without these fields; the runtime stamps them on the way out.
"""

from __future__ import annotations

import dataclasses
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
    return dataclasses.replace(record, source=source, fetched_at=fetched_at, cached=cached)

"""`ConnectorStatus`: what the `connectors` query tells about each sector system."""

from __future__ import annotations

import strawberry

from connectors.sdk import BreakerState as _BreakerState
from connectors.sdk import ConnectorStatus as StatusData

BreakerState = strawberry.enum(_BreakerState, name="BreakerState")


@strawberry.type(description="One connector's state in this hub process")
class ConnectorStatus:
    name: str
    enabled: bool
    healthy: bool | None = strawberry.field(description="null until a call or a health check tells")
    breaker_state: BreakerState
    last_error: str | None = strawberry.field(description="reason code of the last failure (timeout, http_503...)")
    p50_latency_ms: float | None = strawberry.field(description="median of recent upstream loads")

    @classmethod
    def from_status(cls, s: StatusData) -> ConnectorStatus:
        return cls(name=s.name, enabled=s.enabled, healthy=s.healthy, breaker_state=s.breaker_state,
                   last_error=s.last_error, p50_latency_ms=s.p50_latency_ms)

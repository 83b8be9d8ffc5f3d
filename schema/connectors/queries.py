"""``connectors``: the state of every known connector, enabled or not."""

from __future__ import annotations

import asyncio

import strawberry
from strawberry.types import Info

from auth.roles import Scope
from schema.connectors.types import ConnectorStatus
from schema.context import Context
from schema.permissions import requires


@strawberry.type
class ConnectorQueries:
    @strawberry.field(permission_classes=[requires(Scope.CASE_READ, Scope.ADMIN)],
                      description="each connector's state; check: run every enabled connector's health check first")
    async def connectors(self, info: Info[Context, None], check: bool = False) -> list[ConnectorStatus]:
        registry = info.context.hub.connectors
        if check:
            await asyncio.gather(*(rt.check_health() for rt in registry.runtimes.values() if rt.settings.enabled))
        return [ConnectorStatus.from_status(s) for s in registry.statuses()]

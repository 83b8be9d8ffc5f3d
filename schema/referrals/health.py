"""``Partner.endpointHealth``: whether a Dinas endpoint works, for those who chase stuck referrals."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.permission import BasePermission
from strawberry.types import Info

from hub.referrals.health import EndpointState as _EndpointState
from hub.referrals.health import sees_endpoint_health

EndpointState = strawberry.enum(_EndpointState, name="EndpointState",
                                description="PORTAL_ONLY: no endpoint, referrals wait in the console's inbox")


class SeesEndpointHealth(BasePermission):
    message = "a partner's endpoint health is for administrators, the back office, supervisors and that partner"
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return sees_endpoint_health(info.context.actor, str(source.id))


@strawberry.type(description="Whether the partner's webhook endpoint works (no URL, no client, no failure details)")
class EndpointHealth:
    state: EndpointState
    failing_since: datetime | None = strawberry.field(description="failing without a break since (FAILING)")

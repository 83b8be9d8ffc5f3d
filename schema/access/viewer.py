"""``viewer``: the caller as the hub understood its token (role, scopes, area, partner).

Apps such as the console choose their screens from it instead of decoding tokens whose
claim names differ per identity provider (``SLRT_OAUTH_*_CLAIM``).
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from schema.areas.types import Area
from schema.context import Context
from schema.enums import Role
from schema.referrals.types import Partner


@strawberry.type(description="Who you are to the hub: what your token was read as")
class Viewer:
    subject: str
    role: Role
    scopes: list[str] = strawberry.field(description="the scopes granted, e.g. case:read pii:read")
    area_code: strawberry.ID | None = strawberry.field(description="your area (Kemendagri code); null = any area")
    partner_id: strawberry.Private[str | None]

    @strawberry.field(description="your area; null when you are not bound to one")
    def area(self, info: Info[Context, None]) -> Area | None:
        area = info.context.hub.areas.get(str(self.area_code)) if self.area_code else None
        return Area.from_info(area) if area else None

    @strawberry.field(description="the agency you act for (PARTNER only)")
    async def partner(self, info: Info[Context, None]) -> Partner | None:
        if self.partner_id is None:
            return None
        row = await info.context.referral_loaders.partner.load(self.partner_id)
        return Partner.from_row(row) if row else None


@strawberry.type
class ViewerQueries:
    @strawberry.field(description="who you are to the hub: role, scopes, area and partner read from your token")
    def viewer(self, info: Info[Context, None]) -> Viewer:
        a = info.context.actor
        return Viewer(subject=a.subject, role=a.role, scopes=sorted(s.value for s in a.scopes),
                      area_code=strawberry.ID(a.area) if a.area else None, partner_id=a.partner_id)

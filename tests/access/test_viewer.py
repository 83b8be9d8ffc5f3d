"""``viewer``: the caller as the hub read its token, for apps that pick screens from it."""

from __future__ import annotations

from auth.roles import Role, Scope
from tests.referrals.test_portal_partners import register_portal

VIEWER = "{ viewer { subject role scopes areaCode area { name level } partner { name portalOnly } } }"


async def test_staff_see_their_role_scopes_and_area(hub, as_role):
    me = (await as_role(Role.SUPERVISOR, "327502", sub="bu-sri")(VIEWER))["data"]["viewer"]
    assert me == {"subject": "bu-sri", "role": "SUPERVISOR", "scopes": ["case:approve", "case:read", "stats:read"],
                  "areaCode": "327502", "area": {"name": "Bekasi Barat", "level": "DISTRICT"}, "partner": None}


async def test_a_partner_user_sees_its_agency(hub, as_role):
    partner = await register_portal(as_role)
    me = await as_role(Role.PARTNER, sub="petugas", partner_id=partner["partner"]["id"],
                       scopes=frozenset({Scope.REFERRAL_UPDATE}))(VIEWER)
    assert me["data"]["viewer"]["role"] == "PARTNER" and me["data"]["viewer"]["areaCode"] is None
    assert me["data"]["viewer"]["partner"] == {"name": "Dinas Sosial Kota Bekasi (portal)", "portalOnly": True}


async def test_the_viewer_shows_the_scopes_granted_not_the_role_defaults(hub, as_role):
    api = as_role(Role.AUDITOR, scopes=frozenset({Scope.STATS_READ}))
    me = await api("{ viewer { role scopes } }")
    assert me["data"]["viewer"] == {"role": "AUDITOR", "scopes": ["stats:read"]}
    denied = await api("{ cases { totalCount } }")
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"

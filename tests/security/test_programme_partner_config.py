"""Issue 11 item 10: a partner's configuration (webhook URL, OAuth client, failure state) is visible
to administrators and to that partner only; everyone else sees programmes with the partner's name.

A PARTNER token sees its own programmes and its own configuration, nothing of another partner;
BACK_OFFICE still lists every programme with its partner's name to choose where to refer.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from auth.roles import Role
from tests.referrals.scenario import REGISTER, partner_input

CONFIGURATION = "webhookUrl clientId active disabledReason failingSince"
PROGRAMMES = f"{{ programmes {{ code name sector level partner {{ id name {CONFIGURATION} }} }} }}"
NAMES = "{ programmes { code name sector level partner { name } } }"
PARTNERS = f"{{ partners {{ name {CONFIGURATION} }} }}"
DINKES_URL = "http://127.0.0.1:9/dinkes/webhooks"
DINDIK_URL = "http://127.0.0.1:9/dindik/webhooks"


async def _two_partners(as_role: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    admin = as_role(Role.ADMIN)
    made = []
    for name, url, code in (("Dinas Kesehatan Kota Bekasi", DINKES_URL, "PBI_JK"),
                            ("Dinas Pendidikan Kota Bekasi", DINDIK_URL, "PIP")):
        result = (await admin(REGISTER, input=partner_input(name, url, (code,))))["data"]["registerPartner"]
        assert result["errors"] == [], result
        made.append(result)
    return made[0], made[1]


def _forbidden(result: dict[str, Any]) -> bool:
    return bool(result.get("errors")) and all(e["extensions"]["code"] == "FORBIDDEN" for e in result["errors"])


async def test_a_partner_sees_its_own_programmes_and_configuration_only(as_role: Any) -> None:
    dinkes, dindik = await _two_partners(as_role)
    partner = as_role(Role.PARTNER, partner_id=dinkes["partner"]["id"], sub="dinkes")

    result = await partner(PROGRAMMES)

    assert "errors" not in result, result
    assert [p["code"] for p in result["data"]["programmes"]] == ["PBI_JK"]
    own = result["data"]["programmes"][0]["partner"]
    assert (own["webhookUrl"], own["clientId"], own["active"]) == (DINKES_URL, dinkes["clientId"], True)
    text = json.dumps(result)
    assert DINDIK_URL not in text and dindik["clientId"] not in text and "Pendidikan" not in text


@pytest.mark.parametrize("role, area", [(Role.BACK_OFFICE, "3275"), (Role.FRONT_OFFICE, "3275"),
                                        (Role.SUPERVISOR, "327502"), (Role.FACILITATOR, "3275021005"),
                                        (Role.AUDITOR, None)])
async def test_staff_see_programmes_and_partner_names_but_no_configuration(
        as_role: Any, role: Role, area: str | None) -> None:
    dinkes, dindik = await _two_partners(as_role)
    staff = as_role(role, area)

    names = await staff(NAMES)
    assert "errors" not in names, names
    assert [(p["code"], p["partner"]["name"]) for p in names["data"]["programmes"]] == [
        ("PBI_JK", "Dinas Kesehatan Kota Bekasi"), ("PIP", "Dinas Pendidikan Kota Bekasi")]

    for query in (PROGRAMMES, PARTNERS):
        refused = await staff(query)
        text = json.dumps(refused)
        assert _forbidden(refused), refused
        assert DINKES_URL not in text and DINDIK_URL not in text
        assert dinkes["clientId"] not in text and dindik["clientId"] not in text


async def test_an_administrator_sees_every_partner_configuration(as_role: Any) -> None:
    dinkes, dindik = await _two_partners(as_role)
    result = await as_role(Role.ADMIN)(PARTNERS)
    assert "errors" not in result, result
    assert {(p["webhookUrl"], p["clientId"]) for p in result["data"]["partners"]} == {
        (DINKES_URL, dinkes["clientId"]), (DINDIK_URL, dindik["clientId"])}

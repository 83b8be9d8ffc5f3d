"""Issue 11, also harden: GraphQL over GET carries nothing that must not end up in a URL log.

Decision (README, Access): GET may carry a query document without variables and without
any run of 16 digits in its parameters; mutations never (strawberry refuses them); anything
else is HTTP 400 ``INVALID_INPUT`` and must go by POST.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from auth.roles import Role
from tests.security.conftest import code_of

NIK = "3275014101850001"


async def get(client: httpx.AsyncClient, token: str, **params: str) -> httpx.Response:
    return await client.get("/graphql", params=params, headers={"authorization": f"Bearer {token}"})


async def test_a_plain_query_may_still_go_by_get(client: httpx.AsyncClient, hub: Any) -> None:
    token = hub.issuer.issue(subject="fo-get", role=Role.FRONT_OFFICE, area="3275")
    answer = await get(client, token, query="{ programmes { code } }")
    assert answer.status_code == 200 and answer.json() == {"data": {"programmes": []}}
    assert (await get(client, token, query="{ programmes { code } }", variables="{}")).status_code == 200


async def test_identity_numbers_and_variables_are_refused_over_get(client: httpx.AsyncClient, hub: Any) -> None:
    token = hub.issuer.issue(subject="fo-get", role=Role.FRONT_OFFICE, area="3275")
    by_variable = await get(client, token, query="query($n: String!) { person(nik: $n) { name } }",
                            variables=json.dumps({"n": NIK}))
    inline = await get(client, token, query=f'{{ person(nik: "{NIK}") {{ name }} }}')
    harmless_variable = await get(client, token, query="query($s: Sector) { programmes(sector: $s) { code } }",
                                  variables=json.dumps({"s": "HEALTH"}))
    for refused in (by_variable, inline, harmless_variable):
        assert refused.status_code == 400 and code_of(refused) == "INVALID_INPUT", refused.text
        assert "POST" in refused.json()["errors"][0]["message"]
        assert NIK not in refused.text
    # The same requests by POST are answered.
    posted = await client.post("/graphql", json={"query": "query($n: String!) { person(nik: $n) { name } }",
                                                 "variables": {"n": NIK}},
                               headers={"authorization": f"Bearer {token}"})
    assert posted.status_code == 200 and posted.json()["data"] == {"person": None}


async def test_mutations_never_go_by_get(client: httpx.AsyncClient, hub: Any) -> None:
    token = hub.issuer.issue(subject="fo-get", role=Role.FRONT_OFFICE, area="3275")
    refused = await get(client, token, query='mutation { submitCase(id: "x") { errors { code } } }')
    assert refused.status_code in (400, 405) and "data" not in refused.text

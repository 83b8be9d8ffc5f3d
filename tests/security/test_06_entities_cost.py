"""Issue 11 item 6: federation ``_entities`` is costed by its real number of representations,
and one operation may look up at most ``SLRT_MAX_ENTITY_REPRESENTATIONS`` of them.

The old walk costed the representations list like any list without ``first`` (10 items):
15,000 Case representations were costed 1,161 and ran for seconds.
"""

from __future__ import annotations

from typing import Any

from graphql import parse

from auth.roles import Role, Scope
from schema import build_schema
from schema.extensions.limits import QueryLimits, measure
from tests.security.conftest import code_of, post

ENTITIES = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Case { number household { kkNumber } } } }"


def cases(n: int) -> list[dict[str, str]]:
    return [{"__typename": "Case", "id": f"00000000-0000-0000-0000-{i:012d}"} for i in range(n)]


def test_the_cost_counts_each_representation() -> None:
    schema = build_schema()._schema
    for n in (1, 7, 15_000):
        measured = measure(schema, parse(ENTITIES), None, {"r": cases(n)}, QueryLimits(max_cost=10**9, max_entities=10**6))
        # the field, then per representation its lookup, number, household and kkNumber
        assert (measured.cost, measured.entities) == (1 + n * 4, n)
    inline = "{ _entities(representations: [" + ", ".join(['{__typename: "Case", id: "x"}'] * 12) + "]) { __typename } }"
    assert measure(schema, parse(inline), None, {}, QueryLimits()).entities == 12


async def test_many_representations_are_refused_by_cost(app_with: Any, hub: Any) -> None:
    client = app_with(query_max_cost=1000)
    reader = hub.issuer.issue(subject="fo-entities", role=Role.FRONT_OFFICE, area="3275")
    few = await post(client, reader, ENTITIES, r=cases(200))  # 1 + 200 * 4 = 801
    assert few.status_code == 200 and "errors" not in few.json(), few.text
    assert few.json()["data"]["_entities"] == [None] * 200  # none exists; each one looked up
    many = await post(client, reader, ENTITIES, r=cases(300))  # 1,201
    assert code_of(many) == "QUERY_TOO_COMPLEX" and many.json()["data"] is None
    assert "cost" in many.json()["errors"][0]["message"]


async def test_representations_over_the_cap_are_refused_before_any_lookup(app_with: Any, hub: Any) -> None:
    client = app_with(max_entity_representations=5)
    reader = hub.issuer.issue(subject="fo-entities", role=Role.FRONT_OFFICE, area="3275")
    cheap = "query($r: [_Any!]!) { _entities(representations: $r) { __typename } }"
    assert (await post(client, reader, cheap, r=cases(5))).json()["data"]["_entities"] == [None] * 5
    refused = await post(client, reader, cheap, r=cases(6))
    assert code_of(refused) == "QUERY_TOO_COMPLEX" and refused.json()["data"] is None
    assert refused.json()["errors"][0]["message"] == "query looks up 6 entities; the limit is 5"
    # Written inline, or split over two aliased lookups, they count all the same.
    inline = "{ _entities(representations: [" + ", ".join(['{__typename: "Case", id: "x"}'] * 6) + "]) { __typename } }"
    assert code_of(await post(client, reader, inline)) == "QUERY_TOO_COMPLEX"
    split = "query($a: [_Any!]!, $b: [_Any!]!) { a: _entities(representations: $a) { __typename } " \
            "b: _entities(representations: $b) { __typename } }"
    assert code_of(await post(client, reader, split, a=cases(3), b=cases(3))) == "QUERY_TOO_COMPLEX"


async def test_the_default_cap_refuses_fifteen_thousand_cases(client: Any, hub: Any) -> None:
    reader = hub.issuer.issue(subject="sup-entities", role=Role.SUPERVISOR, area="3275",
                              scopes=frozenset({Scope.CASE_READ}))
    refused = await post(client, reader, "query($r: [_Any!]!) { _entities(representations: $r) { __typename } }",
                         r=[{"__typename": "Case", "id": str(i)} for i in range(15_000)])
    assert code_of(refused) == "QUERY_TOO_COMPLEX"
    assert refused.json()["errors"][0]["message"] == "query looks up 15000 entities; the limit is 1000"

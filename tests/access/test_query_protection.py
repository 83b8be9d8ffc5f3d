"""Query protection: depth, aliases, tokens and cost refused as QUERY_TOO_COMPLEX before any
resolver runs; introspection and suggestions off; body size, batches and rate bounded."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from auth.roles import Role
from hub.asgi import create_app
from schema import build_schema
from schema.extensions.limits import QueryLimits, cost, measure


@pytest.fixture
async def app_with(hub):
    """A client over the real app whose hub runs with changed settings."""
    clients: list[httpx.AsyncClient] = []

    def make(**changes: Any) -> tuple[httpx.AsyncClient, str]:
        the_hub = dataclasses.replace(hub, settings=hub.settings.model_copy(update=changes))
        transport = httpx.ASGITransport(app=create_app(the_hub.settings, the_hub), client=("127.0.0.1", 50003))
        c = httpx.AsyncClient(transport=transport, base_url="http://hub.test")
        clients.append(c)
        return c, hub.issuer.issue(subject="sup-1", role=Role.SUPERVISOR, area="3275")

    yield make
    for c in clients:
        await c.aclose()


async def _post(client: httpx.AsyncClient, token: str, body: Any) -> httpx.Response:
    return await client.post("/graphql", json=body, headers={"authorization": f"Bearer {token}"})


def _code(response: httpx.Response) -> str:
    return response.json()["errors"][0]["extensions"]["code"]


DEEP = "{ cases { edges { node { household { members { household { members { household { members { name } } } } } } } } } }"


async def test_a_query_deeper_than_the_limit_is_refused(app_with):
    client, token = app_with(query_max_depth=9)
    response = await _post(client, token, {"query": DEEP})
    assert _code(response) == "QUERY_TOO_COMPLEX" and response.json().get("data") is None
    ok = await _post(client, token, {"query": "{ cases { edges { node { household { members { name } } } } } }"})
    assert "errors" not in ok.json(), ok.text


async def test_too_many_aliases_are_refused(app_with):
    client, token = app_with(query_max_aliases=3)
    many = "{ " + " ".join(f"a{i}: areas {{ code }}" for i in range(4)) + " }"
    assert _code(await _post(client, token, {"query": many})) == "QUERY_TOO_COMPLEX"
    few = "{ " + " ".join(f"a{i}: areas {{ code }}" for i in range(3)) + " }"
    assert "errors" not in (await _post(client, token, {"query": few})).json()


async def test_too_many_tokens_are_refused(app_with):
    client, token = app_with(query_max_tokens=100)
    long = "{ areas { " + " ".join(["code"] * 120) + " } }"
    response = await _post(client, token, {"query": long})
    assert _code(response) == "QUERY_TOO_COMPLEX"


async def test_cost_grows_with_first_and_is_refused_over_the_limit(app_with):
    client, token = app_with(query_max_cost=500)
    page = "query($n: Int!) { cases(first: $n) { edges { node { number household { members { name } } } } } }"
    assert "errors" not in (await _post(client, token, {"query": page, "variables": {"n": 5}})).json()
    response = await _post(client, token, {"query": page, "variables": {"n": 50}})
    assert _code(response) == "QUERY_TOO_COMPLEX"
    assert "first" in response.json()["errors"][0]["message"]


def test_the_cost_counts_list_sizes_and_marked_fields():
    schema = build_schema()._schema
    from graphql import parse

    def cost_of(query: str, **limits: Any) -> int:
        return measure(schema, parse(query), None, {}, QueryLimits(**limits)).cost

    assert cost_of("{ cases(first: 10) { edges { node { number } } } }") == 1 + 10 * 3
    assert cost_of("{ cases(first: 20) { edges { node { number } } } }") == 1 + 20 * 3
    # members has no `first`: the default list size stands in.
    base = cost_of("{ cases(first: 10) { edges { node { household { members { name } } } } } }",
                   default_list_size=4)
    assert base == 1 + 10 * (1 + 1 + 1 + 1 + 4 * 1)
    # A field named in the settings (as connector fields are) costs its configured weight.
    weighted = cost_of("{ cases(first: 10) { edges { node { household { members { name } } } } } }",
                       default_list_size=4, field_costs={"Person.name": 7})
    assert weighted == base + 10 * 4 * 6
    assert cost(5) == {"slrt.cost": 5}


async def test_introspection_and_suggestions_are_off_unless_debug(app_with):
    client, token = app_with()
    response = await _post(client, token, {"query": "{ __schema { types { name } } }"})
    assert "errors" in response.json() and response.json().get("data") is None
    typo = await _post(client, token, {"query": "{ casess { totalCount } }"})
    assert "Did you mean" not in typo.text
    debug_schema = build_schema(debug=True)
    assert (await debug_schema.execute("{ __schema { queryType { name } } }")).errors is None


async def test_a_body_over_the_limit_gets_413_and_nothing_runs(app_with):
    client, token = app_with(max_request_bytes=4096)
    big = {"query": "{ areas { code } }", "variables": {"pad": "x" * 5000}}
    response = await _post(client, token, big)
    assert response.status_code == 413
    # Also when the client streams without announcing a length.
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(10):
            yield b" " * 1000

    streamed = await client.post("/graphql", content=chunks(), headers={
        "authorization": f"Bearer {token}", "content-type": "application/json"})
    assert streamed.status_code == 413
    assert (await _post(client, token, {"query": "{ areas { code } }"})).status_code == 200


async def test_batches_are_capped(app_with):
    client, token = app_with(max_batch_operations=2)
    two = [{"query": "{ areas { code } }"}] * 2
    response = await _post(client, token, two)
    assert response.status_code == 200 and len(response.json()) == 2
    assert (await _post(client, token, two + two[:1])).status_code == 400


async def test_a_caller_over_its_rate_gets_rate_limited_with_retry_after(app_with, hub):
    client, token = app_with(rate_limit="3/minute")
    for _ in range(3):
        assert (await _post(client, token, {"query": "{ areas { code } }"})).status_code == 200
    response = await _post(client, token, {"query": "{ areas { code } }"})
    assert response.status_code == 429
    assert _code(response) == "RATE_LIMITED"
    assert 1 <= int(response.headers["retry-after"]) <= 60
    # Counted per caller: another subject is not held back by this one.
    other = hub.issuer.issue(subject="sup-2", role=Role.SUPERVISOR, area="3275")
    assert (await _post(client, other, {"query": "{ areas { code } }"})).status_code == 200


async def test_the_token_endpoint_is_rate_limited_per_address(app_with):
    client, _ = app_with(token_rate_limit="2/minute")
    statuses = [(await client.post("/oauth/token", data={"grant_type": "client_credentials"})).status_code
                for _ in range(3)]
    assert statuses[:2] != [429, 429] and statuses[2] == 429

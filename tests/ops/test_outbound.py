"""Connector calls feed the metrics through the SDK's hooks, and every outbound call made while
answering a request carries that request's id - against real HTTP servers on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import httpx
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from prometheus_client import REGISTRY

from connectors.bpjs.connector import Bpjs
from connectors.bpjs.simulator import create_app as bpjs_simulator
from connectors.sdk.errors import ConnectorUnavailable
from connectors.sdk.runtime import ConnectorRuntime
from connectors.simkit import Handler, Knobs, state_of
from auth.roles import Role
from hub.asgi import create_app
from hub.container import Hub
from hub.observability import metrics, request_id
from hub.settings import Settings
from tests.cases.helpers import VILLAGE_A, record_input
from tests.ops.scrape import Scrape, delta

KNOWN = "3275021008890011"  # a synthetic BPJS member of the simulator
RECORD = """mutation($input: RecordCaseInput!) { recordCase(input: $input) { case { id } errors { code } } }"""
COVERAGE = """query Coverage($id: ID!) {
  case(id: $id) { household { members { nik healthCoverage { active } } } } }"""


def scrape() -> Scrape:
    return Scrape(metrics.exposition()[0].decode())


class Upstream:
    """The BPJS simulator, recording the x-request-id of every call it gets."""

    def __init__(self, knobs: Knobs) -> None:
        self.request_ids: list[str | None] = []
        self.app = bpjs_simulator(knobs)

        @web.middleware
        async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
            self.request_ids.append(request.headers.get(request_id.HEADER))
            return await handler(request)

        self.app.middlewares.insert(0, record)


@pytest.fixture
async def upstream() -> AsyncIterator[tuple[Upstream, str]]:
    up = Upstream(Knobs())
    server = TestServer(up.app, host="127.0.0.1")
    await server.start_server()
    yield up, str(server.make_url("/")).rstrip("/")
    await server.close()


def runtime(base_url: str, session: aiohttp.ClientSession, **settings: object) -> ConnectorRuntime:
    conf = Bpjs.settings_class.for_connector("bpjs", base_url=base_url, retries=0, cache_ttl=0, **settings)
    return ConnectorRuntime(Bpjs(conf), session, hooks=[metrics.observe_connector_call],
                            on_breaker_change=metrics.observe_breaker)


async def test_connector_calls_errors_and_breaker_state_reach_metrics(upstream: tuple[Upstream, str]) -> None:
    up, base_url = upstream
    before = scrape()
    async with aiohttp.ClientSession() as session:
        bpjs = runtime(base_url, session, breaker_threshold=2)
        assert (await bpjs.load_many([KNOWN]))[KNOWN] is not None
        state_of(up.app).knobs.error_rate = 1.0  # the upstream now answers 503
        for _ in range(2):
            with pytest.raises(ConnectorUnavailable):
                await bpjs.load_many([KNOWN])
        with pytest.raises(ConnectorUnavailable):  # refused by the open breaker, no upstream call
            await bpjs.load_many([KNOWN])
    after = scrape()
    assert delta(before, after, "slrt_connector_calls_total", connector="bpjs", outcome="ok") == 1
    assert delta(before, after, "slrt_connector_calls_total", connector="bpjs", outcome="error") == 2
    assert delta(before, after, "slrt_connector_errors_total", connector="bpjs", reason="http_503") == 2
    assert delta(before, after, "slrt_connector_call_duration_seconds_count", connector="bpjs") == 3
    assert after.value("slrt_connector_breaker_state", connector="bpjs", state="OPEN") == 1
    assert after.value("slrt_connector_breaker_state", connector="bpjs", state="CLOSED") == 0
    assert len(up.request_ids) == 3


async def test_outbound_calls_carry_the_current_request_id(upstream: tuple[Upstream, str]) -> None:
    up, base_url = upstream
    async with aiohttp.ClientSession(trace_configs=[request_id.outbound_trace_config()]) as session:
        bpjs = runtime(base_url, session)
        token = request_id.current.set("req-ops-0001")
        try:
            await bpjs.load_many([KNOWN])
        finally:
            request_id.current.reset(token)
        await bpjs.load_many(["3275026709790012"])  # outside any request: no header
    assert up.request_ids == ["req-ops-0001", None]


def test_metric_names_are_registered_once() -> None:
    names = {m.name for m in REGISTRY.collect()}
    assert {"slrt_graphql_requests", "slrt_connector_calls", "slrt_outbox_messages", "slrt_deliveries"} <= names


async def test_a_graphql_request_passes_its_id_to_the_connector_and_counts_the_call(
        hub: Hub, settings: Settings, upstream: tuple[Upstream, str], as_role: Any) -> None:
    up, base_url = upstream
    case = await as_role(Role.FACILITATOR, VILLAGE_A, sub="fasilitator-1")(RECORD, input=record_input(41))
    case_id = case["data"]["recordCase"]["case"]["id"]
    bpjs = {"bpjs": Bpjs.settings_class.for_connector("bpjs", base_url=base_url, cache_ttl=0)}
    own = await Hub.start(settings, connectors={"bpjs": Bpjs}, connector_settings=bpjs)
    try:
        token = own.issuer.issue(subject="front-office-1", role=Role.FRONT_OFFICE, area="3275")
        transport = httpx.ASGITransport(app=create_app(settings, own))
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            before = Scrape((await client.get("/metrics")).text)
            response = await client.post("/graphql", headers={"authorization": f"Bearer {token}"}, json={
                "query": COVERAGE, "variables": {"id": case_id}})
            after = Scrape((await client.get("/metrics")).text)
    finally:
        await own.close()
    assert "errors" not in response.json(), response.json()
    assert up.request_ids == [response.headers["x-request-id"]]  # one batched call, with our id
    assert delta(before, after, "slrt_connector_calls_total", connector="bpjs", outcome="ok") == 1
    assert after.value("slrt_connector_breaker_state", connector="bpjs", state="OPEN") == 0

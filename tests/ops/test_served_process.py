"""The hub as operators run it: ``slrt-hub serve`` in its own process, a full workflow over real
HTTP, then its JSON logs and its /metrics read the way a log shipper and Prometheus would."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from auth.roles import Role
from hub.container import Hub
from hub.delivery.models import DeliveryState
from hub.settings import Settings
from tests.cases.flow import Flow
from tests.cases.helpers import VILLAGE_A, record_input
from tests.ops.scrape import Scrape
from tests.ops.served import ServedHub
from tests.referrals.scenario import CREATE, REGISTER, in_state, partner_input, wait_for

RECORD = """mutation RecordIntake($input: RecordCaseInput!) {
  recordCase(input: $input) { case { id household { kkNumber } subjects { nik } } errors { code } } }"""
READ = """query ReadCase($id: ID!) {
  case(id: $id) { number household { kkNumber members { nik name } } } }"""
SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")


class Partner:
    """A partner endpoint, briefly down (503 once, then 200), keeping each webhook's x-request-id."""

    def __init__(self) -> None:
        self.request_ids: list[str | None] = []
        self.app = web.Application()
        self.app.router.add_post("/webhooks", self.receive)

    async def receive(self, request: web.Request) -> web.Response:
        self.request_ids.append(request.headers.get("x-request-id"))
        return web.Response(status=503 if len(self.request_ids) == 1 else 200, text="ok")


class Caller:
    """Every response's x-request-id, in order: the requests the log must account for."""

    def __init__(self, client: httpx.AsyncClient, hub: Hub) -> None:
        self.client = client
        self.hub = hub
        self.request_ids: list[str] = []

    def as_role(self, role: Role, area: str | None = None, sub: str | None = None, **_: Any) -> Any:
        token = self.hub.issuer.issue(subject=sub or f"{role.value.lower()}-{area or 'all'}", role=role, area=area)

        async def call(query: str, **variables: Any) -> dict[str, Any]:
            response = await self.client.post("/graphql", json={"query": query, "variables": variables},
                                              headers={"authorization": f"Bearer {token}"})
            self.request_ids.append(response.headers["x-request-id"])
            assert response.status_code == 200, response.text
            return dict(response.json())

        return call

    async def get(self, path: str, **headers: str) -> httpx.Response:
        response = await self.client.get(path, headers=headers)
        self.request_ids.append(response.headers["x-request-id"])
        return response


@pytest.fixture
async def partner() -> AsyncIterator[tuple[Partner, str]]:
    p = Partner()
    server = TestServer(p.app, host="127.0.0.1")
    await server.start_server()
    yield p, str(server.make_url("/webhooks"))
    await server.close()


@pytest.fixture
async def served(hub: Hub, settings: Settings, tmp_path: Path) -> AsyncIterator[ServedHub]:
    # a quick retry schedule, so the partner's brief outage costs the test no time
    process = await ServedHub(settings, tmp_path / "hub.log", SLRT_DELIVERY_SCHEDULE="0,0.1",
                              SLRT_DELIVERY_JITTER="0").start()
    yield process
    await process.stop()


async def test_a_workflow_leaves_one_log_line_per_request_no_identity_number_and_counted_metrics(
        served: ServedHub, hub: Hub, partner: tuple[Partner, str]) -> None:
    receiver, webhook_url = partner
    async with httpx.AsyncClient(base_url=served.url) as client:
        caller = Caller(client, hub)
        intake = record_input(31)
        recorded = await caller.as_role(Role.FACILITATOR, VILLAGE_A, sub="fasilitator-rec")(RECORD, input=intake)
        case_id = recorded["data"]["recordCase"]["case"]["id"]
        read = await caller.as_role(Role.FRONT_OFFICE, "3275")(READ, id=case_id)  # sees NIKs in clear
        assert read["data"]["case"]["household"]["kkNumber"] == intake["household"]["kkNumber"]

        await caller.as_role(Role.ADMIN)(REGISTER, input=partner_input("Dinas Kesehatan", webhook_url))
        reviewed = await Flow(caller.as_role).case_in("REVIEWED")
        created = await caller.as_role(Role.BACK_OFFICE, "3275")(
            CREATE, input={"caseId": reviewed, "programmeCode": "PBI_JK", "reason": "needs PBI-JK"})
        assert created["data"]["createReferral"]["errors"] == []
        await wait_for(in_state(hub, DeliveryState.DELIVERED))  # by the worker inside `serve`

        nik = intake["household"]["members"][0]["nik"]
        assert (await caller.get(f"/people/{nik}")).status_code == 404  # a NIK in a path gets logged
        given = await caller.get("/healthz", **{"x-request-id": "partner-trace-0042"})
        assert given.headers["x-request-id"] == "partner-trace-0042"  # a caller's harmless id is kept
        metrics = Scrape((await caller.get("/metrics")).text)
    await served.stop()

    # Metrics: a fresh process, so every value is what this workflow did.
    assert metrics.value("slrt_graphql_requests_total", operation="RecordIntake", type="mutation") == 1
    assert metrics.value("slrt_graphql_requests_total", operation="ReadCase", type="query") == 1
    assert metrics.value("slrt_graphql_requests_total", operation="anonymous:createReferral", type="mutation") == 1
    assert metrics.sum("slrt_graphql_requests_total") == len(caller.request_ids) - 3  # not the GETs
    assert metrics.value("slrt_deliveries_total", outcome="retry") == 1
    assert metrics.value("slrt_deliveries_total", outcome="delivered") == 1
    assert metrics.value("slrt_outbox_messages", state="QUEUED") == 0

    # Logs: every line is JSON; one request line per request, found by its id.
    lines = served.log_lines()
    requests = [line for line in lines if line["logger"] == "slrt.request" and line["request_id"] not in served.probe_ids]
    assert len(requests) == len(caller.request_ids)
    for request_id in caller.request_ids:
        assert sum(line["request_id"] == request_id for line in requests) == 1
    by_id = {line["request_id"]: line for line in requests}
    assert by_id[caller.request_ids[0]]["operation"] == "RecordIntake"
    assert by_id[caller.request_ids[1]]["operation"] == "ReadCase"
    assert by_id[caller.request_ids[0]]["subject"] == "fasilitator-rec"
    assert by_id[caller.request_ids[-3]]["path"] == f"/people/{nik[:4]}************"  # masked on the way out

    # Each webhook attempt carried its own id; the failed one's log line names it.
    [failed] = [line for line in lines if line["message"] == "delivery attempt"]
    assert failed["status_code"] == 503
    assert len(set(receiver.request_ids)) == 2 and receiver.request_ids[0] == failed["request_id"]

    # No NIK or KK in clear anywhere, though the workflow sent and read them.
    text = served.log_text()
    identity_numbers = [intake["household"]["kkNumber"], *(m["nik"] for m in intake["household"]["members"])]
    assert not [n for n in identity_numbers if n in text]
    assert not SIXTEEN_DIGITS.search(text)

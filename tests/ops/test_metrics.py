"""/metrics after a workflow: each counter moved by exactly what the workflow did."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from auth.roles import Role
from hub.container import Hub
from hub.delivery.models import DeliveryState
from hub.delivery.worker import DeliveryWorker
from hub.settings import Settings
from tests.cases.flow import Flow
from tests.cases.helpers import VILLAGE_A, record_input
from tests.ops.scrape import Scrape, delta
from tests.referrals.receiver import Receiver
from tests.referrals.scenario import CREATE, REGISTER, in_state, partner_input, wait_for

RECORD = """mutation RecordIntake($input: RecordCaseInput!) {
  recordCase(input: $input) { case { id status } errors { code } } }"""
APPROVE = """mutation ApproveOwnCase($id: ID!) { approveCase(id: $id) { errors { code } } }"""
SUBMIT = """mutation($id: ID!) { submitCase(id: $id) { errors { code } } }"""


async def scrape(client: httpx.AsyncClient) -> Scrape:
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return Scrape(response.text)


async def test_graphql_and_http_metrics_count_a_workflow(client: httpx.AsyncClient, as_role: Any) -> None:
    facilitator = as_role(Role.FACILITATOR, VILLAGE_A, sub="fasilitator-1")
    before = await scrape(client)

    recorded = await facilitator(RECORD, input=record_input(7))
    case_id = recorded["data"]["recordCase"]["case"]["id"]
    forbidden = await facilitator(APPROVE, id=case_id)  # approving needs case:approve
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    await facilitator(SUBMIT, id=case_id)
    unauthenticated = await client.post("/graphql", json={"query": SUBMIT, "variables": {"id": case_id}})
    assert unauthenticated.status_code == 401

    after = await scrape(client)
    ops = "slrt_graphql_requests_total"
    assert delta(before, after, ops, operation="RecordIntake", type="mutation") == 1
    assert delta(before, after, ops, operation="ApproveOwnCase", type="mutation") == 1
    assert delta(before, after, ops, operation="anonymous:submitCase", type="mutation") == 1
    assert after.sum(ops) - before.sum(ops) == 3  # the 401 never reached GraphQL
    assert delta(before, after, "slrt_graphql_request_duration_seconds_count", operation="RecordIntake") == 1
    assert delta(before, after, "slrt_graphql_errors_total", code="FORBIDDEN") == 1
    assert after.sum("slrt_graphql_errors_total") - before.sum("slrt_graphql_errors_total") == 1
    http = "slrt_http_request_duration_seconds_count"
    assert delta(before, after, http, method="POST", route="/graphql", status="200") == 3
    assert delta(before, after, http, method="POST", route="/graphql", status="401") == 1
    # the first scrape is itself a request, seen by the second
    assert delta(before, after, http, method="GET", route="/metrics", status="200") == 1


async def test_unknown_paths_share_one_label(client: httpx.AsyncClient) -> None:
    before = await scrape(client)
    for path in ("/wp-admin", "/.env", "/a/b/c"):
        assert (await client.get(path)).status_code == 404
    after = await scrape(client)
    assert delta(before, after, "slrt_http_request_duration_seconds_count",
                 method="GET", route="unmatched", status="404") == 3
    assert not any(dict(labels).get("route") == "/wp-admin" for _, labels in after.samples)


async def test_outbox_depth_age_deliveries_and_leases(client: httpx.AsyncClient, as_role: Any, hub: Hub,
                                                       settings: Settings) -> None:
    receiver = await Receiver().start()
    try:
        registered = await as_role(Role.ADMIN)(REGISTER, input=partner_input("Dinas Kesehatan", receiver.url))
        receiver.secrets.append(registered["data"]["registerPartner"]["secret"])
        case_id = await Flow(as_role).case_in("REVIEWED")
        created = await as_role(Role.BACK_OFFICE, "3275")(
            CREATE, input={"caseId": case_id, "programmeCode": "PBI_JK", "reason": "needs PBI-JK"})
        assert created["data"]["createReferral"]["errors"] == []
        await asyncio.sleep(0.05)  # the message becomes measurably overdue

        queued = await scrape(client)
        assert queued.value("slrt_outbox_messages", state="QUEUED") == 1
        assert queued.value("slrt_outbox_messages", state="SENDING") == 0
        assert queued.value("slrt_outbox_oldest_due_age_seconds") > 0

        quick = settings.model_copy(update={"delivery_poll_seconds": 0.02, "delivery_schedule": "0,0.05"})
        stop = asyncio.Event()
        task = asyncio.create_task(DeliveryWorker(hub.engine, quick).run(stop))
        await wait_for(in_state(hub, DeliveryState.DELIVERED))
        stop.set()
        await task

        done = await scrape(client)
        assert delta(queued, done, "slrt_deliveries_total", outcome="delivered") == 1
        assert delta(queued, done, "slrt_delivery_duration_seconds_count") == 1
        assert delta(queued, done, "slrt_worker_leases_total", event="claimed") == 1
        assert delta(queued, done, "slrt_worker_leases_total", event="lost") == 0
        assert done.value("slrt_outbox_messages", state="QUEUED") == 0
        assert done.value("slrt_outbox_oldest_due_age_seconds") == 0
        assert len(receiver.received) == 1
    finally:
        await receiver.stop()

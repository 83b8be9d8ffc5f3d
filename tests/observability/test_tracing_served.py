"""Tracing as a deployer turns it on: ``slrt-hub serve`` and ``slrt-hub worker`` as real processes
configured only by the standard ``OTEL_*`` variables, exporting over OTLP/HTTP to a receiver the
test runs. The delivery attempt, in the other process, links to the request that queued it. And
with no ``OTEL_*`` set, nothing is traced and nothing is propagated."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiohttp import web
from sqlalchemy import select

from auth.roles import Role
from hub.container import Hub
from hub.delivery.models import DeliveryMessage, DeliveryState
from hub.settings import Settings
from tests.cases.flow import Flow
from tests.observability.listeners import Heard, OtlpReceiver, serve
from tests.ops.served import ServedHub
from tests.referrals.scenario import REGISTER, in_state, partner_input, wait_for

CREATE = """mutation CreateReferral($input: CreateReferralInput!) {
  createReferral(input: $input) { referral { id } errors { code } } }"""
SQL_SCOPE = "opentelemetry.instrumentation.sqlalchemy"


def _otel_free(env: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if not k.startswith("OTEL_")}


async def _partner() -> tuple[Heard, web.AppRunner, str]:
    heard = Heard()
    app = web.Application(middlewares=[heard.middleware])

    async def accept(_: web.Request) -> web.Response:
        return web.Response(text="ok")

    app.router.add_post("/webhooks", accept)
    runner, url = await serve(app)
    return heard, runner, f"{url}/webhooks"


async def _referral_through(served: ServedHub, as_role: Any, hub: Hub, partner_url: str) -> str:
    """A partner and a reviewed case made in-process; the referral created through the served hub."""
    registered = await as_role(Role.ADMIN)(REGISTER, input=partner_input("Dinas Kesehatan Kota Bekasi", partner_url))
    assert registered["data"]["registerPartner"]["errors"] == [], registered
    case_id = await Flow(as_role).case_in("REVIEWED")
    token = hub.issuer.issue(subject="back-office-1", role=Role.BACK_OFFICE, area="3275")
    async with httpx.AsyncClient(base_url=served.url) as http:
        response = await http.post("/graphql", headers={"authorization": f"Bearer {token}"}, json={
            "query": CREATE, "variables": {"input": {"caseId": case_id, "programmeCode": "PBI_JK", "reason": "No JKN"}}})
    payload = response.json()["data"]["createReferral"]
    assert payload["errors"] == [], payload
    return str(payload["referral"]["id"])


@pytest.fixture
async def otlp() -> AsyncIterator[tuple[OtlpReceiver, str]]:
    receiver = OtlpReceiver()
    runner, url = await serve(receiver.app())
    yield receiver, url
    await runner.cleanup()


async def test_serve_and_worker_export_over_otlp_and_the_attempt_links_to_the_request(
        hub: Hub, settings: Settings, as_role: Any, otlp: tuple[OtlpReceiver, str], tmp_path: Path) -> None:
    receiver, endpoint = otlp
    heard, partner_runner, partner_url = await _partner()
    # only standard variables; a short batch delay so spans leave while the test waits
    otel = {"OTEL_EXPORTER_OTLP_ENDPOINT": endpoint, "OTEL_BSP_SCHEDULE_DELAY": "100",
            # a deployer asking for request headers gets them, the bearer token redacted
            "OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_REQUEST": "authorization,content-type"}
    served = ServedHub(settings, tmp_path / "serve.log", SLRT_DELIVERY_EMBEDDED="false")
    served.env = {**_otel_free(served.env), **otel}
    worker: subprocess.Popen[bytes] | None = None
    await served.start()
    try:
        await _referral_through(served, as_role, hub, partner_url)
        with (tmp_path / "worker.log").open("wb") as log:
            worker = subprocess.Popen([sys.executable, "-c", "from hub.cli import main; main()", "worker"],
                                      env=served.env, stdout=log, stderr=subprocess.STDOUT)
        await wait_for(in_state(hub, DeliveryState.DELIVERED), timeout=60)  # the worker process starts
        for _ in range(300):  # a bound only so a broken export fails instead of hanging
            if receiver.named("GraphQL mutation CreateReferral") and receiver.named("webhook delivery"):
                break
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            await asyncio.sleep(0.1)
    finally:
        if worker is not None and worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            await asyncio.to_thread(worker.wait, 30)
        await served.stop()
        await partner_runner.cleanup()

    assert receiver.content_types == {"application/x-protobuf"}  # OTLP/HTTP, the default protocol
    [operation] = receiver.named("GraphQL mutation CreateReferral")
    assert operation.service == "slrt-hub"
    in_request = [s for s in receiver.spans if s.span.trace_id == operation.span.trace_id]
    statements = [s for s in in_request if s.scope == SQL_SCOPE]
    assert any(s.span.name.startswith("INSERT") for s in statements), [s.span.name for s in in_request]
    [server] = [s for s in in_request if not s.span.parent_span_id]
    assert server.scope == "opentelemetry.instrumentation.asgi" and server.service == "slrt-hub"
    headers = {a.key: [v.string_value for v in a.value.array_value.values] for a in server.span.attributes
               if a.key.startswith("http.request.header.")}
    assert headers == {"http.request.header.authorization": ["[REDACTED]"],
                       "http.request.header.content_type": ["application/json"]}, headers

    [attempt] = receiver.named("webhook delivery")
    assert attempt.service == "slrt-hub-worker"  # another process …
    assert [(lk.trace_id, lk.span_id) for lk in attempt.span.links] == [
        (operation.span.trace_id, operation.span.span_id)]  # … linked to the request's operation
    [(_, traceparent)] = heard.requests
    assert traceparent is not None
    _, trace_id, parent_id, _ = traceparent.split("-")
    assert trace_id == attempt.span.trace_id.hex()
    [post] = [s for s in receiver.spans if s.span.span_id.hex() == parent_id]  # the webhook POST's span
    assert post.span.parent_span_id == attempt.span.span_id and post.scope.endswith("aiohttp_client")


async def test_without_otel_variables_nothing_is_traced_or_propagated(
        hub: Hub, settings: Settings, as_role: Any, tmp_path: Path) -> None:
    heard, partner_runner, partner_url = await _partner()
    served = ServedHub(settings, tmp_path / "serve.log")  # the embedded delivery worker delivers
    served.env = _otel_free(served.env)
    await served.start()
    try:
        await _referral_through(served, as_role, hub, partner_url)
        await wait_for(in_state(hub, DeliveryState.DELIVERED))
    finally:
        await served.stop()
        await partner_runner.cleanup()
    [(_, traceparent)] = heard.requests
    assert traceparent is None
    async with hub.sessions() as session:
        assert (await session.execute(select(DeliveryMessage.trace_context))).scalars().all() == [None]

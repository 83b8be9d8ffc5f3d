"""Traces of a whole workflow, exported through the SDK's in-memory exporter: one createReferral
request holds its SQL, the later delivery attempt links to it, a sector system and the partner
receive W3C traceparent, and no span anywhere carries an identity number."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from aiohttp import web
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

from auth.roles import Role
from connectors.sdk import discover
from connectors.simulators import create_app as simulators_app
from connectors.simulators import simulator_state
from hub.asgi import create_app
from hub.container import Hub
from hub.delivery.models import DeliveryState
from hub.delivery.worker import DeliveryWorker
from hub.observability import tracing
from hub.settings import Settings
from tests.cases.flow import Flow
from tests.conftest import Api
from tests.observability.listeners import Heard, serve as _serve
from tests.referrals.scenario import REGISTER, UPDATE, in_state, partner_input, wait_for

SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")
CREATE = """mutation CreateReferral($input: CreateReferralInput!) {
  createReferral(input: $input) { referral { id status } errors { code message } } }"""
READ = """query ReadCase($id: ID!) {
  case(id: $id) { number household { kkNumber welfare { decile } members { nik name healthCoverage { active } } } } }"""
FOLLOW = """query FollowReferral($id: ID!) {
  referral(id: $id) { status deliveryState deliveryAttempts { number statusCode } } }"""


class Recorder(InMemorySpanExporter):
    """Keeps spans only while a tracing test runs (the provider outlives it: one per process)."""

    recording = False

    def export(self, spans: Any) -> SpanExportResult:
        return super().export(spans) if self.recording else SpanExportResult.SUCCESS


@pytest.fixture(scope="session")
def exporters() -> tuple[Recorder, Recorder]:
    """What leaves the process (behind MaskingExporter), and the raw spans before any masking."""
    leaving, raw = Recorder(), Recorder()
    tracing.install([leaving], "slrt-hub-test", SimpleSpanProcessor)
    trace.get_tracer_provider().add_span_processor(SimpleSpanProcessor(raw))  # type: ignore[attr-defined]
    tracing.stop()
    return leaving, raw


@dataclass
class Traced:
    hub: Hub
    sims: web.Application
    client: httpx.AsyncClient
    sector: Heard
    partner: Heard
    partner_url: str
    leaving: Recorder
    raw: Recorder

    def as_role(self, role: Role, area: str | None = None, sub: str | None = None, **_: Any) -> Api:
        token = self.hub.issuer.issue(subject=sub or f"{role.value.lower()}-{area or 'all'}", role=role, area=area)
        return Api(self.client, token)


@pytest.fixture
async def traced(hub: Hub, settings: Settings, exporters: tuple[Recorder, Recorder]) -> AsyncIterator[Traced]:
    """A hub started with tracing on, its connectors calling real simulators, a partner endpoint;
    every server records the traceparent it receives. (``hub``: the suite's, for a clean database.)"""
    leaving, raw = exporters
    sector, partner = Heard(), Heard()
    sims = simulators_app()
    sims.middlewares.append(sector.middleware)
    sims_runner, sims_url = await _serve(sims)
    endpoint = web.Application(middlewares=[partner.middleware])
    endpoint.router.add_post("/webhooks", lambda _: web.Response(text="ok"))
    partner_runner, partner_url = await _serve(endpoint)
    overrides = {name: cls.settings_class.for_connector(name, base_url=f"{sims_url}/{name}", cache_ttl=0)
                 for name, cls in discover().items()}
    tracing.resume()
    leaving.clear(), raw.clear()
    leaving.recording = raw.recording = True
    traced_hub = await Hub.start(settings, connector_settings=overrides)
    transport = httpx.ASGITransport(app=create_app(settings, traced_hub), client=("127.0.0.1", 50000))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            yield Traced(traced_hub, sims, client, sector, partner, f"{partner_url}/webhooks", leaving, raw)
    finally:
        tracing.stop()
        leaving.recording = raw.recording = False
        await traced_hub.close()
        await sims_runner.cleanup()
        await partner_runner.cleanup()


async def _workflow(t: Traced, settings: Settings) -> dict[str, Any]:
    """Intake to a delivered referral the partner has accepted, with connector reads on the way."""
    admin = t.as_role(Role.ADMIN)
    registered = (await admin(REGISTER, input=partner_input("Dinas Kesehatan Kota Bekasi", t.partner_url)))
    partner = registered["data"]["registerPartner"]
    flow = Flow(t.as_role)
    recorded = await flow.new_case()
    case_id = await flow.case_in("REVIEWED")
    back = t.as_role(Role.BACK_OFFICE, "3275", sub="back-office-1")
    read = await back(READ, id=case_id)
    assert read.get("errors") is None, read
    created = await t.client.post("/graphql", headers={"authorization": f"Bearer {back.token}"}, json={
        "query": CREATE, "variables": {"input": {"caseId": case_id, "programmeCode": "PBI_JK", "reason": "No JKN"}}})
    referral = created.json()["data"]["createReferral"]["referral"]
    worker = DeliveryWorker(t.hub.engine, settings.model_copy(update={"delivery_poll_seconds": 0.02}))
    import asyncio

    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))
    await wait_for(in_state(t.hub, DeliveryState.DELIVERED))
    stop.set()
    await running
    token = await t.client.post("/oauth/token", data={"grant_type": "client_credentials"},
                                auth=(partner["clientId"], partner["clientSecret"]))
    dinas = Api(t.client, token.json()["access_token"])
    moved = await dinas(UPDATE, input={"id": referral["id"], "status": "ACCEPTED"})
    assert moved["data"]["updateReferralStatus"]["referral"]["status"] == "ACCEPTED"
    await back(FOLLOW, id=referral["id"])
    # identity numbers as arguments: inline in a document, as a variable, in a GET's query string
    nik, kk = read["data"]["case"]["household"]["members"][0]["nik"], read["data"]["case"]["household"]["kkNumber"]
    by_nik = await back(f'query PersonByNik {{ person(nik: "{nik}") {{ name }} }}')
    assert by_nik["data"]["person"]["name"], by_nik
    assert (await back("query HouseholdByKk($kk: String!) { household(kkNumber: $kk) { kkNumber } }", kk=kk))[
        "data"]["household"]["kkNumber"] == kk
    got = await t.client.get("/graphql", params={"query": f'{{ person(nik: "{nik}") {{ name }} }}'},
                             headers={"authorization": f"Bearer {back.token}"})
    assert got.status_code == 400  # refused, but the request's span saw its URL first
    numbers = {recorded["household"]["kkNumber"], *(p["nik"] for p in read["data"]["case"]["household"]["members"])}
    return {"case_id": case_id, "referral": referral, "create_request": created.headers["x-request-id"],
            "numbers": numbers}


def _texts(span: ReadableSpan) -> list[str]:
    """Every string of a span a collector would see."""
    out = [span.name, span.status.description or ""]
    groups = [span.attributes or {}, *(e.attributes or {} for e in span.events), *(lk.attributes or {} for lk in span.links)]
    out += [e.name for e in span.events]
    for attributes in groups:
        for key, value in attributes.items():
            out += [key, *(str(v) for v in (value if isinstance(value, tuple | list) else (value,)))]
    return out


async def test_a_createreferral_trace_holds_its_sql_and_the_delivery_attempt_links_to_it(
        traced: Traced, settings: Settings) -> None:
    done = await _workflow(traced, settings)
    spans = traced.leaving.get_finished_spans()

    [operation] = [s for s in spans if s.name == "GraphQL mutation CreateReferral"]
    trace_id = operation.context.trace_id
    in_request = [s for s in spans if s.context.trace_id == trace_id]
    statements = [str(s.attributes.get("db.statement", "")) for s in in_request if s.attributes.get("db.system")]
    assert any(st.startswith("INSERT INTO referrals") for st in statements), statements
    assert any(st.startswith("INSERT INTO delivery_messages") for st in statements), statements
    # SQL is traced as part of some work, never as traces of its own (the worker's idle polls)
    orphans = [s.name for s in spans if s.attributes.get("db.system") and s.parent is None]
    assert orphans == [], orphans
    [server] = [s for s in in_request if s.parent is None]
    assert server.attributes.get("http.request.method", server.attributes.get("http.method")) == "POST"
    assert operation.attributes["graphql.operation.type"] == "mutation"
    assert "graphql.document" not in operation.attributes and "query" not in operation.attributes

    [attempt] = [s for s in spans if s.name == "webhook delivery"]
    assert attempt.context.trace_id != trace_id  # a trace of its own, hours later in real life …
    assert [(lk.context.trace_id, lk.context.span_id) for lk in attempt.links] == [
        (trace_id, operation.context.span_id)]  # … linked to the request that queued it
    assert attempt.attributes["slrt.delivery.attempt"] == 1
    assert attempt.attributes["http.response.status_code"] == 200
    assert attempt.attributes["slrt.delivery.verdict"] == "DELIVERED"
    assert attempt.attributes["slrt.partner.id"]
    # the partner received W3C traceparent naming the attempt's trace
    [(_, traceparent)] = traced.partner.requests
    assert traceparent is not None and traceparent.split("-")[1] == format(attempt.context.trace_id, "032x")


async def test_a_sector_system_receives_traceparent_and_the_connector_load_has_its_span(
        traced: Traced, settings: Settings) -> None:
    case_id = await Flow(traced.as_role).case_in("REVIEWED")
    response = await traced.as_role(Role.FRONT_OFFICE, "3275")(READ, id=case_id)
    assert response.get("errors") is None, response
    spans = traced.leaving.get_finished_spans()
    [operation] = [s for s in spans if s.name == "GraphQL query ReadCase"]
    calls = [(path, tp) for path, tp in traced.sector.requests if path.startswith("/bpjs/")]
    assert calls, traced.sector.requests
    for _, traceparent in calls:
        assert traceparent is not None and traceparent.split("-")[1] == format(operation.context.trace_id, "032x")
    [load] = [s for s in spans if s.name == "connector bpjs"]
    assert load.context.trace_id == operation.context.trace_id
    assert load.attributes["slrt.connector"] == "bpjs" and load.attributes["slrt.connector.keys"] == 4
    assert load.attributes["slrt.connector.outcome"] == "ok"
    [attempt] = [s for s in spans if s.name == "connector bpjs try"]
    assert attempt.attributes["slrt.connector.retry"] == 0 and attempt.parent.span_id == load.context.span_id
    [http] = [s for s in spans if s.parent is not None and s.parent.span_id == attempt.context.span_id]
    assert str(http.attributes.get("url.full", http.attributes.get("http.url"))).endswith("/bpjs/peserta/batch")
    # resolver groups, not fields: a span per data-loader batch, none per field
    batches = [s.name for s in spans if s.name.startswith("load ") and s.context.trace_id == load.context.trace_id]
    assert "load members" in batches
    assert not [s for s in spans if s.name.startswith("GraphQL Resolving")]


async def test_each_try_of_a_failing_connector_is_a_span_with_its_retry_number(
        traced: Traced, settings: Settings) -> None:
    case_id = await Flow(traced.as_role).case_in("REVIEWED")
    simulator_state(traced.sims, "bpjs").knobs.error_rate = 1.0  # every call answers 503
    response = await traced.as_role(Role.FRONT_OFFICE, "3275")(READ, id=case_id)
    assert {e["extensions"]["code"] for e in response["errors"]} == {"CONNECTOR_UNAVAILABLE"}, response
    spans = traced.leaving.get_finished_spans()
    [load] = [s for s in spans if s.name == "connector bpjs"]
    assert load.attributes["slrt.connector.outcome"] == "http_503" and load.attributes["slrt.connector.calls"] == 3
    assert load.status.status_code is StatusCode.ERROR
    tries = sorted((s for s in spans if s.name == "connector bpjs try"), key=lambda s: s.start_time or 0)
    assert [t.attributes["slrt.connector.retry"] for t in tries] == [0, 1, 2]  # retries: 2, the default
    for attempt in tries:
        assert attempt.parent.span_id == load.context.span_id and attempt.status.description == "http_503"
        [http] = [s for s in spans if s.parent is not None and s.parent.span_id == attempt.context.span_id]
        assert http.attributes.get("http.response.status_code", http.attributes.get("http.status_code")) == 503


async def test_no_span_of_a_whole_workflow_carries_an_identity_number(traced: Traced, settings: Settings) -> None:
    done = await _workflow(traced, settings)
    for recorder in (traced.raw, traced.leaving):  # made without any (raw), and the net under it (leaving)
        spans = recorder.get_finished_spans()
        kinds = {s.instrumentation_scope.name for s in spans}
        assert {"opentelemetry.instrumentation.asgi", "opentelemetry.instrumentation.sqlalchemy",
                "opentelemetry.instrumentation.aiohttp_client", "strawberry", "slrt.hub", "slrt.connectors"} <= kinds
        for span in spans:
            for text in _texts(span):
                assert not SIXTEEN_DIGITS.search(text), (span.name, text)
                assert not any(number in text for number in done["numbers"]), (span.name, text)

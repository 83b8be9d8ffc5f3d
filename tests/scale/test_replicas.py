"""Replicas: two API processes and two delivery workers on one PostgreSQL, under load.

Real `slrt-hub serve` and `slrt-hub worker` processes on loopback. Field apps record cases
through both APIs at once, then every transition and every referral is sent to both APIs
at the same moment, so each has a twin racing it on the other replica. Afterwards the
database must be consistent: one winner per race, versions agreeing with the timelines,
case numbers gap-free and unique, and every referral delivered to the partner.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from auth.roles import Role
from hub.cases.models import Case, CaseEvent, CaseNumberSequence
from hub.delivery.models import DeliveryMessage, DeliveryState
from hub.demo.partners import ADMIN
from hub.referrals.commands import ProgrammeData, RegisterPartner
from hub.referrals.models import Referral
from hub.referrals.partners import PartnerCredentials
from hub.vocabulary import ProgrammeLevel, Sector
from tests.cases.helpers import VILLAGE_A, record_input
from tests.conftest import requires_postgres
from tests.referrals.receiver import Receiver

pytestmark = requires_postgres

ROOT = Path(__file__).resolve().parents[2]
CASES = 24
FIELD_APPS = 6


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _spawn(env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "hub.cli", *args, env=env, cwd=ROOT,
                                                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
                                                start_new_session=True)


async def _ready(url: str, proc: asyncio.subprocess.Process, timeout: float = 40) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(int(timeout / 0.2)):
            assert proc.returncode is None, f"{url} exited with {proc.returncode}"
            try:
                if (await http.get(url, timeout=1)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    raise AssertionError(f"{url} not ready")


class Replicas:
    """GraphQL over HTTP to two API processes, with tokens of the test's issuer."""

    def __init__(self, hub: Any, http: httpx.AsyncClient, urls: list[str]) -> None:
        self.hub, self.http, self.urls = hub, http, urls

    def token(self, role: Role, area: str, sub: str | None = None) -> str:
        return self.hub.issuer.issue(subject=sub or f"{role.value.lower()}-{area}", role=role, area=area)

    async def call(self, url: str, token: str, query: str, **variables: Any) -> dict[str, Any]:
        r = await self.http.post(url, json={"query": query, "variables": variables},
                                 headers={"authorization": f"Bearer {token}"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert "errors" not in body, body
        return body["data"]

    async def both(self, token: str, query: str, **variables: Any) -> list[dict[str, Any]]:
        """The same request to both replicas at the same moment."""
        return list(await asyncio.gather(*(self.call(u, token, query, **variables) for u in self.urls)))


RECORD = """mutation($input: RecordCaseInput!, $key: String) { recordCase(input: $input, idempotencyKey: $key) {
  case { id number } errors { code } } }"""
SUBMIT = "mutation($id: ID!) { submitCase(id: $id) { case { id } errors { code } } }"
APPROVE = "mutation($id: ID!) { approveCase(id: $id) { case { id } errors { code } } }"
REVIEW = """mutation($id: ID!) { reviewCase(id: $id, input: {sectors: [HEALTH], priority: HIGH, note: "eligible"}) {
  case { id } errors { code } } }"""
REFER = """mutation($id: ID!) { createReferral(input: {caseId: $id, programmeCode: "PBI_JK", reason: "no JKN"}) {
  referral { id } errors { code } } }"""


def _winners(results: list[dict[str, Any]], field: str, node: str) -> int:
    return sum(1 for r in results if r[field][node] is not None)


async def test_two_apis_and_two_workers_stay_consistent(hub, settings, tmp_path):
    receiver = await Receiver().start()
    partner = await hub.partners.register(ADMIN, RegisterPartner(
        "Dinas Kesehatan (replica test)", (Sector.HEALTH,), receiver.url,
        (ProgrammeData("PBI_JK", "PBI Jaminan Kesehatan", Sector.HEALTH, ProgrammeLevel.NATIONAL),)))
    assert isinstance(partner, PartnerCredentials)
    env = {**os.environ, "SLRT_DATABASE_URL": settings.database_url, "SLRT_DATA_DIR": str(settings.data_dir),
           "SLRT_PUBLIC_URL": settings.public_url, "SLRT_ALLOW_PRIVATE_WEBHOOKS": "true",
           "SLRT_DELIVERY_EMBEDDED": "false", "SLRT_RATE_LIMIT": "100000/minute",
           "SLRT_DELIVERY_POLL_SECONDS": "0.1", "SLRT_DELIVERY_SCHEDULE": "0,0.5,1,1,1", "PYTHONPATH": str(ROOT)}
    ports = [_free_port(), _free_port()]
    procs = [await _spawn(env, "serve", "--port", str(p)) for p in ports]
    procs += [await _spawn(env, "worker"), await _spawn(env, "worker")]
    try:
        for port, proc in zip(ports, procs):
            await _ready(f"http://127.0.0.1:{port}/readyz", proc)
        async with httpx.AsyncClient(timeout=30) as http:
            api = Replicas(hub, http, [f"http://127.0.0.1:{p}/graphql" for p in ports])
            await _load_and_race(api)
        await _wait_delivered(hub)
    finally:
        for proc in procs:
            if proc.returncode is None:
                proc.terminate()
        await asyncio.gather(*(p.wait() for p in procs))
        await receiver.stop()
    await _check(hub, receiver)


async def _load_and_race(api: Replicas) -> None:
    apps = [api.token(Role.FACILITATOR, VILLAGE_A, f"field-app-{i}") for i in range(FIELD_APPS)]

    async def field_app(i: int) -> list[str]:
        made = []
        for n in range(i, CASES, FIELD_APPS):
            # The field app retries over a flaky network: both replicas get the same intake.
            results = await api.both(apps[i], RECORD, input=record_input(n + 1), key=f"intake-{n}")
            ids = {r["recordCase"]["case"]["id"] for r in results}
            assert len(ids) == 1, results  # the idempotency key gives both the same case
            made.append(ids.pop())
        return made

    per_app = await asyncio.gather(*(field_app(i) for i in range(FIELD_APPS)))
    supervisor = api.token(Role.SUPERVISOR, VILLAGE_A[:6])
    front, back = api.token(Role.FRONT_OFFICE, "3275"), api.token(Role.BACK_OFFICE, "3275")

    async def walk(app: int, case_id: str) -> None:
        assert _winners(await api.both(apps[app], SUBMIT, id=case_id), "submitCase", "case") == 1
        assert _winners(await api.both(supervisor, APPROVE, id=case_id), "approveCase", "case") == 1
        assert _winners(await api.both(front, REVIEW, id=case_id), "reviewCase", "case") == 1
        assert _winners(await api.both(back, REFER, id=case_id), "createReferral", "referral") == 1

    await asyncio.gather(*(walk(app, cid) for app, ids in enumerate(per_app) for cid in ids))


async def _wait_delivered(hub: Any, timeout: float = 30) -> None:
    for _ in range(int(timeout / 0.2)):
        async with hub.sessions() as s:
            pending = await s.scalar(select(func.count()).select_from(DeliveryMessage)
                                     .where(DeliveryMessage.state != DeliveryState.DELIVERED))
        if pending == 0:
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"{pending} messages not delivered")


async def _check(hub: Any, receiver: Receiver) -> None:
    async with hub.sessions() as s:
        cases = (await s.execute(select(Case.id, Case.number, Case.version, Case.status))).all()
        events = Counter((await s.scalars(select(CaseEvent.case_id).where(CaseEvent.action != "AUTO_RESOLVE"))).all())
        actions = Counter((await s.execute(select(CaseEvent.case_id, CaseEvent.action))).all())
        last = await s.scalar(select(func.max(CaseNumberSequence.last_value)))
        referrals = (await s.execute(select(Referral.id, Referral.case_id))).all()
        messages = (await s.execute(select(DeliveryMessage.id, DeliveryMessage.referral_id))).all()
    assert len(cases) == CASES
    assert {c.status.value for c in cases} == {"REFERRED"}
    # No lost update: every committed change bumped the version once and wrote its event.
    assert all(c.version == events[c.id] for c in cases), [(c.number, c.version, events[c.id]) for c in cases]
    assert all(actions[(c.id, a)] == 1 for c in cases for a in ("RECORD", "SUBMIT", "APPROVE", "REVIEW", "REFER"))
    # Numbers: unique and gap-free, and the counter stands at the last one.
    seqs = sorted(int(c.number[-6:]) for c in cases)
    assert seqs == list(range(1, CASES + 1)) and last == CASES
    assert sorted(r.case_id for r in referrals) == sorted(c.id for c in cases)
    # Every referral's message arrived at the partner, under its own webhook-id.
    assert sorted(m.referral_id for m in messages) == sorted(r.id for r in referrals)
    assert {m.id for m in messages} <= set(receiver.ids())
    arrived = {r.body["data"]["referral"]["id"] for r in receiver.received}
    assert arrived == {r.id for r in referrals}

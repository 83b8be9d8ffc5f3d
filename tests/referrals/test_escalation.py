"""Escalation: a referral past its acknowledgement or completion target gets one ESCALATED case
event per target, is listed by overdueReferrals for the back office and supervisors of its area,
and is pushed to their subscriptions. Time moves on an injected clock; nothing sleeps."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from auth.roles import Role
from hub.asgi import create_app
from hub.cases.models import CaseEvent
from hub.db.base import utcnow
from hub.referrals.escalation import EscalationScanner, EscalationService
from hub.referrals.models import ReferralEscalation
from hub.settings import Settings
from tests.live.server import serving
from tests.live.test_subscriptions import _open
from tests.referrals.scenario import REGISTER, UPDATE, partner_input
from tests.referrals.test_delivery import refer
from tests.referrals.test_portal_partners import register_portal

OVERDUE = """{ overdueReferrals { totalCount edges { node {
    referral { id status programme { code } acknowledgeBy completeBy }
    missed { target dueAt escalatedAt } } } } }"""
EVENTS = "query($id: ID!) { case(id: $id) { events { action actor note } } }"


class Clock:
    def __init__(self) -> None:
        self.at = utcnow()

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@pytest.fixture
def clock(hub: Any, monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The hub's escalation service on a clock the test moves (the API reads the same service)."""
    c = Clock()
    monkeypatch.setattr(hub, "escalations", EscalationService(hub.sessions, hub.escalations.targets, hub.events,
                                                              now=c))
    return c


async def escalated_events(api: Any, case_id: str) -> list[dict[str, Any]]:
    events = (await api(EVENTS, id=case_id))["data"]["case"]["events"]
    return [e for e in events if e["action"] == "ESCALATED"]


async def test_each_missed_target_is_escalated_once(hub, as_role, flow, clock):
    await register_portal(as_role)  # PBI_JK, HEALTH: acknowledge in 2 days, complete in 14
    referral = await refer(as_role, flow)
    case_id = referral["case"]["id"]
    back = as_role(Role.BACK_OFFICE, "3275")

    clock.advance(days=1, hours=23)
    assert await hub.escalations.scan() == 0
    assert (await back(OVERDUE))["data"]["overdueReferrals"]["edges"] == []

    clock.advance(hours=1, minutes=1)
    assert await hub.escalations.scan() == 1
    assert await hub.escalations.scan() == 0  # once per target, however often the scan runs
    [event] = await escalated_events(back, case_id)
    assert event["actor"] == "system" and event["note"].startswith("PBI_JK: not acknowledged within 2 days")
    [edge] = (await back(OVERDUE))["data"]["overdueReferrals"]["edges"]
    [missed] = edge["node"]["missed"]
    assert missed["target"] == "ACKNOWLEDGEMENT" and missed["escalatedAt"] is not None
    assert missed["dueAt"] == edge["node"]["referral"]["acknowledgeBy"]

    clock.advance(days=12)
    assert await hub.escalations.scan() == 1
    assert [m["target"] for m in (await back(OVERDUE))["data"]["overdueReferrals"]["edges"][0]["node"]["missed"]] == [
        "ACKNOWLEDGEMENT", "COMPLETION"]
    assert len(await escalated_events(back, case_id)) == 2
    assert (await back(OVERDUE))["data"]["overdueReferrals"]["totalCount"] == 1


async def test_a_target_met_in_time_is_not_escalated(hub, as_role, flow, clock):
    partner = await register_portal(as_role)
    referral = await refer(as_role, flow)
    dinas = as_role(Role.PARTNER, partner_id=partner["partner"]["id"])
    accepted = await dinas(UPDATE, input={"id": referral["id"], "status": "ACCEPTED"})
    assert accepted["data"]["updateReferralStatus"]["errors"] == []
    clock.advance(days=13)
    assert await hub.escalations.scan() == 0  # acknowledged in time; completion not yet due
    clock.advance(days=1, minutes=1)
    assert await hub.escalations.scan() == 1
    back = as_role(Role.BACK_OFFICE, "3275")
    [edge] = (await back(OVERDUE))["data"]["overdueReferrals"]["edges"]
    assert [m["target"] for m in edge["node"]["missed"]] == ["COMPLETION"]
    completed = await dinas(UPDATE, input={"id": referral["id"], "status": "COMPLETED"})
    assert completed["data"]["updateReferralStatus"]["errors"] == []
    assert (await back(OVERDUE))["data"]["overdueReferrals"]["edges"] == []  # ended: no longer overdue
    clock.advance(days=100)
    assert await hub.escalations.scan() == 0


async def test_a_programme_overrides_its_sectors_targets(hub, as_role, flow, clock):
    value = partner_input("Dinas Kesehatan", "unused", ("PBI_JK",))
    del value["webhookUrl"]
    value["programmes"][0].update(acknowledgeDays=1, completionDays=5)
    registered = await as_role(Role.ADMIN)(REGISTER, input=value)
    assert registered["data"]["registerPartner"]["errors"] == []
    programmes = await as_role(Role.BACK_OFFICE, "3275")("{ programmes { code acknowledgeDays completionDays } }")
    assert programmes["data"]["programmes"] == [{"code": "PBI_JK", "acknowledgeDays": 1.0, "completionDays": 5.0}]
    await refer(as_role, flow)
    clock.advance(days=1, minutes=1)
    assert await hub.escalations.scan() == 1
    clock.advance(days=4)
    assert await hub.escalations.scan() == 1


async def test_bad_targets_are_refused_and_change_nothing(hub, as_role):
    value = partner_input("Dinas X", "unused", ("PBI_JK",))
    del value["webhookUrl"]
    value["programmes"][0].update(acknowledgeDays=10, completionDays=0)
    payload = (await as_role(Role.ADMIN)(REGISTER, input=value))["data"]["registerPartner"]
    assert {tuple(e["field"]) for e in payload["errors"]} == {("input", "programmes", "0", "completionDays")}
    assert (await as_role(Role.ADMIN)("{ partners { id } }"))["data"]["partners"] == []
    with pytest.raises(ValidationError, match="unknown sector"):
        Settings(referral_acknowledge_days={"HEALTHCARE": 2})
    with pytest.raises(ValidationError, match="1–3650"):
        Settings(referral_completion_days={"HEALTH": 0})


async def test_only_the_back_office_and_supervisors_of_the_area_see_overdue_referrals(hub, as_role, flow, clock):
    await register_portal(as_role)
    referral = await refer(as_role, flow)  # a case of village 3275021005, district 327502
    clock.advance(days=3)
    ids = lambda r: [e["node"]["referral"]["id"] for e in r["data"]["overdueReferrals"]["edges"]]  # noqa: E731
    assert ids(await as_role(Role.SUPERVISOR, "327502")(OVERDUE)) == [referral["id"]]
    assert ids(await as_role(Role.SUPERVISOR, "3275")(OVERDUE)) == [referral["id"]]
    assert ids(await as_role(Role.SUPERVISOR, "327501")(OVERDUE)) == []  # another district
    assert ids(await as_role(Role.BACK_OFFICE, "3275")(OVERDUE)) == [referral["id"]]
    for role, area in ((Role.FRONT_OFFICE, "3275"), (Role.FACILITATOR, "3275021005"), (Role.PARTNER, None),
                       (Role.AUDITOR, None)):
        refused = await as_role(role, area)(OVERDUE)
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", role


async def test_racing_scans_escalate_once(hub, as_role, flow, clock):
    await register_portal(as_role)
    for _ in range(3):
        await refer(as_role, flow)
    clock.advance(days=3)
    others = [EscalationService(hub.sessions, hub.escalations.targets, hub.events, now=clock) for _ in range(3)]
    done = await asyncio.gather(*(s.scan() for s in others))
    assert sum(done) == 3
    async with hub.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(ReferralEscalation)) == 3
        assert await s.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.action == "ESCALATED")) == 3


async def test_the_escalation_reaches_the_supervisors_subscription(hub, settings, as_role, flow, clock):
    await register_portal(as_role)
    referral = await refer(as_role, flow)
    supervisor = as_role(Role.SUPERVISOR, "327502")
    query = "subscription { caseEvents { action note case { id } } }"
    async with serving(create_app(settings, hub)) as url:
        session, ws = await _open(url, supervisor.token, query)
        try:
            clock.advance(days=3)
            scanner = EscalationScanner(hub.escalations, interval=0.05).start()  # as `serve` runs it
            message = await ws.receive_json(timeout=20)
            await scanner.stop()
        finally:
            await session.close()
    event = message["payload"]["data"]["caseEvents"]
    assert event["action"] == "ESCALATED" and event["case"]["id"] == referral["case"]["id"]

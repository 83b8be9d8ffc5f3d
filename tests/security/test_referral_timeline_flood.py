"""Issue 11 item 11: a partner cannot flood a case's timeline, and the timeline is read in pages.

A partner moving one referral IN_PROGRESS ↔ ON_HOLD is refused (payload error RATE_LIMITED,
nothing written) after SLRT_REFERRAL_STATUS_CHANGES_PER_HOUR changes in an hour; a move to a
final status is still accepted. ``Case.events`` answers at most ``first`` (default and maximum
100) entries, oldest first, and continues after an entry's ``cursor``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from auth.roles import Role
from hub.cases.models import CaseEvent
from hub.container import Hub
from hub.db.base import utcnow
from hub.referrals.models import Referral, ReferralHistory
from tests.cases.flow import Flow
from tests.conftest import Api
from tests.referrals.scenario import CREATE, REGISTER, UPDATE, partner_input

STATE = "query($id: ID!) { referral(id: $id) { status history { toStatus } } }"
TIMELINE = """query($id: ID!, $first: Int!, $after: String) {
  case(id: $id) { events(first: $first, after: $after) { action note cursor } } }"""


async def _referral(hub: Hub, client: Any, as_role: Any) -> tuple[str, str, Api]:
    """A REFERRED case with one referral to PBI_JK, and the partner's API."""
    registered = (await as_role(Role.ADMIN)(REGISTER, input=partner_input(
        "Dinas Kesehatan Kota Bekasi", "http://127.0.0.1:9/webhooks/slrt")))["data"]["registerPartner"]
    case_id = await Flow(as_role).case_in("REVIEWED")
    created = await as_role(Role.BACK_OFFICE, "3275")(
        CREATE, input={"caseId": case_id, "programmeCode": "PBI_JK", "reason": "JKN tidak aktif"})
    referral_id = created["data"]["createReferral"]["referral"]["id"]
    partner_id = registered["partner"]["id"]
    partner = Api(client, hub.issuer.issue(subject="dinkes", role=Role.PARTNER, partner_id=partner_id))
    return case_id, referral_id, partner


async def _move(partner: Api, referral_id: str, status: str) -> dict[str, Any]:
    reason = {"ON_HOLD": "menunggu dokumen", "FAILED": "tidak memenuhi syarat"}.get(status)
    result = await partner(UPDATE, input={"id": referral_id, "status": status, "reason": reason})
    return result["data"]["updateReferralStatus"]


async def _written(hub: Hub) -> tuple[int, int, int]:
    async with hub.sessions() as s:
        return (int(await s.scalar(select(func.count()).select_from(ReferralHistory))),
                int(await s.scalar(select(func.count()).select_from(CaseEvent))),
                int(await s.scalar(select(Referral.version))))


async def test_a_partner_flapping_a_referral_is_refused_after_the_hourly_bound(
        hub: Hub, client: Any, as_role: Any) -> None:
    bound = hub.settings.referral_status_changes_per_hour
    case_id, referral_id, partner = await _referral(hub, client, as_role)
    assert (await _move(partner, referral_id, "ACCEPTED"))["errors"] == []
    flips = ["IN_PROGRESS", "ON_HOLD"] * bound
    for status in flips[: bound - 1]:
        assert (await _move(partner, referral_id, status))["errors"] == [], status
    before = await _written(hub)

    refused = await _move(partner, referral_id, flips[bound - 1])

    assert refused["referral"] is None
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [("RATE_LIMITED", ["input", "status"])]
    assert f"changed {bound} times in the last hour" in refused["errors"][0]["message"]
    assert await _written(hub) == before  # no history entry, no case event, referral untouched
    # a final status can still be reported: it can happen only once
    assert (await _move(partner, referral_id, "FAILED"))["errors"] == []
    read = await as_role(Role.BACK_OFFICE, "3275")(STATE, id=referral_id)
    assert read["data"]["referral"]["status"] == "FAILED"
    assert len(read["data"]["referral"]["history"]) == 1 + bound + 1  # created, the bound, the final move


async def test_changes_older_than_an_hour_do_not_count(hub: Hub, client: Any, as_role: Any) -> None:
    bound = hub.settings.referral_status_changes_per_hour
    _, referral_id, partner = await _referral(hub, client, as_role)
    moves = (["ACCEPTED"] + ["IN_PROGRESS", "ON_HOLD"] * bound)[:bound]
    for status in moves:
        assert (await _move(partner, referral_id, status))["errors"] == []
    following = "ON_HOLD" if moves[-1] == "IN_PROGRESS" else "IN_PROGRESS"
    assert [e["code"] for e in (await _move(partner, referral_id, following))["errors"]] == ["RATE_LIMITED"]
    async with hub.sessions() as s, s.begin():  # the same changes, recorded an hour and a minute ago
        for entry in (await s.scalars(select(ReferralHistory))).all():
            entry.at = entry.at - timedelta(minutes=61)

    assert (await _move(partner, referral_id, following))["errors"] == []


async def test_the_timeline_is_read_in_pages(hub: Hub, client: Any, as_role: Any) -> None:
    case_id, _, _ = await _referral(hub, client, as_role)
    async with hub.sessions() as s, s.begin():  # a timeline as long as an unbounded flood left it
        s.add_all(CaseEvent(case_id=case_id, at=utcnow(), actor="dinkes", actor_role="PARTNER",
                            action="REFERRAL_ON_HOLD", note=f"flood {i}") for i in range(250))
    reader = as_role(Role.SUPERVISOR, "327502")

    default = await reader("query($id: ID!) { case(id: $id) { events { action } } }", id=case_id)
    assert len(default["data"]["case"]["events"]) == 100
    pages, after = [], None
    while True:
        page = (await reader(TIMELINE, id=case_id, first=40, after=after))["data"]["case"]["events"]
        pages.append(page)
        if len(page) < 40:
            break
        after = page[-1]["cursor"]
    timeline = [e for page in pages for e in page]
    assert [e["action"] for e in timeline[:5]] == ["RECORD", "SUBMIT", "APPROVE", "REVIEW", "REFER"]
    assert [e["note"] for e in timeline[5:]] == [f"flood {i}" for i in range(250)]
    assert [len(p) for p in pages] == [40] * 6 + [15]

    too_many = await reader(TIMELINE, id=case_id, first=101, after=None)
    assert too_many["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    bad_cursor = await reader(TIMELINE, id=case_id, first=10, after="not-a-cursor")
    assert bad_cursor["errors"][0]["extensions"]["code"] == "INVALID_INPUT"

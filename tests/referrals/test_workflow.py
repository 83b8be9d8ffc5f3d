"""The referral loop over the API: create, partner updates, automatic resolution, bad input."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from auth.roles import Role
from hub.cases.models import CaseEvent
from hub.delivery.models import DeliveryMessage
from hub.referrals.models import Referral, ReferralHistory
from tests.referrals.scenario import CANCEL, CREATE, READ, UPDATE

REGENCY = "3275"


async def _counts(hub: Any) -> tuple[int, int, int, int]:
    async with hub.sessions() as s:
        return tuple([int(await s.scalar(select(func.count()).select_from(t))) for t in
                      (Referral, ReferralHistory, CaseEvent, DeliveryMessage)])  # type: ignore[return-value]


def partner_api(hub: Any, client: Any, partner_id: str) -> Any:
    from tests.conftest import Api

    return Api(client, hub.issuer.issue(subject=f"partner-{partner_id}", role=Role.PARTNER, partner_id=partner_id))


async def _setup(as_role, flow, receiver, register, codes=("PBI_JK", "PKH")) -> tuple[dict, str, Any]:
    partner = await register(receiver, codes=codes)
    case_id = await flow.case_in("REVIEWED")
    return partner, case_id, as_role(Role.BACK_OFFICE, REGENCY, sub="back-office-1")


async def test_create_referral_moves_the_case_and_writes_everything_in_one_go(hub, as_role, flow, receiver, register):
    _, case_id, back = await _setup(as_role, flow, receiver, register)
    result = await back(CREATE, input={"caseId": case_id, "programmeCode": "pbi_jk", "reason": "JKN inactive"})
    referral = result["data"]["createReferral"]["referral"]
    assert referral["status"] == "REQUESTED" and referral["programme"]["code"] == "PBI_JK"
    assert referral["deliveryState"] == "QUEUED"
    assert referral["case"]["status"] == "REFERRED"
    assert referral["case"]["events"][-1] == {"action": "REFER", "fromStatus": "REVIEWED", "toStatus": "REFERRED",
                                              "actor": "back-office-1", "note": "PBI_JK: JKN inactive"}
    assert await _counts(hub) == (1, 1, 5, 1)
    # A second programme on a REFERRED case is allowed; the case stays REFERRED.
    second = await back(CREATE, input={"caseId": case_id, "programmeCode": "PKH", "reason": "poor household"})
    assert second["data"]["createReferral"]["referral"]["case"]["events"][-1]["fromStatus"] == "REFERRED"
    listed = await back("""query($id: ID!) { case(id: $id) { referrals { programme { code } status } } }""", id=case_id)
    assert [r["programme"]["code"] for r in listed["data"]["case"]["referrals"]] == ["PBI_JK", "PKH"]


async def test_partner_loop_resolves_the_case_when_every_referral_ended_and_one_completed(
        hub, client, as_role, flow, receiver, register):
    partner, case_id, back = await _setup(as_role, flow, receiver, register)
    first = (await back(CREATE, input={"caseId": case_id, "programmeCode": "PBI_JK", "reason": "r"}))
    second = (await back(CREATE, input={"caseId": case_id, "programmeCode": "PKH", "reason": "r"}))
    a = first["data"]["createReferral"]["referral"]["id"]
    b = second["data"]["createReferral"]["referral"]["id"]
    dinas = partner_api(hub, client, partner["partner"]["id"])
    for status, extra in [("ACCEPTED", {"partnerReference": "DINKES-2026-77"}), ("IN_PROGRESS", {}),
                          ("COMPLETED", {"outcome": "KIS PBI active from 1 December"})]:
        r = await dinas(UPDATE, input={"id": a, "status": status, **extra})
        assert r["data"]["updateReferralStatus"]["errors"] == [], r
    done = r["data"]["updateReferralStatus"]["referral"]
    assert done["partnerReference"] == "DINKES-2026-77" and done["outcome"].startswith("KIS")
    assert [h["toStatus"] for h in done["history"]] == ["REQUESTED", "ACCEPTED", "IN_PROGRESS", "COMPLETED"]
    case = await back("query($id: ID!) { case(id: $id) { status } }", id=case_id)
    assert case["data"]["case"]["status"] == "REFERRED"  # PKH is still open
    r = await dinas(UPDATE, input={"id": b, "status": "REJECTED", "reason": "already a PKH recipient"})
    assert r["data"]["updateReferralStatus"]["errors"] == []
    case = await back("query($id: ID!) { case(id: $id) { status events { action actor toStatus } } }", id=case_id)
    assert case["data"]["case"]["status"] == "RESOLVED"
    assert case["data"]["case"]["events"][-1] == {"action": "AUTO_RESOLVE", "actor": "system", "toStatus": "RESOLVED"}
    assert [e["action"] for e in case["data"]["case"]["events"]][-5:] == [
        "REFERRAL_ACCEPTED", "REFERRAL_IN_PROGRESS", "REFERRAL_COMPLETED", "REFERRAL_REJECTED", "AUTO_RESOLVE"]


async def test_no_automatic_resolution_without_a_completed_referral(hub, client, as_role, flow, receiver, register):
    partner, case_id, back = await _setup(as_role, flow, receiver, register)
    rid = (await back(CREATE, input={"caseId": case_id, "programmeCode": "PBI_JK", "reason": "r"})
           )["data"]["createReferral"]["referral"]["id"]
    dinas = partner_api(hub, client, partner["partner"]["id"])
    await dinas(UPDATE, input={"id": rid, "status": "REJECTED", "reason": "not eligible"})
    case = await back("query($id: ID!) { case(id: $id) { status } }", id=case_id)
    assert case["data"]["case"]["status"] == "REFERRED"


async def test_back_office_cancels_and_the_partner_is_told(hub, as_role, flow, receiver, register):
    _, case_id, back = await _setup(as_role, flow, receiver, register)
    rid = (await back(CREATE, input={"caseId": case_id, "programmeCode": "PBI_JK", "reason": "r"})
           )["data"]["createReferral"]["referral"]["id"]
    result = await back(CANCEL, id=rid, reason="household moved away")
    assert result["data"]["cancelReferral"]["referral"]["status"] == "CANCELLED"
    async with hub.sessions() as s:
        types = (await s.scalars(select(DeliveryMessage.event_type).order_by(DeliveryMessage.created_at))).all()
    assert sorted(types) == ["referral.cancelled", "referral.requested"]
    # After a cancellation the programme may be referred to again.
    again = await back(CREATE, input={"caseId": case_id, "programmeCode": "PBI_JK", "reason": "returned home"})
    assert again["data"]["createReferral"]["errors"] == []


async def test_partner_reads_its_own_referrals_but_not_the_case_graph(hub, client, as_role, flow, receiver, register):
    partner, case_id, back = await _setup(as_role, flow, receiver, register)
    rid = (await back(CREATE, input={"caseId": case_id, "programmeCode": "PBI_JK", "reason": "r"})
           )["data"]["createReferral"]["referral"]["id"]
    dinas = partner_api(hub, client, partner["partner"]["id"])
    read = await dinas(READ, id=rid)
    assert read["data"]["referral"]["status"] == "REQUESTED" and read["data"]["referral"]["case"] is None
    listed = await dinas("{ referrals { edges { node { id } } } }")
    assert [e["node"]["id"] for e in listed["data"]["referrals"]["edges"]] == [rid]
    denied = await dinas("query($id: ID!) { case(id: $id) { id } }", id=case_id)
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_bad_input_changes_nothing(hub, client, as_role, flow, receiver, register):
    partner, case_id, back = await _setup(as_role, flow, receiver, register)
    other_receiver_partner = await register(receiver, name="Dinas Sosial Kota Bekasi", codes=("BPNT",))
    rid = (await back(CREATE, input={"caseId": case_id, "programmeCode": "PBI_JK", "reason": "r"})
           )["data"]["createReferral"]["referral"]["id"]
    approved = await flow.case_in("APPROVED")
    dinas = partner_api(hub, client, partner["partner"]["id"])
    stranger = partner_api(hub, client, other_receiver_partner["partner"]["id"])
    before = await _counts(hub)

    async def code(api, doc, name, **variables) -> list[str]:
        result = await api(doc, **variables)
        assert result.get("errors") is None, result
        return [e["code"] for e in result["data"][name]["errors"]]

    assert await code(back, CREATE, "createReferral",
                      input={"caseId": approved, "programmeCode": "PKH", "reason": "r"}) == ["INVALID_TRANSITION"]
    assert await code(back, CREATE, "createReferral",
                      input={"caseId": case_id, "programmeCode": "PBI_JK", "reason": "again"}) == ["CONFLICT"]
    assert await code(back, CREATE, "createReferral",
                      input={"caseId": case_id, "programmeCode": "NOPE", "reason": "r"}) == ["INVALID_INPUT"]
    assert await code(back, CREATE, "createReferral",
                      input={"caseId": case_id, "programmeCode": "PKH", "reason": "  "}) == ["INVALID_INPUT"]
    assert await code(back, CREATE, "createReferral",
                      input={"caseId": "no-such-case", "programmeCode": "PKH", "reason": "r"}) == ["NOT_FOUND"]
    assert await code(dinas, UPDATE, "updateReferralStatus",
                      input={"id": rid, "status": "COMPLETED"}) == ["INVALID_TRANSITION"]
    assert await code(dinas, UPDATE, "updateReferralStatus",
                      input={"id": rid, "status": "REQUESTED"}) == ["INVALID_TRANSITION"]
    for status in ("REJECTED", "CANCELLED"):
        assert await code(dinas, UPDATE, "updateReferralStatus",
                          input={"id": rid, "status": status}) == ["INVALID_INPUT"]
    assert await code(stranger, UPDATE, "updateReferralStatus",
                      input={"id": rid, "status": "ACCEPTED"}) == ["NOT_FOUND"]
    assert await code(back, CANCEL, "cancelReferral", id=rid, reason="") == ["INVALID_INPUT"]
    admin = as_role(Role.ADMIN)
    from tests.referrals.scenario import REGISTER, partner_input

    for url in ("ftp://dinas.example/hook", "not a url", "https://"):
        assert await code(admin, REGISTER, "registerPartner", input=partner_input("X", url, ("NEW_PROG",))) == [
            "INVALID_INPUT"]
    assert await code(admin, REGISTER, "registerPartner",
                      input=partner_input("Dinas Sosial Kota Bekasi", receiver.url, ("NEW_PROG",))) == ["CONFLICT"]
    assert await code(admin, REGISTER, "registerPartner",
                      input=partner_input("Y", receiver.url, ("PKH",))) == ["CONFLICT"]
    assert await _counts(hub) == before
    # On hold needs a reason; with one it works.
    await dinas(UPDATE, input={"id": rid, "status": "ACCEPTED"})
    assert await code(dinas, UPDATE, "updateReferralStatus", input={"id": rid, "status": "ON_HOLD"}) == ["INVALID_INPUT"]
    assert await code(dinas, UPDATE, "updateReferralStatus", input={"id": rid, "status": "FAILED"}) == ["INVALID_INPUT"]
    assert await code(dinas, UPDATE, "updateReferralStatus",
                      input={"id": rid, "status": "ON_HOLD", "reason": "waiting for documents"}) == []


async def test_only_the_right_roles_may_act(hub, client, as_role, flow, receiver, register):
    partner, case_id, back = await _setup(as_role, flow, receiver, register)
    front = as_role(Role.FRONT_OFFICE, REGENCY)
    result = await front(CREATE, input={"caseId": case_id, "programmeCode": "PBI_JK", "reason": "r"})
    assert result["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    rid = (await back(CREATE, input={"caseId": case_id, "programmeCode": "PBI_JK", "reason": "r"})
           )["data"]["createReferral"]["referral"]["id"]
    result = await back(UPDATE, input={"id": rid, "status": "ACCEPTED"})
    assert result["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    result = await back(REGISTER_MIN, input={"name": "Z", "sectors": ["HEALTH"], "webhookUrl": receiver.url,
                                             "programmes": []})
    assert result["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # Another regency's back office does not even see the referral.
    elsewhere = as_role(Role.BACK_OFFICE, "3276")
    assert (await elsewhere(READ, id=rid))["errors"][0]["extensions"]["code"] == "NOT_FOUND"


REGISTER_MIN = """mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { errors { code } } }"""


async def test_concurrent_updates_of_one_case_all_succeed_and_resolve_it_once(hub, client, as_role, flow, receiver,
                                                                             register):
    import asyncio

    codes = ("PBI_JK", "PKH", "PIP", "BPNT")
    partner, case_id, back = await _setup(as_role, flow, receiver, register, codes=codes)
    ids = [(await back(CREATE, input={"caseId": case_id, "programmeCode": c, "reason": "r"})
            )["data"]["createReferral"]["referral"]["id"] for c in codes]
    dinas = partner_api(hub, client, partner["partner"]["id"])
    for status in ("ACCEPTED", "COMPLETED"):
        results = await asyncio.gather(*(dinas(UPDATE, input={"id": i, "status": status}) for i in ids))
        assert all(r["data"]["updateReferralStatus"]["errors"] == [] for r in results), results
    case = await back("query($id: ID!) { case(id: $id) { status events { action } } }", id=case_id)
    actions = [e["action"] for e in case["data"]["case"]["events"]]
    assert case["data"]["case"]["status"] == "RESOLVED" and actions.count("AUTO_RESOLVE") == 1
    assert actions.count("REFERRAL_COMPLETED") == 4

"""Portal-only partners: registered without a webhook URL, nothing is queued for them, their
staff (PARTNER users from the identity provider, with the partner claim) work their referrals
through the API the console uses, and see exactly what a webhook partner is sent."""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner
from sqlalchemy import func, select

from auth.roles import Role
from hub.access.models import AuditRecord
from hub.cli import main
from hub.db.migrate import upgrade
from hub.delivery.models import DeliveryMessage, DeliveryState
from hub.people.identity import mask_identity_number
from tests.referrals.scenario import CREATE, REGISTER, UPDATE, in_state, partner_input, wait_for
from tests.referrals.test_delivery import refer

INBOX = """
{ referrals(first: 20) { edges { node {
    id status allowedStatuses programme { code name }
    case { id }
    caseSummary { number sectors complaint village { code name }
                  household { kkNumber address rt rw } subjects { nik name birthDate sex } }
} } } }"""



def portal_input(name: str = "Dinas Sosial Kota Bekasi (portal)", codes: tuple[str, ...] = ("PBI_JK",)) -> dict:
    value = partner_input(name, "unused", codes)
    del value["webhookUrl"]
    return value


async def register_portal(as_role: Any, **kwargs: Any) -> dict:
    payload = (await as_role(Role.ADMIN)(REGISTER, input=portal_input(**kwargs)))["data"]["registerPartner"]
    assert payload["errors"] == [], payload
    return payload


async def message_count(hub: Any) -> int:
    async with hub.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(DeliveryMessage)))


async def test_a_portal_only_partner_gets_nothing_queued_and_works_its_inbox_to_completion(hub, as_role, flow,
                                                                                           worker):
    partner = await register_portal(as_role)
    assert partner["partner"]["webhookUrl"] is None
    listed = await as_role(Role.ADMIN)("{ partners { name webhookUrl portalOnly } }")
    assert listed["data"]["partners"] == [{"name": "Dinas Sosial Kota Bekasi (portal)", "webhookUrl": None,
                                            "portalOnly": True}]
    w = worker()
    referral = await refer(as_role, flow)
    assert referral["deliveryState"] is None and referral["status"] == "REQUESTED"
    assert await message_count(hub) == 0

    dinas = as_role(Role.PARTNER, sub="petugas-dinsos", partner_id=partner["partner"]["id"])
    [edge] = (await dinas(INBOX))["data"]["referrals"]["edges"]
    node = edge["node"]
    assert node["id"] == referral["id"] and node["case"] is None  # the case graph stays closed to partners
    assert node["allowedStatuses"] == ["ACCEPTED", "REJECTED", "CANCELLED"]
    summary = node["caseSummary"]
    assert summary["number"].startswith("SLRT-3275-") and summary["sectors"] == ["HEALTH"]
    [subject] = summary["subjects"]  # the case's subject only, not the four members
    assert "*" in subject["nik"] and "*" in summary["household"]["kkNumber"]  # no pii:read: masked
    assert subject["birthDate"] is None  # and the birth date withheld, as everywhere (the PII rule)

    for status, extra in (("ACCEPTED", {"partnerReference": "DINSOS-1"}), ("IN_PROGRESS", {}),
                          ("COMPLETED", {"outcome": "PBI-JK aktif"})):
        result = await dinas(UPDATE, input={"id": referral["id"], "status": status, **extra})
        assert result["data"]["updateReferralStatus"]["errors"] == [], result
    case = await flow.api(Role.FRONT_OFFICE)("query($id: ID!) { case(id: $id) { status } }",
                                             id=referral["case"]["id"])
    assert case["data"]["case"]["status"] == "RESOLVED"
    await w.stop()
    assert await message_count(hub) == 0  # cancelling or completing queues nothing either


async def test_the_portal_shows_what_the_webhook_payload_carries(hub, as_role, flow, receiver, register, worker):
    partner = await register(receiver)
    referral = await refer(as_role, flow)
    w = worker()
    await wait_for(in_state(hub, DeliveryState.DELIVERED))
    await w.stop()
    sent = receiver.received[0].body["data"]["referral"]
    # The partner's officer (a PARTNER token carries no pii:read): the same facts, numbers masked.
    dinas = as_role(Role.PARTNER, sub="petugas-dinkes", partner_id=partner["partner"]["id"])
    [edge] = (await dinas(INBOX))["data"]["referrals"]["edges"]
    summary = edge["node"]["caseSummary"]
    assert edge["node"]["id"] == referral["id"]
    assert summary["number"] == sent["case"]["number"] and summary["complaint"] == sent["case"]["complaint"]
    assert summary["sectors"] == sent["case"]["sectors"]
    assert summary["village"]["code"] == sent["case"]["village"]["code"]
    assert summary["household"] == {**sent["household"], "kkNumber": mask_identity_number(sent["household"]["kkNumber"])}
    assert summary["subjects"] == [{**p, "nik": mask_identity_number(p["nik"]), "birthDate": None} for p in sent["subjects"]]
    # The back office, holding pii:read, reads the same summary in clear, and is audited for it.
    back = as_role(Role.BACK_OFFICE, "3275", sub="back-office-audited")
    read = await back("query($id: ID!) { referral(id: $id) { caseSummary { household { kkNumber address rt rw } "
                      "subjects { nik name birthDate sex } } } }", id=referral["id"])
    clear = read["data"]["referral"]["caseSummary"]
    assert clear["household"] == sent["household"] and clear["subjects"] == sent["subjects"]
    async with hub.sessions() as s:
        audited = set((await s.scalars(select(AuditRecord.subject_number)
                                       .where(AuditRecord.actor == "back-office-audited"))).all())
        partner_reads = (await s.scalars(select(AuditRecord.id).where(AuditRecord.actor == "petugas-dinkes"))).all()
    assert audited == {sent["household"]["kkNumber"], *(p["nik"] for p in sent["subjects"])}
    assert partner_reads == []  # nothing was shown to the partner in clear


async def test_another_agency_sees_neither_the_referral_nor_its_summary(hub, as_role, flow):
    await register_portal(as_role)
    other = await register_portal(as_role, name="Dinas Pendidikan (portal)", codes=("PIP",))
    referral = await refer(as_role, flow)
    stranger = as_role(Role.PARTNER, partner_id=other["partner"]["id"])
    assert (await stranger(INBOX))["data"]["referrals"]["edges"] == []
    read = await stranger("query($id: ID!) { referral(id: $id) { caseSummary { number } } }", id=referral["id"])
    assert read["data"]["referral"] is None and read["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    updated = await stranger(UPDATE, input={"id": referral["id"], "status": "ACCEPTED"})
    assert updated["data"]["updateReferralStatus"]["errors"][0]["code"] == "NOT_FOUND"


async def test_staff_may_cancel_only_through_the_back_office(hub, as_role, flow):
    await register_portal(as_role)
    referral = await refer(as_role, flow)
    query = "query($id: ID!) { referral(id: $id) { allowedStatuses } }"
    back = as_role(Role.BACK_OFFICE, "3275")
    front = as_role(Role.FRONT_OFFICE, "3275")
    assert (await back(query, id=referral["id"]))["data"]["referral"]["allowedStatuses"] == ["CANCELLED"]
    assert (await front(query, id=referral["id"]))["data"]["referral"]["allowedStatuses"] == []


async def test_a_webhook_url_given_is_still_checked(hub, as_role):
    value = partner_input("Dinas X", "ftp://example.org/hook")
    payload = (await as_role(Role.ADMIN)(REGISTER, input=value))["data"]["registerPartner"]
    assert [e["field"] for e in payload["errors"]] == [["input", "webhookUrl"]]


def test_cli_registers_a_portal_only_partner(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    upgrade(url)
    env = {"SLRT_DATABASE_URL": url, "SLRT_DATA_DIR": str(tmp_path)}
    runner = CliRunner()
    added = runner.invoke(main, ["partner", "add", "--name", "Disnaker (portal)", "--sector", "EMPLOYMENT",
                                 "--programme", "PELATIHAN_KERJA:EMPLOYMENT:REGENCY:Pelatihan kerja"], env=env)
    assert added.exit_code == 0, added.output
    listed = runner.invoke(main, ["partner", "list"], env=env)
    assert "portal-only" in listed.output and "PELATIHAN_KERJA" in listed.output


__all__ = ["CREATE"]


HEALTH = "{ partners { name portalOnly endpointHealth { state failingSince } } }"


async def test_endpoint_health_is_for_those_who_chase_referrals_and_tells_no_configuration(hub, as_role, receiver,
                                                                                        register):
    await register_portal(as_role, codes=("PKH",))
    webhook = await register(receiver)
    async with hub.sessions.begin() as s:
        from hub.db.base import utcnow
        from hub.referrals.models import Partner

        row = await s.get(Partner, webhook["partner"]["id"])
        row.failing_since = utcnow()
    for role, area in ((Role.BACK_OFFICE, "3275"), (Role.SUPERVISOR, "327502"), (Role.ADMIN, None)):
        listed = (await as_role(role, area)(HEALTH))["data"]["partners"]
        states = {p["name"]: p["endpointHealth"]["state"] for p in listed}
        assert states == {"Dinas Sosial Kota Bekasi (portal)": "PORTAL_ONLY", "Dinas Kesehatan Kota Bekasi": "FAILING"}
    # The front office sees the partners' names but neither their health nor their configuration.
    front = await as_role(Role.FRONT_OFFICE, "3275")("{ partners { name endpointHealth { state } } }")
    assert front["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    denied = await as_role(Role.BACK_OFFICE, "3275")("{ partners { webhookUrl } }")
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"

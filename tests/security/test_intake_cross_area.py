"""Issue 11 item 2: an intake never reveals or changes a household or person of another area.

A FACILITATOR of 3275021005 (district 327502) sends the KK number and NIKs of a family recorded
in Jatirahayu (district 327512). It gets back only what it sent, the family's registered data and
the other district's case stay as they were, and its answer is the answer to a never-seen KK.
A SUPERVISOR of 327502 then confirms the move (confirmHouseholdMove) and only then does the family
card move. Everything goes over HTTP against the real app and database.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from sqlalchemy import select

from auth.roles import Role
from hub.container import Hub
from hub.delivery.models import DeliveryMessage
from hub.demo.people import synthetic_household
from tests.cases.flow import document
from tests.cases.helpers import RECORD, record_input
from tests.referrals.scenario import CREATE, REGISTER, partner_input

OWN_VILLAGE = "3275021005"  # Jakasampurna, district 327502 (the caller's area)
FOREIGN_VILLAGE = "3275121001"  # Jatirahayu, district 327512 (the victim's area)

# No birthDate/sex here: whether a recorder without pii:read sees them is the PII rule's business.
SHOWN = """
  status channel priority complaint sectors recordedBy village { code }
  household { kkNumber address rt rw village { code } members { nik name relationship } }
  subjects { nik name relationship household { address village { code } } }
  events { action fromStatus toStatus actor note }
  possibleDuplicates { number }
  referrals { id }
"""
INTAKE = f"""mutation($input: RecordCaseInput!) {{
  recordCase(input: $input) {{ case {{ id {SHOWN} }} errors {{ code message field }} }} }}"""
READ_CASE = f"query($id: ID!) {{ case(id: $id) {{ {SHOWN} }} }}"
REGISTERED = """query($kk: String!, $nik: String!) {
  household(kkNumber: $kk) { address rt rw village { code } members { nik name relationship } }
  person(nik: $nik) { name relationship household { kkNumber } } }"""
CONFIRM = """mutation($id: ID!, $note: String) {
  confirmHouseholdMove(id: $id, note: $note) {
    case { id household { kkNumber address village { code } members { nik name } } events { action note } }
    errors { code message field } } }"""
PENDING = "query($id: ID!) { case(id: $id) { pendingHouseholdMove } }"


def _declared(kk: str, niks: list[str], *, seed: int) -> dict[str, Any]:
    """An intake in the caller's village naming ``kk`` and ``niks``: same names, address, order."""
    value = record_input(seed, OWN_VILLAGE, members=len(niks))
    template = synthetic_household(seed, OWN_VILLAGE, members=len(niks))
    value["household"]["kkNumber"] = kk
    value["household"]["address"] = "Jl. Pendatang No. 7"
    for i, (member, nik) in enumerate(zip(value["household"]["members"], niks, strict=True)):
        # the birth date and sex must agree with the NIK: take them from the NIK's own family
        member.update(nik=nik, name=f"Nama Baru {i}", relationship=template.members[i].relationship.value)
    value["subjectNiks"] = [niks[0]]
    return value


def _with_facts(value: dict[str, Any], facts: dict[str, tuple[str, str]]) -> dict[str, Any]:
    for member in value["household"]["members"]:
        member["birthDate"], member["sex"] = facts[member["nik"]]
    return value


def _facts(value: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {m["nik"]: (m["birthDate"], m["sex"]) for m in value["household"]["members"]}


def _matches(shown: str, sent: str) -> bool:
    """The number as sent, or a mask of it (the mask's shape is the PII rule's business)."""
    return len(shown) == len(sent) and all(c == "*" or c == s for c, s in zip(shown, sent, strict=True))


def _normalised(payload: Any, numbers: dict[str, str]) -> Any:
    """The payload with every identity number replaced by the name of the number it shows
    (``numbers``: sent number → "KK…" or "NIK…")."""
    if isinstance(payload, dict):
        out = {}
        for key, value in payload.items():
            if key in ("nik", "kkNumber") and isinstance(value, str):
                kind = "KK" if key == "kkNumber" else "NIK"
                names = [name for sent, name in numbers.items() if name.startswith(kind) and _matches(value, sent)]
                out[key] = names[0] if len(names) == 1 else value
            else:
                out[key] = _normalised(value, numbers)
        return out
    if isinstance(payload, list):
        return [_normalised(v, numbers) for v in payload]
    return payload


async def _victim(as_role: Any) -> tuple[dict[str, Any], str]:
    """A family recorded in 327512, with an open HEALTH case about its head."""
    value = record_input(31, FOREIGN_VILLAGE)
    result = await as_role(Role.FACILITATOR, FOREIGN_VILLAGE, sub="fasilitator-jatirahayu")(RECORD, input=value)
    assert result["data"]["recordCase"]["errors"] == [], result
    return value, result["data"]["recordCase"]["case"]["id"]


async def _registered(as_role: Any, kk: str, nik: str) -> dict[str, Any]:
    result = await as_role(Role.FRONT_OFFICE, "3275")(REGISTERED, kk=kk, nik=nik)
    assert "errors" not in result, result
    return result["data"]


async def test_a_foreign_kk_gets_back_only_what_was_sent_and_changes_nothing(as_role: Any) -> None:
    victim, victim_case = await _victim(as_role)
    kk, head, spouse = (victim["household"]["kkNumber"], victim["household"]["members"][0]["nik"],
                        victim["household"]["members"][1]["nik"])
    registered_before = await _registered(as_role, kk, head)
    victim_reader = as_role(Role.SUPERVISOR, "327512")
    victim_case_before = (await victim_reader(READ_CASE, id=victim_case))["data"]["case"]

    # A never-seen family of the same shape, and the foreign family's numbers with new names.
    fresh_family = record_input(32, FOREIGN_VILLAGE)
    fresh_kk = fresh_family["household"]["kkNumber"]
    fresh_niks = [m["nik"] for m in fresh_family["household"]["members"][:2]]
    foreign = _with_facts(_declared(kk, [head, spouse], seed=33), _facts(victim))
    fresh = _with_facts(_declared(fresh_kk, fresh_niks, seed=33), _facts(fresh_family))

    recorder = as_role(Role.FACILITATOR, OWN_VILLAGE, sub="fasilitator-jakasampurna")
    got_foreign = (await recorder(INTAKE, input=foreign))["data"]["recordCase"]
    got_fresh = (await recorder(INTAKE, input=fresh))["data"]["recordCase"]
    assert got_foreign["errors"] == [] and got_fresh["errors"] == []

    # (a) only what the caller sent: its address, its village, its two members under its names
    household = got_foreign["case"]["household"]
    assert household["address"] == "Jl. Pendatang No. 7" and household["village"]["code"] == OWN_VILLAGE
    assert [m["name"] for m in household["members"]] == ["Nama Baru 0", "Nama Baru 1"]
    assert got_foreign["case"]["possibleDuplicates"] == []  # the victim's open HEALTH case stays hidden

    # (d) indistinguishable from the never-seen KK, in the intake answer and when read back
    foreign_names = {kk: "KK", head: "NIK0", spouse: "NIK1"}
    fresh_names = {fresh_kk: "KK", fresh_niks[0]: "NIK0", fresh_niks[1]: "NIK1"}
    strip = lambda p: {k: v for k, v in p["case"].items() if k != "id"}  # noqa: E731
    assert _normalised(strip(got_foreign), foreign_names) == _normalised(strip(got_fresh), fresh_names)
    read_foreign = (await recorder(READ_CASE, id=got_foreign["case"]["id"]))["data"]["case"]
    read_fresh = (await recorder(READ_CASE, id=got_fresh["case"]["id"]))["data"]["case"]
    assert _normalised(read_foreign, foreign_names) == _normalised(read_fresh, fresh_names)

    # (b) the registered family and the victim district's case are unchanged; (c) nobody renamed
    assert await _registered(as_role, kk, head) == registered_before
    assert registered_before["household"]["village"]["code"] == FOREIGN_VILLAGE
    assert len(registered_before["household"]["members"]) == 4
    assert (await victim_reader(READ_CASE, id=victim_case))["data"]["case"] == victim_case_before


async def test_a_person_of_another_area_is_not_renamed_or_moved_by_a_new_kk(as_role: Any) -> None:
    victim, _ = await _victim(as_role)
    kk, child = victim["household"]["kkNumber"], victim["household"]["members"][2]["nik"]
    before = await _registered(as_role, kk, child)
    new_kk = record_input(34, OWN_VILLAGE)["household"]["kkNumber"]
    value = _with_facts(_declared(new_kk, [child], seed=35), _facts(victim))
    value["household"]["members"][0]["relationship"] = "HEAD"

    got = (await as_role(Role.FACILITATOR, OWN_VILLAGE)(INTAKE, input=value))["data"]["recordCase"]

    assert got["errors"] == []
    assert [m["name"] for m in got["case"]["household"]["members"]] == ["Nama Baru 0"]
    after = await _registered(as_role, kk, child)
    assert after == before and after["person"]["household"]["kkNumber"] == kk


async def test_a_supervisor_of_the_new_area_confirms_the_move(as_role: Any, hub: Hub) -> None:
    victim, victim_case = await _victim(as_role)
    kk = victim["household"]["kkNumber"]
    head = victim["household"]["members"][0]["nik"]
    newborn = record_input(36, OWN_VILLAGE)["household"]["members"][3]["nik"]  # never seen before
    value = _with_facts(_declared(kk, [head, newborn], seed=37),
                        {**_facts(victim), **_facts(record_input(36, OWN_VILLAGE))})
    recorder = as_role(Role.FACILITATOR, OWN_VILLAGE, sub="fasilitator-jakasampurna")
    case = (await recorder(INTAKE, input=value))["data"]["recordCase"]["case"]
    supervisor = as_role(Role.SUPERVISOR, "327502")

    # The recorder can neither see that a move is pending nor confirm it; the old area cannot either.
    assert (await recorder(PENDING, id=case["id"]))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await recorder(CONFIRM, id=case["id"]))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    old_area = (await as_role(Role.SUPERVISOR, "327512")(CONFIRM, id=case["id"]))["data"]["confirmHouseholdMove"]
    assert [e["code"] for e in old_area["errors"]] == ["NOT_FOUND"]
    assert (await supervisor(PENDING, id=case["id"]))["data"]["case"]["pendingHouseholdMove"] is True

    # Until the move is confirmed the referral's webhook carries the family as declared.
    subjects = await _webhook_subjects(as_role, hub, case["id"])
    assert [(s["nik"], s["name"]) for s in subjects] == [(head, "Nama Baru 0")]
    assert (await _registered(as_role, kk, head))["household"]["village"]["code"] == FOREIGN_VILLAGE

    confirmed = (await supervisor(CONFIRM, id=case["id"], note="KK baru sudah dicek"))["data"]["confirmHouseholdMove"]

    assert confirmed["errors"] == [], confirmed
    assert confirmed["case"]["events"][-1] == {"action": "CONFIRM_HOUSEHOLD_MOVE", "note": "KK baru sudah dicek"}
    moved = await _registered(as_role, kk, head)
    assert moved["household"]["village"]["code"] == OWN_VILLAGE
    assert moved["household"]["address"] == "Jl. Pendatang No. 7"
    assert moved["person"] == {"name": "Nama Baru 0", "relationship": "HEAD", "household": {"kkNumber": kk}}
    # the whole family card moved: its three other registered members and the newborn
    assert sorted(m["nik"] for m in moved["household"]["members"]) == sorted(
        [m["nik"] for m in victim["household"]["members"]] + [newborn])
    front = as_role(Role.FRONT_OFFICE, "3275")
    for case_id in (case["id"], victim_case):
        read = (await front("query($id: ID!) { case(id: $id) { household { kkNumber village { code } } } }",
                            id=case_id))["data"]["case"]
        assert read["household"] == {"kkNumber": kk, "village": {"code": OWN_VILLAGE}}
    assert (await supervisor(PENDING, id=case["id"]))["data"]["case"]["pendingHouseholdMove"] is False
    again = (await supervisor(CONFIRM, id=case["id"]))["data"]["confirmHouseholdMove"]
    assert [e["code"] for e in again["errors"]] == ["INVALID_TRANSITION"]


async def test_a_case_with_nothing_foreign_has_no_move_to_confirm(as_role: Any) -> None:
    value = record_input(38, OWN_VILLAGE)
    case = (await as_role(Role.FACILITATOR, OWN_VILLAGE)(RECORD, input=value))["data"]["recordCase"]["case"]
    front = as_role(Role.FRONT_OFFICE, "3275")
    assert (await front(PENDING, id=case["id"]))["data"]["case"]["pendingHouseholdMove"] is False
    refused = (await front(CONFIRM, id=case["id"]))["data"]["confirmHouseholdMove"]
    assert [e["code"] for e in refused["errors"]] == ["INVALID_TRANSITION"]


async def _webhook_subjects(as_role: Any, hub: Hub, case_id: str) -> list[dict[str, Any]]:
    """Take the case to REVIEWED, refer it, and read the webhook body frozen in the outbox."""
    registered = await as_role(Role.ADMIN)(REGISTER, input=partner_input(
        "Dinas Kesehatan Kota Bekasi", "http://127.0.0.1:9/webhooks/slrt", ("PBI_JK",)))
    assert registered["data"]["registerPartner"]["errors"] == []
    steps = [("submitCase", Role.FACILITATOR, {}, "fasilitator-jakasampurna", OWN_VILLAGE),
             ("approveCase", Role.SUPERVISOR, {}, None, "327502"),
             ("reviewCase", Role.FRONT_OFFICE, {"input": {"sectors": ["HEALTH"], "priority": "HIGH",
                                                          "note": "perlu PBI-JK"}}, None, "3275")]
    for mutation, role, args, sub, area in steps:
        result = await as_role(role, area, sub=sub)(document(mutation, copy.deepcopy(args)), id=case_id, **args)
        assert result["data"][mutation]["errors"] == [], result
    created = await as_role(Role.BACK_OFFICE, "3275")(
        CREATE, input={"caseId": case_id, "programmeCode": "PBI_JK", "reason": "tidak punya JKN"})
    assert created["data"]["createReferral"]["errors"] == [], created
    async with hub.sessions() as session:
        body = await session.scalar(select(DeliveryMessage.body))
    return json.loads(body)["data"]["referral"]["subjects"]

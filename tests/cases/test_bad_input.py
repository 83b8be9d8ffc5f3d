"""Every kind of bad intake gets INVALID_INPUT with its field path, and nothing is stored."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from auth.roles import Role
from hub.cases.models import Case, CaseEvent, CaseNumberSequence
from hub.people.models import Household, Person
from tests.cases.helpers import RECORD, VILLAGE_A, record_input


def _member(value: dict[str, Any], i: int) -> dict[str, Any]:
    return value["household"]["members"][i]


def _set(path: list[str | int], new: Any) -> Callable[[dict[str, Any]], None]:
    def apply(value: dict[str, Any]) -> None:
        target: Any = value
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = new
    return apply


def _women_day(value: dict[str, Any]) -> None:
    # The spouse (a woman) given as a man: her NIK has 40 added to the day.
    _member(value, 1)["sex"] = "M"


def _shift_birth_date(value: dict[str, Any]) -> None:
    m = _member(value, 0)
    year, month, day = m["birthDate"].split("-")
    m["birthDate"] = f"{year}-{month}-{int(day) % 28 + 1:02d}"


def _duplicate_member(value: dict[str, Any]) -> None:
    value["household"]["members"].append(copy.deepcopy(_member(value, 0)))


def _stranger_subject(value: dict[str, Any]) -> None:
    value["subjectNiks"] = ["3275014101900009"]


CASES: list[tuple[str, Callable[[dict[str, Any]], None], list[str]]] = [
    ("NIK too short", _set(["household", "members", 0, "nik"], "327502123"), ["input", "household", "members", "0", "nik"]),
    ("NIK with letters", _set(["household", "members", 0, "nik"], "32750A0101900001"), ["input", "household", "members", "0", "nik"]),
    ("NIK unknown province", _set(["household", "members", 0, "nik"], "9975020101900001"), ["input", "household", "members", "0", "nik"]),
    ("NIK regency 00", _set(["household", "members", 0, "nik"], "3200020101900001"), ["input", "household", "members", "0", "nik"]),
    ("NIK impossible date", _set(["household", "members", 0, "nik"], "3275023102900001"), ["input", "household", "members", "0", "nik"]),
    ("NIK serial 0000", _set(["household", "members", 0, "nik"], "3275020101900000"), ["input", "household", "members", "0", "nik"]),
    ("birth date disagrees with NIK", _shift_birth_date, ["input", "household", "members", "0", "birthDate"]),
    ("sex disagrees with NIK (+40 rule)", _women_day, ["input", "household", "members", "1", "sex"]),
    ("KK too short", _set(["household", "kkNumber"], "3275"), ["input", "household", "kkNumber"]),
    ("KK unknown province", _set(["household", "kkNumber"], "1075020101900001"), ["input", "household", "kkNumber"]),
    ("unknown village", _set(["villageCode"], "3275029999"), ["input", "villageCode"]),
    ("a district is not a village", _set(["villageCode"], "32.75.02"), ["input", "villageCode"]),
    ("village outside the caller's area", _set(["villageCode"], "3275011002"), ["input", "villageCode"]),
    ("empty complaint", _set(["complaint"], "   "), ["input", "complaint"]),
    ("complaint over 5,000 characters", _set(["complaint"], "x" * 5001), ["input", "complaint"]),
    ("no sectors", _set(["sectors"], []), ["input", "sectors"]),
    ("member listed twice", _duplicate_member, ["input", "household", "members", "4", "nik"]),
    ("subject not a member", _stranger_subject, ["input", "subjectNiks", "0"]),
    ("no subjects", _set(["subjectNiks"], []), ["input", "subjectNiks"]),
    ("no members", _set(["household", "members"], []), ["input", "household", "members"]),
    ("empty name", _set(["household", "members", 0, "name"], ""), ["input", "household", "members", "0", "name"]),
    ("empty address", _set(["household", "address"], " "), ["input", "household", "address"]),
    ("RT not digits", _set(["household", "rt"], "A1"), ["input", "household", "rt"]),
]


async def _counts(hub: Any) -> tuple[int, ...]:
    async with hub.sessions() as s:
        return tuple([int(await s.scalar(select(func.count()).select_from(m)) or 0)
                      for m in (Case, CaseEvent, Household, Person, CaseNumberSequence)])


@pytest.mark.parametrize(("label", "spoil", "field"), CASES, ids=[c[0] for c in CASES])
async def test_bad_intake_is_refused_and_nothing_stored(label: str, spoil: Any, field: list[str], as_role: Any,
                                                        hub: Any) -> None:
    before = await _counts(hub)
    value = record_input(3)
    spoil(value)
    result = await as_role(Role.FACILITATOR, VILLAGE_A)(RECORD, input=value)
    payload = result["data"]["recordCase"]
    assert payload["case"] is None
    assert ["INVALID_INPUT"] * len(payload["errors"]) == [e["code"] for e in payload["errors"]]
    assert field in [e["field"] for e in payload["errors"]], payload["errors"]
    assert all(e["message"] for e in payload["errors"])
    assert await _counts(hub) == before


async def test_several_problems_are_reported_together(as_role: Any, hub: Any) -> None:
    value = record_input(4)
    value["complaint"] = ""
    value["household"]["kkNumber"] = "12"
    result = await as_role(Role.FACILITATOR, VILLAGE_A)(RECORD, input=value)
    fields = [e["field"] for e in result["data"]["recordCase"]["errors"]]
    assert ["input", "complaint"] in fields and ["input", "household", "kkNumber"] in fields


async def test_unknown_sector_is_invalid_input_with_its_path(as_role: Any, hub: Any) -> None:
    before = await _counts(hub)
    value = record_input(5)
    value["sectors"] = ["HEALTH", "SPACE_TRAVEL"]
    result = await as_role(Role.FACILITATOR, VILLAGE_A)(RECORD, input=value)
    assert result["data"] is None
    error = result["errors"][0]
    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert error["extensions"]["field"] == ["input", "sectors", "1"]
    assert await _counts(hub) == before


async def test_nik_messages_speak_to_a_facilitator(as_role: Any, hub: Any) -> None:
    value = record_input(6)
    _women_day(value)
    result = await as_role(Role.FACILITATOR, VILLAGE_A)(RECORD, input=value)
    message = result["data"]["recordCase"]["errors"][0]["message"]
    assert "40" in message and "NIK" in message

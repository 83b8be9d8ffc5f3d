"""Found by the isolation sweep: an AUDITOR bound to an area reads that area's audit trail only.

An AUDITOR token may carry an area (a district's inspectorate). Its `auditLog` used to list
every clear read in the hub, and `auditLog(nik:)` told it whether any number, of any area,
had been read: an existence oracle for another district's people. Each audit row now names
the village of the household whose number was read, as the reader saw it.
"""

from __future__ import annotations

from typing import Any

from auth.roles import Role
from tests.cases.helpers import RECORD, record_input

OWN_VILLAGE, OTHER_VILLAGE = "3275021005", "3275121001"  # districts 327502 and 327512
READ = "query($id: ID!) { case(id: $id) { household { kkNumber members { nik } } } }"
AUDIT = """query($nik: String) { auditLog(first: 50, nik: $nik) {
  edges { node { actor subjectKind operation subject } } } }"""


async def _read_in_clear(as_role: Any, seed: int, village: str) -> dict[str, Any]:
    value = record_input(seed, village)
    case = (await as_role(Role.FACILITATOR, village)(RECORD, input=value))["data"]["recordCase"]["case"]
    assert "errors" not in await as_role(Role.FRONT_OFFICE, "3275", sub="front-office-1")(READ, id=case["id"])
    return value


def _edges(result: dict[str, Any]) -> list[dict[str, Any]]:
    assert "errors" not in result, result
    return [e["node"] for e in result["data"]["auditLog"]["edges"]]


async def test_an_auditor_of_a_district_reads_its_districts_trail_only(as_role: Any) -> None:
    own = await _read_in_clear(as_role, 71, OWN_VILLAGE)
    other = await _read_in_clear(as_role, 72, OTHER_VILLAGE)
    numbers = lambda v: 1 + len(v["household"]["members"])  # noqa: E731 - the KK and each NIK
    district = as_role(Role.AUDITOR, "327502", sub="inspektorat-bekasi-barat")

    assert len(_edges(await district(AUDIT))) == numbers(own)
    other_nik = other["household"]["members"][0]["nik"]
    never_read = record_input(73, OTHER_VILLAGE)["household"]["members"][0]["nik"]
    assert await district(AUDIT, nik=other_nik) == await district(AUDIT, nik=never_read)
    assert _edges(await district(AUDIT, nik=other_nik)) == []
    assert len(_edges(await district(AUDIT, nik=own["household"]["members"][0]["nik"]))) == 1

    # the other district's inspectorate sees its own, the regency's sees both
    assert len(_edges(await as_role(Role.AUDITOR, "327512")(AUDIT))) == numbers(other)
    assert len(_edges(await as_role(Role.AUDITOR, None)(AUDIT))) == numbers(own) + numbers(other)
    assert len(_edges(await as_role(Role.AUDITOR, "3275")(AUDIT))) == numbers(own) + numbers(other)

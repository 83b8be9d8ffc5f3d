"""Building blocks for case tests: synthetic intakes and the GraphQL documents used."""

from __future__ import annotations

from typing import Any

from hub.demo.people import synthetic_household

VILLAGE_A = "3275021005"  # Jakasampurna, Bekasi Barat
VILLAGE_B = "3275011002"  # Margahayu, Bekasi Timur
DISTRICT_A = VILLAGE_A[:6]

CASE_FIELDS = """
  id number status channel priority complaint sectors version recordedBy
  village { code name }
  household { kkNumber address members { nik name relationship } }
  subjects { nik name }
  events { action fromStatus toStatus actor note }
"""

RECORD = f"""
mutation($input: RecordCaseInput!, $key: String) {{
  recordCase(input: $input, idempotencyKey: $key) {{
    case {{ {CASE_FIELDS} }}
    errors {{ code message field }}
  }}
}}"""


def record_input(seed: int = 1, village: str = VILLAGE_A, members: int = 4, **overrides: Any) -> dict[str, Any]:
    household = synthetic_household(seed, village, members=members)
    value: dict[str, Any] = {
        "channel": "FACILITATOR",
        "villageCode": village,
        "household": {
            "kkNumber": household.kk_number,
            "address": household.address,
            "rt": household.rt,
            "rw": household.rw,
            "members": [
                {"nik": m.nik, "name": m.name, "birthDate": m.birth_date.isoformat(), "sex": m.sex.value,
                 "relationship": m.relationship.value}
                for m in household.members
            ],
        },
        "subjectNiks": [household.members[0].nik],
        "complaint": "Kartu BPJS tidak aktif, ibu perlu berobat",
        "sectors": ["HEALTH"],
        "priority": "NORMAL",
    }
    value.update(overrides)
    return value


def transition(name: str, *args: str) -> str:
    """A mutation document for one case transition, e.g. transition("approveCase", "note: String")."""
    params = "".join(f", ${a.split(':')[0].strip()}: {a.split(':')[1].strip()}" for a in args)
    call = "".join(f", {a.split(':')[0].strip()}: ${a.split(':')[0].strip()}" for a in args)
    return f"""mutation($id: ID!{params}) {{
  {name}(id: $id{call}) {{ case {{ id status version events {{ action fromStatus toStatus note }} }}
                      errors {{ code message field }} }}
}}"""

"""Synthetic households for the demo and the tests: the families the sector simulators know.

No real person's data is used anywhere. Each household is a family of
`connectors.synthetic` — the one generator every simulator answers from — so Dukcapil
registers each member under the name, birth date, sex and KK the hub holds, and SIKS-NG,
BPJS, Dapodik and PUPR tell one story about the same family. Numbers follow the NIK rules
with the district of the village as region and serials from 9000–9899 (the 9xxx range is
kept for synthetic people; 99xx belongs to the bulk seeder, `hub.seed`).
"""

from __future__ import annotations

from collections.abc import Iterator

from connectors.synthetic import demo_kk, family, household
from connectors.synthetic.names import FAMILY, FEMALE, MALE, STREETS
from hub.cases.commands import HouseholdData, MemberData
from hub.vocabulary import Relationship, Sex

# The bulk seeder (hub.seed) draws its names from the same lists.
MEN, WOMEN = MALE, FEMALE
__all__ = ["FAMILY", "MEN", "STREETS", "WOMEN", "coherent_seeds", "synthetic_household"]

BLOCKS = 90  # household blocks 900..989 per district: member serials 9001..9899


def _block(seed: int) -> int:
    # 7 is prime to BLOCKS: seeds 1..90 give 90 different households in a district.
    return 900 + (seed * 7) % BLOCKS


def synthetic_household(seed: int, village_code: str, members: int = 4) -> HouseholdData:
    """Family ``seed`` of the district of ``village_code``: head, spouse and children (1–9 people).

    The address, RT and RW are those the sector systems hold; the village they name is the
    one the case is recorded in only for `coherent_seeds` (the demo uses those).
    """
    if not 1 <= members <= 9:
        raise ValueError("a synthetic family has 1 to 9 members")
    kk = demo_kk(village_code[:6], _block(seed))
    story = household(kk)
    people = tuple(MemberData(nik, name, born, Sex(sex), Relationship(relationship))
                   for nik, name, born, sex, relationship in family(kk, members))
    return HouseholdData(kk_number=kk, address=story.address, rt=story.rt, rw=story.rw, members=people)


def coherent_seeds(village_code: str, village_name: str) -> Iterator[int]:
    """Seeds whose family lives in ``village_code`` by every sector system's records, in order."""
    for seed in range(1, BLOCKS + 1):
        if household(demo_kk(village_code[:6], _block(seed))).village == village_name.upper():
            yield seed

"""Synthetic households for the demo and the tests: valid NIK/KK numbers, invented names.

No real person's data is used anywhere. Numbers follow the NIK rules with Kota Bekasi
prefixes and serials from 9xxx, a range kept for synthetic people, and the same seed
always gives the same families.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from hub.cases.commands import HouseholdData, MemberData
from hub.people.identity import make_nik
from hub.vocabulary import Relationship, Sex

MEN = ["Ahmad", "Budi", "Dedi", "Eko", "Fajar", "Hendra", "Joko", "Rudi", "Slamet", "Wahyu", "Agus", "Yusuf"]
WOMEN = ["Siti", "Dewi", "Ani", "Rina", "Sri", "Wati", "Nur", "Lestari", "Yuni", "Fitri", "Ratna", "Maya"]
FAMILY = ["Santoso", "Hidayat", "Saputra", "Wijaya", "Kurniawan", "Setiawan", "Pratama", "Nugroho", "Rahayu",
          "Susanto", "Firmansyah", "Gunawan"]
STREETS = ["Jl. Melati", "Jl. Kenanga", "Gg. Mawar", "Jl. Cempaka", "Jl. Flamboyan", "Gg. Anggrek"]


def _member(rng: random.Random, region: str, serial: int, sex: Sex, age: int, relationship: Relationship,
            family: str, today: date) -> MemberData:
    birth = today - timedelta(days=age * 365 + rng.randrange(365))
    first = rng.choice(MEN if sex is Sex.M else WOMEN)
    return MemberData(make_nik(region, birth, sex, serial), f"{first} {family}", birth, sex, relationship)


def synthetic_household(seed: int, village_code: str, members: int = 4, today: date = date(2026, 11, 27)) -> HouseholdData:
    """A family of ``members`` people (head, spouse, children) living in ``village_code``."""
    rng = random.Random(seed)
    region = village_code[:6]
    family = rng.choice(FAMILY)
    # Synthetic serial range, distinct per seed within a district, in blocks of ten: the
    # simulators read a family from region + the first three serial digits (KK ...9130,
    # members ...9130-9133), so the whole family tells one story in every sector system.
    base = 9000 + ((seed * 7) % 90) * 10
    people = [
        _member(rng, region, base, Sex.M, rng.randint(30, 60), Relationship.HEAD, family, today),
        _member(rng, region, base + 1, Sex.F, rng.randint(28, 55), Relationship.SPOUSE, family, today),
    ]
    for i in range(max(0, members - 2)):
        sex = rng.choice([Sex.M, Sex.F])
        people.append(_member(rng, region, base + 2 + i, sex, rng.randint(3, 20), Relationship.CHILD, family, today))
    issued = today - timedelta(days=rng.randrange(3000))
    kk = f"{region}{issued.day:02d}{issued.month:02d}{issued.year % 100:02d}{base:04d}"
    return HouseholdData(kk_number=kk, address=f"{rng.choice(STREETS)} No. {rng.randint(1, 120)}",
                         rt=f"{rng.randint(1, 15):03d}", rw=f"{rng.randint(1, 12):03d}", members=tuple(people[:members]))

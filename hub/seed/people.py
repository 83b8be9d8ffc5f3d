"""Synthetic households and members with valid, unique NIK and KK numbers.

Numbers follow the NIK rules (hub/people/identity.py) with the district of the village as
region, and serials from 9900 up: the 9xxx range is kept for synthetic people, and 99xx
stays clear of the demo and test families (9000–9909). A counter per number prefix
(region + date) keeps every number unique; a prefix that is full draws another date.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from hub.demo.people import FAMILY, MEN, STREETS, WOMEN
from hub.people.identity import make_nik
from hub.vocabulary import Relationship, Sex

FIRST_SERIAL = 9900
LAST_SERIAL = 9999
# Household sizes as on Bekasi family cards: mostly 3–5 people.
SIZES, SIZE_WEIGHTS = (1, 2, 3, 4, 5, 6, 7), (5, 12, 22, 28, 19, 9, 5)

HOUSEHOLD_COLUMNS = ("id", "kk_number", "address", "rt", "rw", "village_code", "created_at", "updated_at")
PERSON_COLUMNS = ("id", "nik", "name", "birth_date", "sex", "relationship", "household_id", "created_at",
                  "updated_at")


@dataclass(slots=True)
class Serials:
    """The next free serial per 12-digit number prefix; seeded from the numbers already stored."""

    next_free: dict[str, int] = field(default_factory=dict)

    def take(self, prefix: str) -> int | None:
        serial = self.next_free.get(prefix, FIRST_SERIAL)
        if serial > LAST_SERIAL:
            return None
        self.next_free[prefix] = serial + 1
        return serial


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    sex: Sex
    age: int


@dataclass(frozen=True, slots=True)
class SeededHousehold:
    """What the case generator needs to know of a household it files a complaint for."""

    id: str
    village_code: str
    members: tuple[Member, ...]


def _nik(rng: random.Random, serials: Serials, region: str, sex: Sex, age: int, today: date) -> tuple[str, date]:
    while True:
        birth = today - timedelta(days=age * 365 + rng.randrange(365))
        nik = make_nik(region, birth, sex, FIRST_SERIAL)
        if (serial := serials.take(nik[:12])) is not None:
            return f"{nik[:12]}{serial:04d}", birth


def _kk(rng: random.Random, serials: Serials, region: str, today: date) -> str:
    while True:
        issued = today - timedelta(days=rng.randrange(20 * 365))
        prefix = f"{region}{issued.day:02d}{issued.month:02d}{issued.year % 100:02d}"
        if (serial := serials.take(prefix)) is not None:
            return f"{prefix}{serial:04d}"


def _ages(rng: random.Random, size: int) -> list[tuple[Relationship, Sex, int]]:
    head_age = rng.randint(25, 70)
    out = [(Relationship.HEAD, rng.choices((Sex.M, Sex.F), (85, 15))[0], head_age)]
    if size >= 2:
        spouse_sex = Sex.F if out[0][1] is Sex.M else Sex.M
        out.append((Relationship.SPOUSE, spouse_sex, max(20, head_age + rng.randint(-8, 4))))
    for _ in range(size - len(out)):
        if head_age > 55 and rng.random() < 0.3:
            out.append((Relationship.GRANDCHILD, rng.choice((Sex.M, Sex.F)), rng.randint(0, 15)))
        else:
            out.append((Relationship.CHILD, rng.choice((Sex.M, Sex.F)), rng.randint(0, max(0, min(30, head_age - 18)))))
    return out


def household_rows(rng: random.Random, serials: Serials, new_id: object, village: str, today: date,
                   now: datetime) -> tuple[tuple, list[tuple], SeededHousehold]:
    """One household: its row, its members' rows, and the summary the cases are filed against."""
    region = village[:6]
    family = rng.choice(FAMILY)
    hid = new_id()  # type: ignore[operator]
    household = (hid, _kk(rng, serials, region, today), f"{rng.choice(STREETS)} No. {rng.randint(1, 160)}",
                 f"{rng.randint(1, 15):03d}", f"{rng.randint(1, 12):03d}", village, now, now)
    persons, members = [], []
    for relationship, sex, age in _ages(rng, rng.choices(SIZES, SIZE_WEIGHTS)[0]):
        nik, birth = _nik(rng, serials, region, sex, age, today)
        first = rng.choice(MEN if sex is Sex.M else WOMEN)
        pid = new_id()  # type: ignore[operator]
        persons.append((pid, nik, f"{first} {family}", birth, sex.value, relationship.value, hid, now, now))
        members.append(Member(pid, sex, age))
    return household, persons, SeededHousehold(hid, village, tuple(members))

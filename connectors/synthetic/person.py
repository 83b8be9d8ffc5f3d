"""The story of one person, derived from their NIK and their household (`kk_of`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from connectors.synthetic import names
from connectors.synthetic.household import HouseholdStory, household
from connectors.synthetic.nik import ParsedNik, age_on, kk_of, make_nik, parse_nik
from connectors.synthetic.seed import digit, pick, seed

SCHOOL_AGE = range(7, 19)  # 7..18 inclusive


@dataclass(frozen=True, slots=True)
class Coverage:
    jkn_number: str
    active: bool
    segment: str  # "PBI APBN", "PBI APBD", "PBPU", "PPU"
    klass: int
    facility: str


@dataclass(frozen=True, slots=True)
class Schooling:
    enrolled: bool
    school: str
    level: str  # SD, SMP, SMA
    grade: int
    kip: bool
    pip_this_year: bool


@dataclass(frozen=True, slots=True)
class PersonStory:
    nik: ParsedNik
    kk: str
    home: HouseholdStory
    known_to_dukcapil: bool
    name: str
    birth_place: str
    registered_birth_date: date
    alive: bool
    coverage: Coverage | None  # None: not a JKN participant
    schooling: Schooling | None  # None: not in Dapodik


def person(nik: str, today: date | None = None) -> PersonStory | None:
    """None when `nik` is not a valid NIK (every simulator answers "not found")."""
    return _person(nik, today or date.today())


@lru_cache(maxsize=16384)  # pure and immutable, as `household` (which says why)
def _person(nik: str, today: date) -> PersonStory | None:
    parsed = parse_nik(nik)
    if parsed is None:
        return None
    p = seed("person", nik)
    kk = kk_of(nik)
    home = household(kk)
    first = pick(p, 7, names.FEMALE if parsed.sex == "F" else names.MALE)
    shifted = digit(p, 2, 10) == 0
    return PersonStory(
        nik=parsed,
        kk=kk,
        home=home,
        known_to_dukcapil=digit(p, 0, 20) != 0,
        name=f"{first} {home.family_name}".upper(),
        birth_place=pick(p, 8, names.BIRTH_PLACES),
        registered_birth_date=parsed.birth_date + timedelta(days=3) if shifted else parsed.birth_date,
        alive=digit(p, 1, 50) != 0,
        coverage=_coverage(p, nik, home),
        schooling=_schooling(p, parsed, home, today),
    )


def _coverage(p: int, nik: str, home: HouseholdStory) -> Coverage | None:
    number = f"000{p % 10**10:010d}"
    puskesmas = f"PUSKESMAS {home.village}"
    if "PBI_JK" in home.programmes:
        return Coverage(number, True, "PBI APBN", 3, puskesmas)
    choice = digit(p, 3, 5)
    if home.decile <= 4:
        options = (
            None,
            Coverage(number, False, "PBPU", 3, puskesmas),
            Coverage(number, True, "PBI APBD", 3, puskesmas),
        )
        return options[choice % 3]
    if choice == 0:
        return None
    if choice == 1:
        return Coverage(number, True, "PBPU", 2, "KLINIK PRATAMA SEHAT BEKASI")
    if choice == 2:
        return Coverage(number, False, "PBPU", 2, "KLINIK PRATAMA SEHAT BEKASI")
    return Coverage(number, True, "PPU", 1, "KLINIK PRATAMA KARYA MEDIKA")


def _schooling(p: int, nik: ParsedNik, home: HouseholdStory, today: date) -> Schooling | None:
    age = age_on(nik.birth_date, today)
    if age not in SCHOOL_AGE:
        return None
    poor = home.decile <= 4
    if poor and digit(p, 4, 4) == 1:
        return None
    enrolled = not (poor and digit(p, 4, 4) == 0)
    if age <= 12:
        level, grade = "SD", age - 6
    elif age <= 15:
        level, grade = "SMP", age - 6
    else:
        level, grade = "SMA", min(age - 6, 12)
    school = f"{level}N {1 + digit(p, 9, 20)} BEKASI"
    kip = enrolled and home.in_dtsen and poor and digit(p, 5, 3) != 0
    return Schooling(enrolled, school, level, grade, kip, kip and digit(p, 6, 4) != 0)


def family(kk: str, size: int | None = None) -> list[tuple[str, str, date, str, str]]:
    """Members of a synthetic household as (nik, name, birth_date, sex, relationship).

    Member i gets NIK serial <kk serial[:3]><i+1>, so every member shares the KK's
    `household_key`; `demo_kk(region, block)` makes a KK (the one Dukcapil reports).
    """
    h = seed("family", kk)
    count = size if size is not None else 2 + digit(h, 0, 4)
    block = kk[12:15]
    members: list[tuple[str, str, date, str, str]] = []
    for index in range(count):
        sex = "M" if index == 0 else "F" if index == 1 else ("M" if digit(h, 2 + index, 2) else "F")
        if index < 2:
            born = date(
                1970 + digit(h, 10 + index, 20), 1 + digit(h, 20 + index, 12), 1 + digit(h, 30 + index, 28)
            )
        else:
            born = date(
                2006 + digit(h, 10 + index, 16), 1 + digit(h, 20 + index, 12), 1 + digit(h, 30 + index, 28)
            )
        nik = make_nik(kk[:6], born, sex, f"{block}{index + 1}")
        story = person(nik)
        assert story is not None
        relationship = ("HEAD", "SPOUSE")[index] if index < 2 else "CHILD"
        members.append((nik, story.name, born, sex, relationship))
    return members


def demo_kk(region: str, block: int) -> str:
    """KK number of synthetic household `block` (1..999) in `region`; equals `kk_of` of its members."""
    return f"{region}010120{block:03d}0"

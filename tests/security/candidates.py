"""Counting the NIK and KK numbers consistent with what a caller sees (issue 11, item 4).

A candidate is any 16-digit number that follows the number rules (SPEC 3: a Kota
Bekasi district, digits 7-12 a date DDMMYY, +40 on the day for women in a NIK; a
serial from 0001) and agrees with every visible fact: each digit a mask shows, the
birth date, birth year or sex, and the age in a screening fact. Counting stops at
`enough`: the question is only whether a number hides among at least that many.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from itertools import product

ENOUGH = 1000
EVERY_DAY = [date(1900, 1, 1) + timedelta(days=n) for n in range((date(2099, 12, 31) - date(1900, 1, 1)).days + 1)]
DAYS_OF: dict[int, list[date]] = {}
for _day in EVERY_DAY:
    DAYS_OF.setdefault(_day.year, []).append(_day)
ISSUE_DATES = sorted({f"{d.day:02d}{d.month:02d}{d.year % 100:02d}" for d in EVERY_DAY})  # DDMMYY, any century


@dataclass(frozen=True)
class Seen:
    """What a caller sees about one person (or one household, with sex and dates None)."""

    mask: str
    birth_date: date | None = None
    birth_year: int | None = None
    sex: str | None = None
    age: tuple[int, date] | None = None  # (age in years, on this day) from a screening fact


def _fits(mask: str, digits: str, start: int) -> bool:
    return all(m == "*" or m == d for m, d in zip(mask[start:start + len(digits)], digits, strict=True))


@cache
def _serials(shown: str) -> list[str]:
    """Serials 0001-9999 agreeing with the mask's last four characters."""
    return [s for s in (f"{n:04d}" for n in range(1, 10000)) if _fits(shown, s, 0)]


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _dates(seen: Seen) -> Iterable[date]:
    if seen.birth_date is not None:
        return [seen.birth_date]
    days: Iterable[date] = EVERY_DAY if seen.birth_year is None else DAYS_OF[seen.birth_year]
    if seen.age is not None:
        years, on = seen.age
        days = [d for d in days if _age(d, on) == years]
    return days


def nik_candidates(seen: Seen, districts: Iterable[str], enough: int = ENOUGH) -> int:
    """How many NIKs agree with `seen` (stopping at `enough`)."""
    found: set[str] = set()
    serials = _serials(seen.mask[12:])
    for region in (r for r in districts if _fits(seen.mask, r, 0)):
        for born, sex in product(_dates(seen), [seen.sex] if seen.sex else ["M", "F"]):
            day = born.day + (40 if sex == "F" else 0)
            middle = f"{day:02d}{born.month:02d}{born.year % 100:02d}"
            if not _fits(seen.mask, middle, 6):
                continue
            for serial in serials:
                found.add(region + middle + serial)
                if len(found) >= enough:
                    return len(found)
    return len(found)


def kk_candidates(mask: str, districts: Iterable[str], enough: int = ENOUGH) -> int:
    """How many KK numbers agree with `mask`: digits 7-12 are the card's issue date."""
    found: set[str] = set()
    serials = _serials(mask[12:])
    for region, middle in product((r for r in districts if _fits(mask, r, 0)), ISSUE_DATES):
        if not _fits(mask, middle, 6):
            continue
        for serial in serials:
            found.add(region + middle + serial)
            if len(found) >= enough:
                return len(found)
    return len(found)


def every_string(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from every_string(v)
    elif isinstance(value, list):
        for v in value:
            yield from every_string(v)

"""NIK anatomy: 6 region digits, DDMMYY birth date (women +40 on the day), 4 serial digits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Two-digit birth years above this are read as 19YY; synthetic data has nobody over ~100.
_CENTURY_PIVOT = 30


@dataclass(frozen=True, slots=True)
class ParsedNik:
    nik: str
    region: str
    birth_date: date
    sex: str  # "M" or "F"
    serial: str


def parse_nik(nik: str) -> ParsedNik | None:
    """Parse a NIK; None when it cannot be one (wrong length, impossible date, serial 0000)."""
    found = birth_and_sex(nik)
    return None if found is None else ParsedNik(nik, nik[:6], found[0], found[1], nik[12:])


def birth_and_sex(nik: str) -> tuple[date, str] | None:
    """The birth date and sex ("M"/"F") a NIK encodes; None when it cannot be a NIK, as for
    `parse_nik`. Without the `ParsedNik` (a frozen dataclass, most of parse_nik's cost): the
    Dukcapil connector reads these for every NIK of every verification request."""
    if len(nik) != 16 or not nik.isdigit() or nik[12:] == "0000" or not 11 <= int(nik[:2]) <= 94:
        return None
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "F" if day > 40 else "M"
    if sex == "F":
        day -= 40
    year = 2000 + yy if yy <= _CENTURY_PIVOT else 1900 + yy
    try:
        return date(year, month, day), sex
    except ValueError:
        return None


def make_nik(region: str, born: date, sex: str, serial: str) -> str:
    day = born.day + (40 if sex == "F" else 0)
    return f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}{serial}"


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def household_key(number: str) -> str:
    """What a NIK and a KK of one synthetic household share: region + first 3 serial digits.

    The KK's issue date plays no part, so any KK whose serial starts like its members'
    NIK serials (e.g. KK serial 9010, members 9011, 9012...) tells one story everywhere.
    """
    return f"{number[:6]}{number[12:15]}"


def kk_of(nik: str) -> str:
    """The KK number the synthetic civil registry reports for a NIK (issue date 01-01-20)."""
    return f"{nik[:6]}010120{nik[12:15]}0"

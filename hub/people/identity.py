"""NIK and KK number rules (SPEC section 3, DOMAIN glossary).

A NIK is 6 digits of the region where the person was first registered, the birth date
as DDMMYY with 40 added to the day for women, and a serial from 0001. A KK number has
the same region prefix and serial; its middle digits are the card's issue date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from hub.vocabulary import Sex

# Kemendagri province codes in use (Aceh 11 … Papua's new provinces up to 96); the
# contract names 11–94 as the range, and codes outside this set were never issued.
PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53,
     61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94}
)


@dataclass(frozen=True, slots=True)
class NikFacts:
    """What a valid NIK says about its holder."""

    region: str
    sex: Sex
    day: int
    month: int
    year2: int  # two-digit year: the century is not in the NIK

    def matches_birth_date(self, birth_date: date) -> bool:
        return (birth_date.day, birth_date.month, birth_date.year % 100) == (self.day, self.month, self.year2)


def _region_problem(number: str, label: str) -> str | None:
    if int(number[:2]) not in PROVINCE_CODES:
        return f"{label} must start with a known province code (11–94), not {number[:2]}"
    if number[2:4] == "00" or number[4:6] == "00":
        return f"{label} digits 3–6 must name a regency and district (not 00)"
    return None


def _plausible_date(day: int, month: int, year2: int) -> bool:
    for century in (1900, 2000):
        try:
            date(century + year2, month, day)
            return True
        except ValueError:
            continue
    return False


def check_nik(nik: str) -> tuple[NikFacts | None, str | None]:
    """The facts of a valid NIK, or a message a facilitator understands."""
    if len(nik) != 16 or not nik.isdigit():
        return None, "NIK must be exactly 16 digits"
    if problem := _region_problem(nik, "NIK"):
        return None, problem
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = Sex.F if day > 40 else Sex.M
    if sex is Sex.F:
        day -= 40
    if not _plausible_date(day, month, year2):
        return None, "NIK digits 7–12 must be a birth date DDMMYY (women add 40 to the day)"
    if nik[12:] == "0000":
        return None, "NIK serial (last 4 digits) must be 0001 or more"
    return NikFacts(region=nik[:6], sex=sex, day=day, month=month, year2=year2), None


def check_kk(kk_number: str) -> str | None:
    """None when the KK number is well formed, else a message."""
    if len(kk_number) != 16 or not kk_number.isdigit():
        return "KK number must be exactly 16 digits"
    if problem := _region_problem(kk_number, "KK number"):
        return problem
    if kk_number[12:] == "0000":
        return "KK number serial (last 4 digits) must be 0001 or more"
    return None


# How much of an identity number a caller without pii:read may see (README, Access): the
# province and regency only. Digits 5-6 (district) and 7-12 (a NIK's birth date and sex,
# a KK's issue date) would rebuild the number with the case data staff see; the serial
# (13-16) is hidden too, so that even a known birth date leaves 9,999 candidates.
SHOWN_DIGITS = 4
_MASK = "*" * (16 - SHOWN_DIGITS)
_IN_TEXT = re.compile(rf"(?<!\d)(\d{{{SHOWN_DIGITS}}})\d{{{16 - SHOWN_DIGITS}}}(?!\d)")


def mask_identity_number(number: str) -> str:
    """``3275************``: only the province and regency stay readable."""
    if len(number) != 16:
        return "*" * len(number)
    return number[:SHOWN_DIGITS] + _MASK


def mask_identity_numbers(text: str) -> str:
    """Every run of 16 digits in free text (a complaint, a note, a log line) masked."""
    return _IN_TEXT.sub(rf"\1{_MASK}", text)


def mask_identity_numbers_in(value: Any) -> Any:
    """The same masking over every string inside a JSON-like value (numbers stay numbers:
    a float such as a latency may have 16 digits too)."""
    if isinstance(value, str):
        return mask_identity_numbers(value)
    if isinstance(value, dict):
        return {k: mask_identity_numbers_in(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_identity_numbers_in(v) for v in value]
    return value


def make_nik(region: str, birth_date: date, sex: Sex, serial: int) -> str:
    """A NIK following the rules, for synthetic demo and test people."""
    day = birth_date.day + (40 if sex is Sex.F else 0)
    return f"{region}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"

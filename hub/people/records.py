"""Households and people as readers show them: plain rows (hub/db/records.py)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from hub.db.records import columns
from hub.people.models import Household, Person
from hub.vocabulary import Relationship, Sex


class HouseholdRecord(NamedTuple):
    id: str
    kk_number: str
    address: str
    rt: str | None
    rw: str | None
    village_code: str
    pending_move: bool


class PersonRecord(NamedTuple):
    id: str
    nik: str
    name: str
    birth_date: date
    sex: Sex
    relationship: Relationship
    household_id: str
    pending_move: bool


HOUSEHOLD_COLUMNS = columns(Household, HouseholdRecord)
PERSON_COLUMNS = columns(Person, PersonRecord)

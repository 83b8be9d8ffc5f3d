"""What callers ask the case service to do, as plain data (the schema builds these)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hub.vocabulary import Channel, Priority, Relationship, Sector, Sex


@dataclass(frozen=True, slots=True)
class MemberData:
    nik: str
    name: str
    birth_date: date
    sex: Sex
    relationship: Relationship


@dataclass(frozen=True, slots=True)
class HouseholdData:
    kk_number: str
    address: str
    rt: str | None
    rw: str | None
    members: tuple[MemberData, ...]


@dataclass(frozen=True, slots=True)
class RecordCase:
    channel: Channel
    village_code: str
    household: HouseholdData
    subject_niks: tuple[str, ...]
    complaint: str
    sectors: tuple[Sector, ...]
    priority: Priority = Priority.NORMAL


@dataclass(frozen=True, slots=True)
class UpdateCase:
    """Fields left None stay as they are."""

    complaint: str | None = None
    sectors: tuple[Sector, ...] | None = None
    priority: Priority | None = None
    subject_niks: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class ReviewCase:
    sectors: tuple[Sector, ...]
    priority: Priority
    note: str

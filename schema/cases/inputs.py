from __future__ import annotations

from datetime import date, datetime

import strawberry

from hub.cases import commands
from schema.enums import CaseStatus, Channel, Priority, Relationship, Sector, Sex


@strawberry.input
class PersonInput:
    nik: str
    name: str
    birth_date: date
    sex: Sex
    relationship: Relationship

    def to_command(self) -> commands.MemberData:
        return commands.MemberData(self.nik.strip(), self.name, self.birth_date, self.sex, self.relationship)


@strawberry.input
class HouseholdInput:
    kk_number: str
    address: str
    members: list[PersonInput]
    rt: str | None = None
    rw: str | None = None

    def to_command(self) -> commands.HouseholdData:
        return commands.HouseholdData(self.kk_number.strip(), self.address, self.rt, self.rw,
                                      tuple(m.to_command() for m in self.members))


@strawberry.input
class RecordCaseInput:
    channel: Channel
    village_code: strawberry.ID
    household: HouseholdInput
    subject_niks: list[str]
    complaint: str
    sectors: list[Sector]
    priority: Priority = Priority.NORMAL

    def to_command(self) -> commands.RecordCase:
        return commands.RecordCase(self.channel, str(self.village_code), self.household.to_command(),
                                   tuple(n.strip() for n in self.subject_niks), self.complaint,
                                   tuple(self.sectors), self.priority)


@strawberry.input(description="fields left out stay as they are")
class UpdateCaseInput:
    complaint: str | None = None
    sectors: list[Sector] | None = None
    priority: Priority | None = None
    subject_niks: list[str] | None = None

    def to_command(self) -> commands.UpdateCase:
        return commands.UpdateCase(
            complaint=self.complaint,
            sectors=tuple(self.sectors) if self.sectors is not None else None,
            priority=self.priority,
            subject_niks=tuple(n.strip() for n in self.subject_niks) if self.subject_niks is not None else None,
        )


@strawberry.input
class ReviewCaseInput:
    sectors: list[Sector]
    priority: Priority
    note: str

    def to_command(self) -> commands.ReviewCase:
        return commands.ReviewCase(tuple(self.sectors), self.priority, self.note)


@strawberry.input
class CaseFilter:
    status: list[CaseStatus] | None = None
    sector: list[Sector] | None = None
    channel: Channel | None = None
    priority: Priority | None = None
    area_code: strawberry.ID | None = strawberry.field(default=None, description="village code prefix: a district, village…")
    created_from: datetime | None = None
    created_to: datetime | None = None
    text: str | None = strawberry.field(default=None, description="words in the complaint")

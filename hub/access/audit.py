"""The PII audit log (SPEC section 6): every read of an unmasked NIK or KK number is recorded.

Writers only append; readers (AUDITOR, ``audit:read``) page through it newest first,
optionally for one identity number. There is deliberately no update or delete here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from sqlalchemy import insert, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from auth.principal import Actor
from hub.access.models import AuditRecord
from hub.db.base import utcnow
from hub.db.grouping import first_per_key
from hub.people.models import Household, Person
from hub.people.queries import household_visible

MAX_AUDIT_PAGE = 200


class SubjectKind(str, Enum):
    NIK = "NIK"
    KK = "KK"


@dataclass(frozen=True, slots=True)
class PiiRead:
    """One identity number shown in clear, and the operation that showed it."""

    kind: SubjectKind
    number: str
    operation: str


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    actor_role: str
    client_id: str | None
    subject_kind: SubjectKind
    subject_number: str
    operation: str
    client_ip: str | None
    request_id: str | None

    @classmethod
    def from_row(cls, r: AuditRecord) -> AuditEntry:
        return cls(id=r.id, at=r.at, actor=r.actor, actor_role=r.actor_role, client_id=r.client_id,
                   subject_kind=SubjectKind(r.subject_kind), subject_number=r.subject_number,
                   operation=r.operation, client_ip=r.client_ip, request_id=r.request_id)


@dataclass(frozen=True, slots=True)
class AuditPage:
    entries: list[AuditEntry]
    has_next: bool


class AuditLog:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def record(self, actor: Actor, reads: Iterable[PiiRead], *, client_ip: str | None,
                     request_id: str | None) -> int:
        """Append one record per distinct read, in one transaction; returns how many."""
        at = utcnow()
        distinct = list(dict.fromkeys(reads))
        if not distinct:
            return 0
        async with self._sessions.begin() as session:
            areas = await subject_areas(session, actor, distinct)
            rows = [{"at": at, "actor": actor.subject[:200], "actor_role": actor.role.value,
                     "client_id": actor.client_id, "subject_kind": r.kind.value, "subject_number": r.number,
                     "operation": r.operation[:200], "client_ip": client_ip, "request_id": request_id,
                     "subject_area": areas.get((r.kind, r.number))} for r in distinct]
            # one executemany of a Core insert: the ORM's bulk path spends ~20 µs of Python per row
            await session.execute(insert(AuditRecord.__table__), rows)
        return len(rows)

    async def page(self, first: int, after: int | None = None, number: str | None = None,
                   area: str | None = None) -> AuditPage:
        """Newest first; ``after`` is the id of the last entry of the previous page; ``area``
        (an auditor's) keeps the reads of households and people of that area only."""
        stmt = select(AuditRecord).order_by(AuditRecord.id.desc()).limit(first + 1)
        if area is not None:
            stmt = stmt.where(AuditRecord.subject_area.startswith(area))
        if after is not None:
            stmt = stmt.where(AuditRecord.id < after)
        if number is not None:
            stmt = stmt.where(AuditRecord.subject_number == number)
        async with self._sessions() as session:
            rows = (await session.scalars(stmt)).all()
        return AuditPage(entries=[AuditEntry.from_row(r) for r in rows[:first]], has_next=len(rows) > first)


async def subject_areas(session: AsyncSession, actor: Actor, reads: list[PiiRead]) -> dict[tuple[SubjectKind, str], str]:
    """The village of each number's household as ``actor`` sees it (the row its read showed:
    the same area rule and preference as the readers), in one statement; none for a reader
    without an area rule (a partner)."""
    niks = sorted({r.number for r in reads if r.kind is SubjectKind.NIK})
    kks = sorted({r.number for r in reads if r.kind is SubjectKind.KK})
    person_rows = (select(literal(SubjectKind.NIK.value).label("kind"), Person.nik.label("number"),
                          Household.village_code, Person.pending_move, Person.created_at, Person.id)
                   .join(Household, Household.id == Person.household_id)
                   .where(Person.nik.in_(niks), household_visible(actor)))
    household_rows = (select(literal(SubjectKind.KK.value).label("kind"), Household.kk_number.label("number"),
                             Household.village_code, Household.pending_move, Household.created_at, Household.id)
                      .where(Household.kk_number.in_(kks), household_visible(actor)))
    rows = (await session.execute(union_all(person_rows, household_rows))).all()
    # the readers' preference (HOUSEHOLD_PREFERENCE, PERSON_PREFERENCE): registered rows first, oldest first
    preferred = first_per_key(sorted(rows, key=lambda r: (r.pending_move, r.created_at, r.id)),
                              lambda r: (SubjectKind(r.kind), r.number))
    return {key: row.village_code for key, row in preferred.items()}

"""Reading cases: one case, pages of cases, and the batch loads behind the data loaders.

Every read applies ``visible_to`` (the area rule). Pages use keyset pagination on
(created_at, id), newest first, so a page costs the same at any depth of the list.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from auth.principal import Actor
from hub.db.grouping import first_per_key, grouped
from hub.cases.models import Case, CaseEvent, CaseSector, CaseSubject
from hub.cases.records import CASE_COLUMNS, CaseRecord
from hub.cases.status import OPEN_STATUSES, CaseStatus
from hub.cases.visibility import area_condition, visibility_shape, visible_to
from hub.db.driver_reads import DriverReads
from hub.people.models import Household, Person
from hub.people.records import HOUSEHOLD_COLUMNS, PERSON_COLUMNS, HouseholdRecord, PersonRecord
from hub.people.queries import HOUSEHOLD_PREFERENCE, PERSON_PREFERENCE, household_visible
from hub.vocabulary import Channel, Priority, Relationship, Sector

MAX_PAGE = 100
# A case's timeline is read in pages: a partner flapping a referral must not make one case
# answer with thousands of entries (issue 11, item 11).
MAX_EVENTS_PAGE = 100
_KK_ORDER = {r: i for i, r in enumerate(Relationship)}


@dataclass(frozen=True, slots=True)
class CaseFilter:
    statuses: tuple[CaseStatus, ...] = ()
    sectors: tuple[Sector, ...] = ()
    channel: Channel | None = None
    priority: Priority | None = None
    area_code: str | None = None  # a village code prefix, already normalised
    created_from: datetime | None = None
    created_to: datetime | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class CaseLookup:
    case: CaseRecord
    sectors: list[Sector] | None  # None: not read with the case (the sectors loader reads them)


@dataclass(frozen=True, slots=True)
class CasePage:
    cases: list[CaseRecord]
    has_next: bool


def encode_cursor(case: CaseRecord) -> str:
    return base64.urlsafe_b64encode(f"{case.created_at.isoformat()}|{case.id}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, str] | None:
    try:
        created, case_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|", 1)
        return datetime.fromisoformat(created), case_id
    except (ValueError, UnicodeDecodeError):
        return None


def encode_event_cursor(event: CaseEvent) -> str:
    return base64.urlsafe_b64encode(f"event|{event.id}".encode()).decode()


def decode_event_cursor(cursor: str) -> int | None:
    try:
        kind, event_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|", 1)
        return int(event_id) if kind == "event" else None
    except (ValueError, UnicodeDecodeError):
        return None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filtered(actor: Actor, f: CaseFilter) -> Select[tuple[Case]]:
    stmt = select(Case).where(visible_to(actor))
    if f.statuses:
        stmt = stmt.where(Case.status.in_(f.statuses))
    if f.sectors:
        stmt = stmt.where(exists().where(CaseSector.case_id == Case.id, CaseSector.sector.in_(f.sectors)))
    if f.channel:
        stmt = stmt.where(Case.channel == f.channel)
    if f.priority:
        stmt = stmt.where(Case.priority == f.priority)
    if f.area_code:
        stmt = stmt.where(area_condition(f.area_code))
    if f.created_from:
        stmt = stmt.where(Case.created_at >= f.created_from)
    if f.created_to:
        stmt = stmt.where(Case.created_at < f.created_to)
    if f.text:
        stmt = stmt.where(Case.complaint.ilike(f"%{_escape_like(f.text)}%", escape="\\"))
    return stmt


def _lookup_statement(actor: Actor) -> Select[Any]:
    """A case by id with its sectors (PostgreSQL's ``array_agg``), for callers shaped like `actor`."""
    sectors = select(func.array_agg(CaseSector.sector)).where(CaseSector.case_id == Case.id).scalar_subquery()
    return select(*CASE_COLUMNS, sectors).where(Case.id == bindparam("case_id"),
                                                visible_to(actor, value=bindparam("area")))


class CaseReader:
    """Reads for display: plain records (hub/db/records.py), one statement per read."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], driver: DriverReads | None = None) -> None:
        self._sessions = sessions
        self._driver = driver

    async def get(self, actor: Actor, case_id: str) -> CaseRecord | None:
        return await self._case(select(*CASE_COLUMNS).where(Case.id == case_id, visible_to(actor)))

    async def lookup(self, actor: Actor, case_id: str) -> CaseLookup | None:
        """One case, as `get`, with its sectors where they come in the same statement: on
        PostgreSQL one statement on the driver (the hub's most frequent read; hub/db/driver_reads.py),
        elsewhere the general path."""
        if self._driver is None or not self._driver.available:
            row = await self.get(actor, case_id)
            return CaseLookup(row, None) if row else None
        rows = await self._driver.rows(("case lookup", *visibility_shape(actor)), lambda: _lookup_statement(actor),
                                       {"case_id": case_id, "area": actor.area})
        if not rows:
            return None
        *case, sectors = rows[0]
        order = list(Sector)
        return CaseLookup(CaseRecord._make(case), sorted(sectors or (), key=order.index))

    async def by_number(self, actor: Actor, number: str) -> CaseRecord | None:
        return await self._case(select(*CASE_COLUMNS).where(Case.number == number.strip().upper(), visible_to(actor)))

    async def _case(self, stmt: Select[Any]) -> CaseRecord | None:
        async with self._sessions() as s:
            row = (await s.execute(stmt)).first()
        return CaseRecord._make(row) if row else None

    async def page(self, actor: Actor, f: CaseFilter, first: int, after: tuple[datetime, str] | None) -> CasePage:
        stmt = filtered(actor, f)
        if after is not None:
            created, case_id = after
            stmt = stmt.where(or_(Case.created_at < created, and_(Case.created_at == created, Case.id < case_id)))
        stmt = stmt.with_only_columns(*CASE_COLUMNS).order_by(Case.created_at.desc(), Case.id.desc()).limit(first + 1)
        async with self._sessions() as s:
            rows = [CaseRecord._make(r) for r in await s.execute(stmt)]
        return CasePage(rows[:first], len(rows) > first)

    async def count(self, actor: Actor, f: CaseFilter) -> int:
        stmt = select(func.count()).select_from(filtered(actor, f).with_only_columns(Case.id).subquery())
        async with self._sessions() as s:
            return int(await s.scalar(stmt) or 0)

    # Batch loads: one statement each for any number of keys.

    async def households(self, ids: Sequence[str]) -> dict[str, HouseholdRecord]:
        async with self._sessions() as s:
            rows = await s.execute(select(*HOUSEHOLD_COLUMNS).where(Household.id.in_(ids)))
        return {h.id: h for h in map(HouseholdRecord._make, rows)}

    async def cases_by_ids(self, actor: Actor, ids: Sequence[str]) -> dict[str, CaseRecord]:
        async with self._sessions() as s:
            rows = await s.execute(select(*CASE_COLUMNS).where(Case.id.in_(ids), visible_to(actor)))
        return {c.id: c for c in map(CaseRecord._make, rows)}

    async def households_by_kk(self, actor: Actor, kk_numbers: Sequence[str]) -> dict[str, HouseholdRecord]:
        stmt = (select(*HOUSEHOLD_COLUMNS).where(Household.kk_number.in_(kk_numbers), household_visible(actor))
                .order_by(*HOUSEHOLD_PREFERENCE))
        async with self._sessions() as s:
            return first_per_key(map(HouseholdRecord._make, await s.execute(stmt)), lambda h: h.kk_number)

    async def members(self, household_ids: Sequence[str]) -> dict[str, list[PersonRecord]]:
        async with self._sessions() as s:
            rows = list(map(PersonRecord._make, await s.execute(
                select(*PERSON_COLUMNS).where(Person.household_id.in_(household_ids)))))
        out: dict[str, list[PersonRecord]] = defaultdict(list)
        # Members in family-card order: head, spouse, children…, then by NIK.
        for p in sorted(rows, key=lambda p: (_KK_ORDER[p.relationship], p.nik)):
            out[p.household_id].append(p)
        return out

    async def persons_by_nik(self, actor: Actor, niks: Sequence[str]) -> dict[str, PersonRecord]:
        stmt = (select(*PERSON_COLUMNS).join(Household, Household.id == Person.household_id)
                .where(Person.nik.in_(niks), household_visible(actor)).order_by(*PERSON_PREFERENCE))
        async with self._sessions() as s:
            return first_per_key(map(PersonRecord._make, await s.execute(stmt)), lambda p: p.nik)

    async def subjects(self, case_ids: Sequence[str]) -> dict[str, list[PersonRecord]]:
        stmt = (select(CaseSubject.case_id, *PERSON_COLUMNS).join(Person, Person.id == CaseSubject.person_id)
                .where(CaseSubject.case_id.in_(case_ids)).order_by(CaseSubject.position))
        async with self._sessions() as s:
            rows = (await s.execute(stmt)).all()
        out: dict[str, list[PersonRecord]] = defaultdict(list)
        for case_id, *person in rows:
            out[case_id].append(PersonRecord._make(person))
        return out

    async def sectors(self, case_ids: Sequence[str]) -> dict[str, list[Sector]]:
        stmt = select(CaseSector.case_id, CaseSector.sector).where(CaseSector.case_id.in_(case_ids))
        async with self._sessions() as s:
            rows = (await s.execute(stmt)).all()
        out: dict[str, list[Sector]] = defaultdict(list)
        for case_id, sector in rows:
            out[case_id].append(sector)
        order = list(Sector)
        return {k: sorted(v, key=order.index) for k, v in out.items()}

    async def events(self, case_ids: Sequence[str], first: int = MAX_EVENTS_PAGE,
                     after: int | None = None) -> dict[str, list[CaseEvent]]:
        """A page of each case's timeline, oldest first: at most ``first`` entries after the entry
        ``after``, for every case in one statement (a window numbers each case's entries)."""
        where = [CaseEvent.case_id.in_(case_ids)]
        if after is not None:
            where.append(CaseEvent.id > after)
        position = func.row_number().over(partition_by=CaseEvent.case_id, order_by=CaseEvent.id).label("position")
        numbered = select(CaseEvent.id, position).where(*where).subquery()
        stmt = (select(CaseEvent).join(numbered, numbered.c.id == CaseEvent.id)
                .where(numbered.c.position <= first).order_by(CaseEvent.id))
        async with self._sessions() as s:
            rows = (await s.scalars(stmt)).all()
        return grouped(rows, lambda e: e.case_id)

    async def event(self, actor: Actor, event_id: int) -> CaseEvent | None:
        stmt = (select(CaseEvent).join(Case, Case.id == CaseEvent.case_id)
                .where(CaseEvent.id == event_id, visible_to(actor)))
        async with self._sessions() as s:
            return await s.scalar(stmt)

    async def possible_duplicates(self, actor: Actor, case_ids: Sequence[str]) -> dict[str, list[CaseRecord]]:
        """Other open cases, visible to the caller, about a same subject (NIK) in a same sector.

        Matched by NIK, not by person row: an intake's pending copy of a person registered in
        another area (hub/people/households.py) is the same person to a caller who sees both."""
        mine_subj, other_subj = CaseSubject.__table__.alias("ms"), CaseSubject.__table__.alias("os")
        mine_person, other_person = Person.__table__.alias("mp"), Person.__table__.alias("op")
        mine_sec, other_sec = CaseSector.__table__.alias("mc"), CaseSector.__table__.alias("oc")
        stmt = (
            select(mine_subj.c.case_id, *CASE_COLUMNS)
            .join(mine_person, mine_person.c.id == mine_subj.c.person_id)
            .join(other_person, other_person.c.nik == mine_person.c.nik)
            .join(other_subj, and_(other_subj.c.person_id == other_person.c.id,
                                   other_subj.c.case_id != mine_subj.c.case_id))
            .join(Case, Case.id == other_subj.c.case_id)
            .join(mine_sec, mine_sec.c.case_id == mine_subj.c.case_id)
            .join(other_sec, and_(other_sec.c.case_id == Case.id, other_sec.c.sector == mine_sec.c.sector))
            .where(mine_subj.c.case_id.in_(case_ids), Case.status.in_(sorted(OPEN_STATUSES)), visible_to(actor))
            .distinct()
        )
        async with self._sessions() as s:
            rows = (await s.execute(stmt)).all()
        out: dict[str, list[CaseRecord]] = defaultdict(list)
        for case_id, *other in rows:
            out[case_id].append(CaseRecord._make(other))
        return {k: sorted(v, key=lambda c: c.number) for k, v in out.items()}

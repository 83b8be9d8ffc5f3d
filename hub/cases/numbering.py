"""Human case numbers ``SLRT-<regency>-<year>-<6-digit seq>``, gap-free per regency and year.

The counter row is bumped with one upsert inside the transaction that inserts the case:
the row lock (PostgreSQL) or the write lock (SQLite) orders concurrent intakes, and a
rolled-back intake gives its number back, so numbers have neither gaps nor duplicates.
"""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from hub.cases.models import CaseNumberSequence


def format_case_number(regency_code: str, year: int, seq: int) -> str:
    return f"SLRT-{regency_code}-{year}-{seq:06d}"


async def next_case_number(session: AsyncSession, regency_code: str, year: int) -> str:
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = CaseNumberSequence.__table__
    stmt = (
        insert(table)
        .values(regency_code=regency_code, year=year, last_value=1)
        .on_conflict_do_update(
            index_elements=[table.c.regency_code, table.c.year],
            set_={"last_value": table.c.last_value + 1},
        )
        .returning(table.c.last_value)
    )
    seq = (await session.execute(stmt)).scalar_one()
    return format_case_number(regency_code, year, seq)

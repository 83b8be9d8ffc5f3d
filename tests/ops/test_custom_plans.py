"""PostgreSQL plans every statement of the hub for its own parameters (hub/db/engine.py).

asyncpg prepares each statement; after five runs PostgreSQL may keep a generic plan for it. For
the batch loads (`column IN ($1, ..., $n)`) a generic plan rebuilt the whole list for every row
it scanned: the audit's subject-area lookup of a 50-case page went from 3 ms to 70-100 ms of
database CPU. The test runs one such batch statement more than five times on one connection and
reads PostgreSQL's own count of the plans it used for it, and the setting that decides it.
"""

from __future__ import annotations

from sqlalchemy import column, select, table, text

from hub.db.engine import create_engine
from tests.conftest import PG_URL, requires_postgres

pytestmark = requires_postgres

NUMBERS = [f"3275{n:012d}" for n in range(40)]


async def test_a_batch_statement_run_many_times_is_never_planned_generically() -> None:
    engine = create_engine(PG_URL, pool_size=1, max_overflow=0)
    listed = table("slrt_plan_probe", column("number"))
    stmt = select(listed.c.number).where(listed.c.number.in_(NUMBERS))
    try:
        async with engine.connect() as conn:
            await conn.execute(text("CREATE TEMPORARY TABLE slrt_plan_probe (number varchar(16))"))
            await conn.execute(text("INSERT INTO slrt_plan_probe SELECT '3275' || lpad(g::text, 12, '0') "
                                    "FROM generate_series(1, 5000) g"))
            await conn.execute(text("ANALYZE slrt_plan_probe"))
            for _ in range(8):
                assert len((await conn.execute(stmt)).all()) == 39
            plans = (await conn.execute(text(
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                "WHERE statement LIKE 'SELECT slrt_plan_probe.number%'"))).all()
            mode = await conn.scalar(text("SHOW plan_cache_mode"))
    finally:
        await engine.dispose()
    assert plans, "the batch statement was not prepared"
    generic, custom = plans[0]
    assert (generic, custom) == (0, 8)
    # PostgreSQL's own choice keeps a custom plan for this small probe, but not for the audit's
    # lookup over real tables: the connection must not leave it to that choice.
    assert mode == "force_custom_plan"

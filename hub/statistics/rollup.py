"""Keeping the statistics facts and counts in step with the cases, in the writing transaction.

``refresh(conn, case_ids)`` replaces the fact rows of some cases (derived in SQL, see
``facts.py``) and adds the difference they make to the counts: one upsert of
``n = n + excluded.n`` per changed count, in one sorted statement at the end of the
transaction. Writers on PostgreSQL therefore never lose an increment (the upsert locks the
row) and never deadlock on counts (each takes its count rows in the same order, last).
Counts that do not change (a referral update leaves the case's status counts alone) are
not touched, so most writers do not even meet.

Called for every committed ORM change of a case, its sectors, referrals or their history
(``tracking.py``); ``add`` serves bulk writers (``slrt-hub seed``) and ``rebuild`` the
migration that backfills a database and ``slrt-hub statistics rebuild``. All of it is
synchronous SQLAlchemy on a ``Connection``: async callers use ``run_sync``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, delete, insert, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite

from hub.cases.models import Case
from hub.statistics.facts import TABLES, Calendar
from hub.statistics.models import CaseFact, ReferralFact, Rollup, SectorFact, StatisticsCalendar

DAY, MONTH = "D", "M"
CHUNK = 5000  # ids per statement: well inside both databases' limit of bound parameters
RollupKey = tuple[str, str, date, str, str, str, str]  # measure, span, start, regency, district, village, key


def calendar(conn: Connection) -> Calendar | None:
    row = conn.execute(select(StatisticsCalendar.timezone, StatisticsCalendar.sla_days)
                       .where(StatisticsCalendar.id == 1)).first()
    return Calendar(row.timezone, {k: int(v) for k, v in row.sla_days.items()}) if row else None


def refresh(conn: Connection, case_ids: Iterable[str]) -> None:
    """Bring the facts and counts of these cases up to date with the case tables."""
    cal = calendar(conn)
    if cal is None:
        return  # nothing is maintained: statistics come from the case tables
    ids = sorted(set(case_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        delta: Counter[RollupKey] = Counter()
        for model, derive, columns in TABLES:
            returned = [getattr(model, c) for c in columns]
            old = conn.execute(delete(model).where(model.case_id.in_(chunk)).returning(*returned)).all()
            new = conn.execute(insert(model).from_select(columns, derive(cal, chunk)).returning(*returned)).all()
            delta.update(_counts(model, new))
            delta.subtract(_counts(model, old))
        _write(conn, delta)


def add(conn: Connection, cal: Calendar, case_ids: Sequence[str]) -> None:
    """Facts and counts of cases that have none yet (new cases written in bulk)."""
    for start in range(0, len(case_ids), CHUNK):
        chunk = list(case_ids[start:start + CHUNK])
        delta: Counter[RollupKey] = Counter()
        for model, derive, columns in TABLES:
            returned = [getattr(model, c) for c in columns]
            delta.update(_counts(model, conn.execute(
                insert(model).from_select(columns, derive(cal, chunk)).returning(*returned)).all()))
        _write(conn, delta)


def rebuild(conn: Connection, cal: Calendar) -> int:
    """Derive everything again under ``cal`` (a new database, or a new time zone or SLA targets).

    Run it with the hub stopped: a writer still working under the old calendar would add
    counts of the old kind. Returns the number of cases."""
    for model in (CaseFact, SectorFact, ReferralFact, Rollup, StatisticsCalendar):
        conn.execute(delete(model))
    conn.execute(insert(StatisticsCalendar).values(id=1, timezone=cal.timezone, sla_days=cal.sla_days))
    done, after = 0, None
    while True:
        # In recording order: one chunk's counts fall on a few days, not on every day again.
        page = select(Case.created_at, Case.id).order_by(Case.created_at, Case.id).limit(CHUNK)
        if after is not None:
            page = page.where(tuple_(Case.created_at, Case.id) > after)
        rows = conn.execute(page).all()
        if not rows:
            return done
        add(conn, cal, [r.id for r in rows])
        done += len(rows)
        after = tuple(rows[-1])


def _counts(model: type, rows: Sequence[Any]) -> Counter[RollupKey]:
    counts: Counter[RollupKey] = Counter()
    for row in rows:
        area = (row.regency_code, row.district_code, row.village_code)
        for measure, key in _measures(model, row):
            counts[(measure, DAY, row.day, *area, key)] += 1
            counts[(measure, MONTH, row.day.replace(day=1), *area, key)] += 1
    return counts


def _measures(model: type, row: Any) -> Iterable[tuple[str, str]]:
    """What one fact row counts towards (``served.py`` reads the same names)."""
    if model is ReferralFact:
        yield "referral", f"{row.partner_id}/{_key(row.status)}"
        if row.to_completion_day is not None:
            yield "to_completion", str(row.to_completion_day)
        return
    subject = "" if model is CaseFact else _key(row.sector)
    if model is CaseFact:
        yield "status", _key(row.status)
        yield "channel", _key(row.channel)
        if row.to_referral_day is not None:
            yield "to_referral", str(row.to_referral_day)
    else:
        yield "sector", subject
    # SLA: an open case's breach depends on when one asks, so it is counted as open and
    # decided by the reader; a resolved one's is settled.
    if row.submitted_at is not None and row.target_days is not None:
        if row.resolved_at is None:
            yield "sla_open", subject
        elif row.breached:
            yield "sla_breached", subject


def _key(value: object) -> str:
    return str(getattr(value, "value", value))


def _write(conn: Connection, delta: Counter[RollupKey]) -> None:
    names = ("measure", "span", "period_start", "regency_code", "district_code", "village_code", "key")
    rows = [dict(zip(names, k), n=n) for k, n in sorted(delta.items()) if n]
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(Rollup)
    # Sorted rows, one statement: every writer locks its count rows in the same order.
    conn.execute(stmt.on_conflict_do_update(index_elements=list(names), set_={"n": Rollup.n + stmt.excluded.n}),
                 rows)

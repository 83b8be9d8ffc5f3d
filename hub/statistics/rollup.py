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

from sqlalchemy import ColumnElement, Connection, and_, delete, func, insert, select, true, tuple_
from sqlalchemy.dialects import postgresql, sqlite

from hub.cases.models import Case
from hub.statistics.facts import TABLES, Calendar
from hub.statistics.models import CaseFact, ReferralFact, Rollup, SectorFact, StatisticsCalendar

DAY, MONTH = "D", "M"
CHUNK = 5000  # ids per statement: well inside both databases' limit of bound parameters
WRITE_ROWS = 1000  # count rows per upsert (8 parameters each)
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
            delta.subtract(_counts(model, old))
        delta.update(_derive(conn, cal, Case.id.in_(chunk)))
        _write(conn, delta)


def add(conn: Connection, cal: Calendar, case_ids: Sequence[str]) -> None:
    """Facts and counts of cases that have none yet (new cases written in bulk)."""
    _bulk(conn)
    for start in range(0, len(case_ids), CHUNK):
        _write(conn, _derive(conn, cal, Case.id.in_(case_ids[start:start + CHUNK])))


def _derive(conn: Connection, cal: Calendar, cases: ColumnElement[bool]) -> Counter[RollupKey]:
    """Insert the facts of the selected cases; what they count."""
    counts: Counter[RollupKey] = Counter()
    for model, derive, columns in TABLES:
        returned = [getattr(model, c) for c in columns]
        counts.update(_counts(model, conn.execute(
            insert(model).from_select(columns, derive(cal, cases)).returning(*returned)).all()))
    return counts


def _bulk(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        # Compiling thousands-of-rows statements to machine code costs more than it saves here.
        conn.exec_driver_sql("SET LOCAL jit = off")


def rebuild(conn: Connection, cal: Calendar) -> int:
    """Derive everything again under ``cal`` (a new database, or a new time zone or SLA targets).

    Run it with the hub stopped: a writer still working under the old calendar would add
    counts of the old kind. Returns the number of cases."""
    for model in (CaseFact, SectorFact, ReferralFact, Rollup, StatisticsCalendar):
        conn.execute(delete(model))
    conn.execute(insert(StatisticsCalendar).values(id=1, timezone=cal.timezone, sla_days=cal.sla_days))
    _bulk(conn)
    key = tuple_(Case.created_at, Case.id)
    after: Any = None
    while True:
        # In recording order, a range of the (created_at, id) index at a time: one chunk's
        # counts fall on a few days, and each fact query walks its cases by key.
        page = select(Case.created_at, Case.id).order_by(Case.created_at, Case.id).offset(CHUNK - 1).limit(1)
        last = conn.execute(page if after is None else page.where(key > after)).first()
        # The plain bounds on created_at let the planner see a small index range; the row
        # comparisons split cases recorded in the same microsecond exactly.
        chunk = [Case.created_at >= after[0], key > after] if after is not None else []
        if last is not None:
            chunk += [Case.created_at <= last[0], key <= tuple(last)]
        _write(conn, _derive(conn, cal, and_(true(), *chunk)))
        if last is None:
            break
        after = tuple(last)
    return int(conn.scalar(select(func.count()).select_from(CaseFact)) or 0)


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
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    # Sorted rows, in statements of many rows: every writer locks its count rows in the same order.
    for start in range(0, len(rows), WRITE_ROWS):
        stmt = dialect.insert(Rollup).values(rows[start:start + WRITE_ROWS])
        conn.execute(stmt.on_conflict_do_update(index_elements=list(names), set_={"n": Rollup.n + stmt.excluded.n}))

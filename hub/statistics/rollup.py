"""Keeping the statistics facts and counts in step with the cases, in the writing transaction.

``refresh(conn, changed)`` replaces the fact rows of some cases (derived in SQL, see
``facts.py``) and adds the difference they make to the counts: one upsert of
``n = n + excluded.n`` per changed count, all of them at the end of the transaction, in
sorted order. Writers on PostgreSQL therefore never lose an increment (the upsert locks the
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
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Connection, and_, bindparam, delete, func, insert, select, text, true, tuple_
from sqlalchemy.dialects import sqlite

from hub.cases.models import Case
from hub.statistics.facts import TABLES, Calendar, FactTable
from hub.statistics.models import CaseFact, ReferralFact, Rollup, SectorFact, StatisticsCalendar

DAY, MONTH = "D", "M"
CHUNK = 5000  # ids per statement: well inside both databases' limit of bound parameters
RollupKey = tuple[str, str, date, str, str, str, str]  # measure, span, start, regency, district, village, key


def calendar(conn: Connection) -> Calendar | None:
    row = conn.execute(select(StatisticsCalendar.timezone, StatisticsCalendar.sla_days)
                       .where(StatisticsCalendar.id == 1)).first()
    return Calendar(row.timezone, {k: int(v) for k, v in row.sla_days.items()}) if row else None


def refresh(conn: Connection, changed: Mapping[FactTable, Iterable[str]] | Iterable[str]) -> None:
    """Bring the facts (of each table, or only of the tables given) of some cases and the counts
    up to date with the case tables."""
    cal = calendar(conn)
    if cal is None:
        return  # nothing is maintained: statistics come from the case tables
    if not isinstance(changed, Mapping):
        changed = dict.fromkeys(TABLES, list(changed))
    delta: Counter[RollupKey] = Counter()
    for table, case_ids in changed.items():
        ids = sorted(set(case_ids))
        for start in range(0, len(ids), CHUNK):
            chunk = {"ids": ids[start:start + CHUNK]}
            old, new = _statements(table, cal)
            delta.subtract(_counts(table.model, conn.execute(old, chunk).all()))
            delta.update(_counts(table.model, conn.execute(new, chunk).all()))
    _write(conn, delta)


@lru_cache(maxsize=16)
def _cached(table: FactTable, timezone: str, targets: tuple[tuple[str, int], ...]) -> tuple[Any, Any]:
    ids = bindparam("ids", expanding=True)
    returned = [getattr(table.model, c) for c in table.columns]
    old = delete(table.model).where(table.model.case_id.in_(ids)).returning(*returned)
    new = (insert(table.model).from_select(table.columns, table.derive(Calendar(timezone, dict(targets)),
                                                                         Case.id.in_(ids))).returning(*returned))
    return old, new


def _statements(table: FactTable, cal: Calendar) -> tuple[Any, Any]:
    """Delete-returning the old facts and insert-returning the new ones, built once per calendar."""
    return _cached(table, cal.timezone, tuple(sorted(cal.sla_days.items())))


def add(conn: Connection, cal: Calendar, case_ids: Sequence[str]) -> None:
    """Facts and counts of cases that have none yet (new cases written in bulk)."""
    _bulk(conn)
    for start in range(0, len(case_ids), CHUNK):
        _write(conn, _derive(conn, cal, Case.id.in_(case_ids[start:start + CHUNK])))


def _derive(conn: Connection, cal: Calendar, cases: ColumnElement[bool]) -> Counter[RollupKey]:
    """Insert the facts of the selected cases; what they count."""
    counts: Counter[RollupKey] = Counter()
    for table in TABLES:
        returned = [getattr(table.model, c) for c in table.columns]
        counts.update(_counts(table.model, conn.execute(
            insert(table.model).from_select(table.columns, table.derive(cal, cases)).returning(*returned)).all()))
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
    pending: Counter[RollupKey] = Counter()
    tz = ZoneInfo(cal.timezone)
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
        pending.update(_derive(conn, cal, and_(true(), *chunk)))
        if last is None:
            break
        after = tuple(last)
        # Days and months no later case can fall on are written now, each count row once.
        today = after[0].astimezone(tz).date()
        done = {k: n for k, n in pending.items() if k[2] < (today if k[1] == DAY else today.replace(day=1))}
        _write(conn, Counter(done))
        for k in done:
            del pending[k]
    _write(conn, pending)
    if conn.dialect.name == "postgresql":
        for model in (CaseFact, SectorFact, ReferralFact, Rollup):  # the planner sees their sizes at once
            conn.exec_driver_sql(f"ANALYZE {model.__tablename__}")
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


NAMES = ("measure", "span", "period_start", "regency_code", "district_code", "village_code", "key")
# PostgreSQL: every changed count in one statement, its rows unnested from one array per column.
_UPSERT_ARRAYS = text(
    "INSERT INTO statistics_rollup (measure, span, period_start, regency_code, district_code, village_code, key, n) "
    "SELECT * FROM unnest(CAST(:measure AS VARCHAR[]), CAST(:span AS VARCHAR[]), CAST(:period_start AS DATE[]), "
    "CAST(:regency_code AS VARCHAR[]), CAST(:district_code AS VARCHAR[]), CAST(:village_code AS VARCHAR[]), "
    "CAST(:key AS VARCHAR[]), CAST(:n AS INTEGER[])) "
    "ON CONFLICT (measure, span, period_start, regency_code, district_code, village_code, key) "
    "DO UPDATE SET n = statistics_rollup.n + excluded.n")


def _write(conn: Connection, delta: Counter[RollupKey]) -> None:
    # Sorted: every writer locks its count rows in the same order, so writers never deadlock.
    changed = sorted((k, n) for k, n in delta.items() if n)
    if not changed:
        return
    if conn.dialect.name == "postgresql":
        columns = list(zip(*(k for k, _ in changed)))
        conn.execute(_UPSERT_ARRAYS, {**{name: list(c) for name, c in zip(NAMES, columns)},
                                      "n": [n for _, n in changed]})
        return
    # SQLite: one prepared statement executed for the rows (in process, no round trips).
    stmt = sqlite.insert(Rollup)
    conn.execute(stmt.on_conflict_do_update(index_elements=list(NAMES), set_={"n": Rollup.n + stmt.excluded.n}),
                 [dict(zip(NAMES, k), n=n) for k, n in changed])

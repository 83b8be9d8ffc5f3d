"""Comparing answers and database states: what differs between the victim's world and nobody's.

An answer is normalised before comparison: the values the request sent become the name of
their kind ("<case_id>"), values the hub makes anew (ids, times, case numbers, cursors) become
a generic mark, the request id goes. Everything else must match exactly: data, errors, their
codes, messages and paths. Before that, the raw answer is scanned for the victim's secrets.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, and_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.db.models import Base

UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
TIME = re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)?")
CASE_NUMBER = re.compile(r"\bSLRT-\d{4}-\d{4}-\d+\b")
CURSOR_KEYS = {"cursor", "endCursor"}
DROPPED_KEYS = {"requestId", "request_id"}
# Tables whose existing rows a well-behaved write in one's own area updates (a counter): they
# are compared between the two worlds instead of required unchanged.
# `statistics_rollup` holds sums per village and day, derived from the per-case facts
# (`statistics_case_facts` & co., keyed by case and checked like any row): one's own intake adds
# to one's own village's sums.
COUNTERS = {"case_number_sequences", "statistics_rollup"}
UNTOUCHED = {"areas", "alembic_version"}


def normalised(answer: Any, sent: dict[str, str]) -> Any:
    if isinstance(answer, dict):
        return {k: ("<cursor>" if k in CURSOR_KEYS and isinstance(v, str) else normalised(v, sent))
                for k, v in answer.items() if k not in DROPPED_KEYS}
    if isinstance(answer, list):
        return [normalised(v, sent) for v in answer]
    if isinstance(answer, str):
        for value in sorted(sent, key=len, reverse=True):  # longest first: a NIK inside a message
            if value:
                answer = answer.replace(value, f"<{sent[value]}>")
        answer = UUID.sub("<new-id>", answer)
        answer = TIME.sub("<time>", answer)
        return CASE_NUMBER.sub("<new-number>", answer)
    return answer


def leaked(answer: Any, secrets: set[str], sent: dict[str, str]) -> set[str]:
    """The victim's secrets in the answer (cursors decoded too), except what the request sent."""
    text = json.dumps(answer, ensure_ascii=False)
    text += " ".join(_decoded(s) for s in _strings(answer))
    return {s for s in secrets if s not in sent and s in text}


def internal_errors(answer: Any) -> list[Any]:
    errors = answer.get("errors") or [] if isinstance(answer, dict) else []
    return [e for e in errors if (e.get("extensions") or {}).get("code") == "INTERNAL"]


def nested_errors(answer: Any) -> list[Any]:
    """Errors of a field inside the answer, which null their parent object (not errors of the
    operation itself, nor of one item of its list)."""
    errors = answer.get("errors") or [] if isinstance(answer, dict) else []
    return [(e["path"], (e.get("extensions") or {}).get("code")) for e in errors
            if len(e.get("path") or ()) > 1 and isinstance(e["path"][-1], str)]


def _decoded(value: str) -> str:
    if len(value) < 12 or not re.fullmatch(r"[A-Za-z0-9_\-=+/]+", value):
        return ""
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return ""


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


Rows = dict[str, dict[tuple[Any, ...], tuple[Any, ...]]]


async def snapshot(engine: AsyncEngine) -> Rows:
    """Every row of every table of the hub, by primary key."""
    rows: Rows = {}
    async with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name in UNTOUCHED:
                continue
            keys = [c.name for c in table.primary_key.columns]
            result = await conn.execute(select(table))
            rows[table.name] = {tuple(r._mapping[k] for k in keys): tuple(_plain(v) for v in r) for r in result}
    return rows


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


@dataclass
class Change:
    added: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    changed: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    removed: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)

    @property
    def shape(self) -> dict[str, Any]:
        """What happened, without the values: comparable between the two worlds."""
        return {"added": {t: len(r) for t, r in self.added.items()},
                "changed": {t: len(r) for t, r in self.changed.items()},
                "removed": {t: len(r) for t, r in self.removed.items()}}

    def shape_nonempty(self) -> dict[str, Any]:
        return {k: v for k, v in self.shape.items() if v}

    def touches(self, before: Rows) -> dict[str, list[tuple[Any, ...]]]:
        """Existing rows changed or removed, other than counters."""
        found = {t: r for t, r in self.changed.items() if t not in COUNTERS}
        found.update({t: r for t, r in self.removed.items() if r})
        return {t: [before[t][k] for k in r] for t, r in found.items() if r}

    def refers_to(self, ids: set[str]) -> list[tuple[Any, ...]]:
        """Added rows holding one of ``ids`` (a new row linked to a victim's record)."""
        return [row for rows in self.added.values() for row in rows if set(map(str, row)) & ids]


def diff(before: Rows, after: Rows) -> Change:
    change = Change()
    for table in after:
        old, new = before.get(table, {}), after[table]
        if added := [new[k] for k in new.keys() - old.keys()]:
            change.added[table] = added
        if changed := [k for k in new.keys() & old.keys() if new[k] != old[k]]:
            change.changed[table] = changed
        if removed := list(old.keys() - new.keys()):
            change.removed[table] = removed
    return change


async def restore(engine: AsyncEngine, before: Rows, after: Rows) -> None:
    """Undo what a write did: new rows deleted (children first), counters set back."""
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    async with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name in UNTOUCHED:
                continue
            for key in after[table.name].keys() - before[table.name].keys():
                await conn.execute(table.delete().where(_key(table, key)))
        for name in COUNTERS:
            for key, row in before[name].items():
                if after[name].get(key) != row:
                    # the key (raw values) selects the row; the counts are plain numbers
                    values = {c.name: v for c, v in zip(tables[name].columns, row, strict=True) if not c.primary_key}
                    await conn.execute(tables[name].update().where(_key(tables[name], key)).values(values))


def _key(table: Table, key: tuple[Any, ...]) -> Any:
    return and_(*(c == v for c, v in zip(table.primary_key.columns, key, strict=True)))

"""Migration 0005 on an SQLite database holding families: the table rebuild keeps every row and
key, and afterwards a KK number is unique among registered households only."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from hub.db.migrate import upgrade

ROWS = [
    "INSERT INTO households VALUES ('h1','3275020303219580','Jl. A','001','002','3275021005','2026-01-01','2026-01-01')",
    "INSERT INTO persons VALUES ('p1','3275020101809130','Budi','1980-01-01','M','HEAD','h1','2026-01-01','2026-01-01')",
    "INSERT INTO cases (id, number, regency_code, district_code, village_code, channel, status, priority, complaint,"
    " household_id, recorded_by, recorder_role, version, created_at, updated_at) VALUES ('c1',"
    " 'SLRT-3275-2026-000001','3275','327502','3275021005','FACILITATOR','DRAFT','NORMAL','x','h1','f',"
    " 'FACILITATOR',1,'2026-01-01','2026-01-01')",
    "INSERT INTO case_subjects VALUES ('c1','p1',0)",
]


async def test_upgrade_keeps_households_people_and_their_cases(tmp_path: Path) -> None:
    path = tmp_path / "existing.db"
    url = f"sqlite+aiosqlite:///{path}"
    await asyncio.to_thread(upgrade, url, "0004")
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA foreign_keys=ON")
        for row in ROWS:
            db.execute(row)

    await asyncio.to_thread(upgrade, url)

    with sqlite3.connect(path) as db:
        db.execute("PRAGMA foreign_keys=ON")
        assert db.execute("SELECT id, kk_number, pending_move FROM households").fetchall() == [
            ("h1", "3275020303219580", 0)]
        assert db.execute("SELECT id, household_id, pending_move FROM persons").fetchall() == [("p1", "h1", 0)]
        assert db.execute("SELECT household_id FROM cases").fetchall() == [("h1",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        copy = ("INSERT INTO households VALUES (?, '3275020303219580', 'Jl. B', NULL, NULL, '3275021005',"
                " '2026-01-02', '2026-01-02', ?)")
        db.execute(copy, ("h2", 1))  # a pending copy of a registered family card
        with pytest.raises(sqlite3.IntegrityError):
            db.execute(copy, ("h3", 0))  # a second registered one

"""An SQLite database in use since migration 0005 (families, a partner, its programme, a referral)
upgrades to head in one run: the table rebuilds of later migrations keep every row and every key
although the partners and programmes they drop and copy are referenced."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from hub.db.migrate import upgrade
from tests.security.test_intake_migration import ROWS

# Since 0005 households and persons end with a pending_move column.
FAMILY_ROWS = [row.replace("','2026-01-01','2026-01-01')", "','2026-01-01','2026-01-01',0)") for row in ROWS]

REFERRAL_ROWS = [
    "INSERT INTO partners (id, name, sectors, webhook_url, secret, active, created_at, updated_at) VALUES"
    " ('pa1','Dinas Sosial','[\"SOCIAL\"]','https://dinsos.example/hook','whsec_x',1,'2026-01-01','2026-01-01')",
    "INSERT INTO programmes VALUES ('PKH','Program Keluarga Harapan','SOCIAL','NATIONAL','pa1')",
    "INSERT INTO referrals (id, case_id, programme_code, partner_id, reason, status, created_by, created_at,"
    " updated_at, version) VALUES ('r1','c1','PKH','pa1','x','REQUESTED','f','2026-01-01','2026-01-01',1)",
]


async def test_populated_database_upgrades_to_head_in_one_run(tmp_path: Path) -> None:
    path = tmp_path / "in-use.db"
    url = f"sqlite+aiosqlite:///{path}"
    await asyncio.to_thread(upgrade, url, "0005_pending_household_moves")
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA foreign_keys=ON")
        for row in FAMILY_ROWS + REFERRAL_ROWS:
            db.execute(row)

    await asyncio.to_thread(upgrade, url)

    with sqlite3.connect(path) as db:
        assert db.execute("SELECT id, webhook_url FROM partners").fetchall() == [("pa1", "https://dinsos.example/hook")]
        assert db.execute("SELECT code, partner_id FROM programmes").fetchall() == [("PKH", "pa1")]
        assert db.execute("SELECT id, case_id, programme_code, partner_id FROM referrals").fetchall() == [
            ("r1", "c1", "PKH", "pa1")]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []

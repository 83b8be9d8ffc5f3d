"""A process that refers every given case to every given programme (the crash test kills it).

``python -m tests.referrals.refer_many CASE_IDS_FILE CODE...`` with SLRT_DATABASE_URL set;
referrals that already exist (CONFLICT) are skipped, so a restart carries on where it died.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from auth.principal import Actor
from auth.roles import DEFAULT_SCOPES, Role
from hub.cases.errors import ErrorCode, Rejected
from hub.container import Hub
from hub.referrals.commands import CreateReferral
from hub.settings import Settings


async def main(case_ids: list[str], codes: list[str]) -> None:
    hub = await Hub.start(Settings())
    actor = Actor(subject="back-office-crash", role=Role.BACK_OFFICE, scopes=DEFAULT_SCOPES[Role.BACK_OFFICE],
                  area="3275")
    try:
        for case_id in case_ids:
            for code in codes:
                result = await hub.referrals.create(actor, CreateReferral(case_id, code, "crash test"))
                if isinstance(result, Rejected) and result.errors[0].code is not ErrorCode.CONFLICT:
                    raise SystemExit(f"unexpected: {result}")
    finally:
        await hub.close()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]).read_text().split(), sys.argv[2:]))

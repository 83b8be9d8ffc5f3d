"""What a seed run continues from: serials and case numbers in use, partners to refer to."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from hub.cases.models import CaseNumberSequence
from hub.db.base import new_id
from hub.demo.partners import AGENCIES
from hub.people.models import Household, Person
from hub.referrals.models import Partner, Programme
from hub.referrals.partners import new_signing_secret
from hub.seed.people import FIRST_SERIAL, Serials


async def used_serials(conn: AsyncConnection) -> Serials:
    """The next free synthetic serial per prefix, so a second run never repeats a NIK or KK."""
    serials = Serials()
    floor = str(FIRST_SERIAL)[:2]
    for column in (Household.kk_number, Person.nik):
        prefix, serial = func.substr(column, 1, 12), func.substr(column, 13, 4)
        stmt = select(prefix, func.max(serial)).where(func.substr(column, 13, 2) == floor).group_by(prefix)
        for p, last in (await conn.execute(stmt)).all():
            serials.next_free[p] = max(serials.next_free.get(p, FIRST_SERIAL), int(last) + 1)
    return serials


async def last_case_numbers(conn: AsyncConnection, regency: str) -> dict[int, int]:
    seq = CaseNumberSequence
    rows = await conn.execute(select(seq.year, seq.last_value).where(seq.regency_code == regency))
    return {int(year): int(last) for year, last in rows.all()}


async def save_case_numbers(conn: AsyncConnection, regency: str, last: dict[int, int]) -> None:
    """Move each year's counter up to the last number used, so intake continues after it.

    Never down: parallel jobs commit their batches in any order.
    """
    seq = CaseNumberSequence
    stored = await last_case_numbers(conn, regency)
    for year, value in last.items():
        if year in stored:
            await conn.execute(update(seq).where(seq.regency_code == regency, seq.year == year,
                                                 seq.last_value < value).values(last_value=value))
        else:
            await conn.execute(insert(seq).values(regency_code=regency, year=year, last_value=value))


async def partners_by_programme(conn: AsyncConnection, now: datetime) -> dict[str, str]:
    """programme code → partner id; registers the Bekasi agencies of the demo when missing.

    Seeded agencies get an unroutable ``.invalid`` webhook URL: seeded referrals count as
    delivered long ago and have no outbox message, so nothing is ever sent to them.
    """
    found: dict[str, str] = {code: pid for code, pid in (await conn.execute(
        select(Programme.code, Programme.partner_id).where(Programme.partner_id.is_not(None)))).all() if pid}
    names = set((await conn.execute(select(Partner.name))).scalars().all())
    for agency in AGENCIES:
        if agency.name in names or all(p.code in found for p in agency.programmes):
            continue
        pid = new_id()
        await conn.execute(insert(Partner).values(
            id=pid, name=agency.name, sectors=[s.value for s in agency.sectors],
            webhook_url=f"https://{agency.slug}.partner.invalid/slrt/{secrets.token_hex(4)}",
            secret=new_signing_secret(), active=True, created_at=now, updated_at=now))
        for p in agency.programmes:
            if p.code not in found:
                await conn.execute(insert(Programme).values(
                    code=p.code, name=p.name, sector=p.sector.value, level=p.level.value, partner_id=pid))
                found[p.code] = pid
    return found

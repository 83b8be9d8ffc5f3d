"""The area tree, small enough (a regency has ~70 areas) to keep in memory after start-up."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.areas.models import Area
from hub.vocabulary import AreaLevel


@dataclass(frozen=True, slots=True)
class AreaInfo:
    code: str
    name: str
    level: AreaLevel
    parent_code: str | None
    pilot_2020: bool


class AreaDirectory:
    def __init__(self, areas: list[AreaInfo]) -> None:
        self._by_code = {a.code: a for a in areas}

    @classmethod
    async def load(cls, session: AsyncSession) -> AreaDirectory:
        rows = (await session.scalars(select(Area))).all()
        return cls([AreaInfo(r.code, r.name, r.level, r.parent_code, r.pilot_2020) for r in rows])

    def get(self, code: str) -> AreaInfo | None:
        return self._by_code.get(code)

    def is_village(self, code: str) -> bool:
        area = self._by_code.get(code)
        return area is not None and area.level is AreaLevel.VILLAGE

    def children(self, parent_code: str | None) -> list[AreaInfo]:
        return sorted((a for a in self._by_code.values() if a.parent_code == parent_code), key=lambda a: a.code)

    def villages(self, pilot_only: bool = False) -> list[AreaInfo]:
        return sorted(
            (a for a in self._by_code.values() if a.level is AreaLevel.VILLAGE and (a.pilot_2020 or not pilot_only)),
            key=lambda a: a.code,
        )


def reference_areas() -> list[AreaInfo]:
    """Kota Bekasi's areas as shipped in ``hub/data/bekasi_areas.csv``."""
    text = resources.files("hub").joinpath("data/bekasi_areas.csv").read_text(encoding="utf-8")
    return [
        AreaInfo(
            code=row["code"],
            name=row["name"],
            level=AreaLevel(row["level"]),
            parent_code=row["parent_code"] or None,
            pilot_2020=row["pilot_2020"] == "yes",
        )
        for row in csv.DictReader(text.splitlines())
    ]


async def load_reference_areas(session: AsyncSession) -> int:
    """Insert the reference areas not yet stored; returns how many were added."""
    existing = set((await session.scalars(select(Area.code))).all())
    added = 0
    for area in reference_areas():  # parents precede children in the file
        if area.code in existing:
            continue
        session.add(Area(code=area.code, name=area.name, level=area.level,
                         parent_code=area.parent_code, pilot_2020=area.pilot_2020))
        added += 1
    await session.flush()
    return added

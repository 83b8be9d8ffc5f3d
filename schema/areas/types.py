from __future__ import annotations

import strawberry

from hub.areas.codes import dotted
from hub.areas.directory import AreaInfo
from schema.enums import AreaLevel


@strawberry.type(description="A Kemendagri area; `code` without dots, `dottedCode` as printed (32.75.02.1005)")
class Area:
    code: strawberry.ID
    name: str
    level: AreaLevel
    parent_code: strawberry.ID | None
    pilot_2020: bool = strawberry.field(description="one of Kota Bekasi's nine 2020 SLRT pilot villages")

    @strawberry.field
    def dotted_code(self) -> str:
        return dotted(str(self.code))

    @classmethod
    def from_info(cls, a: AreaInfo) -> Area:
        return cls(code=strawberry.ID(a.code), name=a.name, level=a.level,
                   parent_code=strawberry.ID(a.parent_code) if a.parent_code else None, pilot_2020=a.pilot_2020)

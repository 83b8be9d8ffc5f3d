"""PUPR: habitability of a household's house (RTLH) and BSPS grants (`Household.housing`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import strawberry

from connectors.sdk import Connector, ConnectorRecord, ConnectorSettings, Entity, Http


class PuprSettings(ConnectorSettings):
    """`SLRT_CONNECTOR_PUPR_*`."""


@strawberry.type(description="The house of a household in the PUPR housing survey (RTLH data).")
class Housing(ConnectorRecord):
    habitable: bool = strawberry.field(description="False = rumah tidak layak huni (RTLH).")
    condition_score: int = strawberry.field(description="0 (worst) .. 100; below 50 is RTLH.")
    roof: str
    wall: str
    floor: str
    bsps_year: int | None = strawberry.field(
        default=None, description="Year a BSPS grant was received, if any."
    )

    @classmethod
    def from_wire(cls, row: Mapping[str, Any]) -> Housing:
        bsps = row.get("bsps")
        return cls(
            habitable=row["kelayakan"] == "LAYAK HUNI",
            condition_score=int(row["skor_kondisi"]),
            roof=row["kondisi"]["atap"],
            wall=row["kondisi"]["dinding"],
            floor=row["kondisi"]["lantai"],
            bsps_year=int(bsps["tahun"]) if bsps else None,
        )


class Pupr(Connector[PuprSettings]):
    """A household whose house was never surveyed is not found."""

    name = "pupr"
    settings_class = PuprSettings
    extends = Entity.HOUSEHOLD
    field = "housing"
    record_type = Housing
    description = "Housing habitability and BSPS (PUPR)"
    personal_data = False  # no names, addresses or identity/card numbers

    async def fetch_many(self, keys: Sequence[str], http: Http) -> Mapping[str, Housing]:
        body = await http.post_json("rtlh/batch", {"no_kk": list(keys)})
        return {row["no_kk"]: Housing.from_wire(row) for row in body["data"]}

"""SIKS-NG: a household's DTSEN registration, welfare decile and social assistance (`Household.welfare`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import strawberry

from connectors.sdk import Connector, ConnectorRecord, ConnectorSettings, Entity, Http


class SiksNgSettings(ConnectorSettings):
    """`SLRT_CONNECTOR_SIKS_NG_*`; the ministry gateway uses OAuth2 client credentials."""


@strawberry.type(
    description="The household in the national welfare register (DTSEN, formerly DTKS), from SIKS-NG."
)
class Welfare(ConnectorRecord):
    in_dtsen: bool
    decile: int | None = strawberry.field(
        default=None, description="Welfare decile (desil) 1 = poorest .. 10."
    )
    programmes: list[str] = strawberry.field(
        default_factory=list, description="Active assistance: PKH, BPNT, PBI_JK..."
    )
    last_updated: date | None = None

    @classmethod
    def from_wire(cls, row: Mapping[str, Any]) -> Welfare:
        registered = row["STATUS_DTSEN"] == "TERDAFTAR"
        return cls(
            in_dtsen=registered,
            decile=int(row["DESIL"]) if registered and row.get("DESIL") is not None else None,
            programmes=[b["PROGRAM"] for b in row.get("BANSOS", []) if b["STATUS"] == "AKTIF"],
            last_updated=date.fromisoformat(row["TGL_PEMUTAKHIRAN"]) if row.get("TGL_PEMUTAKHIRAN") else None,
        )


class SiksNg(Connector[SiksNgSettings]):
    """Households absent from the answer are not in DTSEN (-> screening suggests DTSEN_USULAN).

    Supports `refer`: a DTSEN registration proposal (usulan) goes to SIKS-NG directly.
    """

    name = "siks_ng"
    settings_class = SiksNgSettings
    extends = Entity.HOUSEHOLD
    field = "welfare"
    record_type = Welfare
    description = "DTSEN welfare register (SIKS-NG)"
    personal_data = False  # no names, addresses or identity/card numbers
    supports_refer = True

    async def fetch_many(self, keys: Sequence[str], http: Http) -> Mapping[str, Welfare]:
        body = await http.post_json("dtsen/keluarga/batch", {"no_kk": list(keys)})
        return {row["NO_KK"]: Welfare.from_wire(row) for row in body["data"]}

    async def refer(self, key: str, programme: str, payload: Mapping[str, Any], http: Http) -> str:
        body = await http.post_json(
            "dtsen/usulan", {"NO_KK": key, "JENIS_USULAN": programme, "ALASAN": payload.get("reason", "")}
        )
        return str(body["ID_USULAN"])

"""BPJS Kesehatan: JKN membership of a person, by NIK (`Person.healthCoverage`)."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import Any

import strawberry

from connectors.sdk import Connector, ConnectorRecord, ConnectorSettings, Entity, Http


class BpjsSettings(ConnectorSettings):
    """`SLRT_CONNECTOR_BPJS_*`; production uses `AUTH=api_key` with `API_KEY` (X-API-Key)."""


@strawberry.enum(description="JKN membership segment (jenis peserta).")
class JknSegment(enum.Enum):
    PBI_APBN = "PBI APBN"  # premium paid by the national budget (PBI-JK)
    PBI_APBD = "PBI APBD"  # premium paid by the regional budget
    PBPU = "PBPU"  # self-paying informal worker (mandiri)
    PPU = "PPU"  # wage earner, paid with the employer
    BP = "BP"  # non-worker (pensioner, veteran)


@strawberry.type(description="JKN (national health insurance) coverage, from BPJS Kesehatan.")
class HealthCoverage(ConnectorRecord):
    jkn_number: str
    active: bool
    segment: JknSegment
    care_class: int = strawberry.field(description="Hak kelas rawat: 1, 2 or 3.")
    primary_facility: str = strawberry.field(description="Faskes tingkat pertama (FKTP).")

    @classmethod
    def from_wire(cls, row: Mapping[str, Any]) -> HealthCoverage:
        return cls(
            jkn_number=str(row["noKartu"]),
            active=row["statusPeserta"]["keterangan"] == "AKTIF",
            segment=JknSegment(row["jenisPeserta"]["keterangan"]),
            care_class=int(row["hakKelas"]["kode"]),
            primary_facility=str(row["provUmum"]["nmProvider"]),
        )


class Bpjs(Connector[BpjsSettings]):
    name = "bpjs"
    settings_class = BpjsSettings
    extends = Entity.PERSON
    field = "healthCoverage"
    record_type = HealthCoverage
    description = "JKN health coverage (BPJS Kesehatan)"

    async def fetch_many(self, keys: Sequence[str], http: Http) -> Mapping[str, HealthCoverage]:
        body = await http.post_json("peserta/batch", {"nik": list(keys)})
        return {row["nik"]: HealthCoverage.from_wire(row) for row in body["response"]["peserta"]}

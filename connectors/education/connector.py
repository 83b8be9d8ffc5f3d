"""Education: school enrolment (Dapodik) and PIP school aid of a person (`Person.education`)."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import Any

import strawberry

from connectors.sdk import Connector, ConnectorRecord, ConnectorSettings, Entity, Http


class EducationSettings(ConnectorSettings):
    """`SLRT_CONNECTOR_EDUCATION_*`."""


@strawberry.enum(description="School level (jenjang).")
class SchoolLevel(enum.Enum):
    SD = "SD"  # primary, grades 1-6
    SMP = "SMP"  # junior secondary, grades 7-9
    SMA = "SMA"  # senior secondary (SMA/SMK), grades 10-12


@strawberry.type(description="A pupil as known to Dapodik, with KIP/PIP school aid.")
class Education(ConnectorRecord):
    enrolled: bool
    school: str
    level: SchoolLevel
    grade: int
    kip_holder: bool = strawberry.field(description="Holds a Kartu Indonesia Pintar.")
    pip_received_this_year: bool

    @classmethod
    def from_wire(cls, row: Mapping[str, Any], year: int) -> Education:
        pip = row.get("pip") or []
        return cls(
            enrolled=row["status"] == "AKTIF",
            school=row["sekolah"]["nama"],
            level=SchoolLevel(row["sekolah"]["jenjang"]),
            grade=int(row["tingkat_pendidikan"]),
            kip_holder=bool(row["pemilik_kip"]),
            pip_received_this_year=any(p["tahun"] == year and p["status"] == "SUDAH CAIR" for p in pip),
        )


class EducationConnector(Connector[EducationSettings]):
    """A NIK unknown to Dapodik (never enrolled, or not of school age) is not found."""

    name = "education"
    settings_class = EducationSettings
    extends = Entity.PERSON
    field = "education"
    record_type = Education
    description = "School enrolment and PIP (Dapodik)"
    personal_data = False  # no names, addresses or identity/card numbers

    async def fetch_many(self, keys: Sequence[str], http: Http) -> Mapping[str, Education]:
        body = await http.post_json("peserta-didik/batch", {"nik": list(keys)})
        year = int(body["tahun_anggaran"])
        return {row["nik"]: Education.from_wire(row, year) for row in body["data"]}

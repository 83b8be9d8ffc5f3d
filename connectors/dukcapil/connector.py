"""Dukcapil: verify a NIK against the population database (`Person.civilRegistry`).

What the hub sends: only the NIK. The NIK itself encodes a birth date and sex, so the
connector asks Dukcapil to verify those (`TGL_LHR`, `JENIS_KLMIN`) as claimed by the NIK
and gets back *Sesuai* / *Tidak Sesuai* per field plus the registered record. Names are
not sent upstream (data minimisation); `registeredName` lets the hub compare the name
it holds, and the simulator also answers `NAMA_LGKP` when a caller sends it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import strawberry

from connectors.sdk import Connector, ConnectorRecord, ConnectorSettings, Entity, Http
from connectors.synthetic.nik import birth_and_sex


class DukcapilSettings(ConnectorSettings):
    """`SLRT_CONNECTOR_DUKCAPIL_*`; real access uses a user id + API key (`AUTH=api_key`)."""


@strawberry.enum(description="Dukcapil's per-field verification answer.")
class Verification(enum.Enum):
    MATCH = "Sesuai"
    NO_MATCH = "Tidak Sesuai"


# answer -> member: a dict lookup, not `Verification(answer)` (the enum's own lookup, several
# times slower, up to four per record); an unknown answer raises KeyError, a malformed body
_VERIFICATION = {member.value: member for member in Verification}


@strawberry.type(description="The person as registered in the civil registry (Dukcapil).")
class CivilRegistry(ConnectorRecord):
    nik_match: Verification
    birth_date_match: Verification | None = None
    sex_match: Verification | None = None
    name_match: Verification | None = None
    registered_name: str
    birth_place: str
    birth_date: date
    sex: str = strawberry.field(description="M or F")
    kk_number: str
    address: str
    rt: str
    rw: str
    village: str
    district: str
    alive: bool

    @classmethod
    def from_wire(cls, row: Mapping[str, Any]) -> CivilRegistry:
        data, verified = row["DATA"], row["VERIFIKASI"]

        def answer(field_name: str) -> Verification | None:
            return _VERIFICATION[verified[field_name]] if field_name in verified else None

        return cls(
            nik_match=_VERIFICATION[verified["NIK"]],
            birth_date_match=answer("TGL_LHR"),
            sex_match=answer("JENIS_KLMIN"),
            name_match=answer("NAMA_LGKP"),
            registered_name=data["NAMA_LGKP"],
            birth_place=data["TMPT_LHR"],
            birth_date=_wire_date(data["TGL_LHR"]),
            sex="F" if data["JENIS_KLMIN"] == "PEREMPUAN" else "M",
            kk_number=data["NO_KK"],
            address=data["ALAMAT"],
            rt=data["NO_RT"],
            rw=data["NO_RW"],
            village=data["KEL_NAME"],
            district=data["KEC_NAME"],
            alive=data["STATUS_KEMATIAN"] == "HIDUP",
        )


def _wire_date(text: str) -> date:
    """Dukcapil's DD-MM-YYYY, read as `strptime(text, "%d-%m-%Y")` did (one or two digits of
    day and month), which took most of reading 200 records. A malformed date raises
    ValueError: the runtime treats the body as malformed."""
    day, month, year = text.split("-")
    if not (0 < len(day) <= 2 and 0 < len(month) <= 2 and len(year) == 4 and (day + month + year).isascii()
            and (day + month + year).isdigit()):
        raise ValueError(f"not DD-MM-YYYY: {len(text)} characters")
    return date(int(year), int(month), int(day))


def verification_request(nik: str) -> dict[str, str]:
    """What we claim about a NIK: the birth date and sex it encodes, when it parses."""
    claim = {"NIK": nik}
    found = birth_and_sex(nik)
    if found is not None:
        born, sex = found
        claim["TGL_LHR"] = f"{born.day:02d}-{born.month:02d}-{born.year:04d}"  # DD-MM-YYYY, as strftime wrote it
        claim["JENIS_KLMIN"] = "PEREMPUAN" if sex == "F" else "LAKI-LAKI"
    return claim


class Dukcapil(Connector[DukcapilSettings]):
    name = "dukcapil"
    settings_class = DukcapilSettings
    extends = Entity.PERSON
    field = "civilRegistry"
    record_type = CivilRegistry
    description = "Civil registry verification (Dukcapil)"

    async def fetch_many(self, keys: Sequence[str], http: Http) -> Mapping[str, CivilRegistry]:
        body = await http.post_json("verifikasi/batch", {"data": [verification_request(k) for k in keys]})
        return {
            row["NIK"]: CivilRegistry.from_wire(row)
            for row in body["content"]
            if row["RESPON"] == "Data Ditemukan"
        }

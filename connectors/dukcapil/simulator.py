"""Dukcapil simulator: `POST verifikasi/batch`, answers Sesuai / Tidak Sesuai per field."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from connectors.simkit import STATE, Knobs, simulator_app
from connectors.synthetic import household, person

NOT_FOUND = "Data Tidak Ditemukan"


def _same(a: str, b: str) -> str:
    return "Sesuai" if " ".join(a.upper().split()) == " ".join(b.upper().split()) else "Tidak Sesuai"


def verify(claim: dict[str, str]) -> dict[str, object]:
    nik = str(claim.get("NIK", ""))
    story = person(nik)
    if story is None or not story.known_to_dukcapil:
        return {"NIK": nik, "RESPON": NOT_FOUND}
    home = household(story.kk)
    data = {
        "NIK": nik,
        "NO_KK": story.kk,
        "NAMA_LGKP": story.name,
        "TMPT_LHR": story.birth_place,
        "TGL_LHR": story.registered_birth_date.strftime("%d-%m-%Y"),
        "JENIS_KLMIN": "PEREMPUAN" if story.nik.sex == "F" else "LAKI-LAKI",
        "ALAMAT": home.address,
        "NO_RT": home.rt,
        "NO_RW": home.rw,
        "KEL_NAME": home.village,
        "KEC_NAME": home.district,
        "STATUS_KEMATIAN": "HIDUP" if story.alive else "MATI",
    }
    verified = {"NIK": "Sesuai"}
    for field_name in ("NAMA_LGKP", "TGL_LHR", "JENIS_KLMIN"):
        if field_name in claim:
            verified[field_name] = _same(str(claim[field_name]), str(data[field_name]))
    return {"NIK": nik, "RESPON": "Data Ditemukan", "VERIFIKASI": verified, "DATA": data}


async def batch(request: web.Request) -> web.Response:
    try:
        claims = (await request.json())["data"]
        if not isinstance(claims, list) or not all(isinstance(c, dict) for c in claims):
            raise TypeError
    except (ValueError, KeyError, TypeError) as exc:
        raise web.HTTPBadRequest(text='expected {"data": [{"NIK": ...}, ...]}') from exc
    request.app[STATE].count(len(claims))
    return web.json_response(
        {"content": [verify(c) for c in claims], "lastPage": True, "numberOfElements": len(claims)}
    )


def create_app(knobs: Knobs | None = None) -> web.Application:
    return simulator_app(
        "dukcapil", [web.post("/verifikasi/batch", batch)], Path(__file__).with_name("openapi.json"), knobs
    )

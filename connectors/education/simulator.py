"""Dapodik/PIP simulator: `POST peserta-didik/batch`."""

from __future__ import annotations

import zlib
from datetime import date
from pathlib import Path

from aiohttp import web

from connectors.simkit import Knobs, read_keys, simulator_app
from connectors.synthetic import person


def peserta_didik(nik: str, today: date) -> dict[str, object] | None:
    story = person(nik, today)
    if story is None or story.schooling is None:
        return None
    s = story.schooling
    pip = (
        [{"tahun": today.year, "status": "SUDAH CAIR", "nominal": 450000 if s.level == "SD" else 750000}]
        if s.pip_this_year
        else []
    )
    return {
        "nik": nik,
        "nisn": f"{zlib.crc32(nik.encode()) % 10**10:010d}",
        "nama": story.name,
        "status": "AKTIF" if s.enrolled else "KELUAR",
        "sekolah": {
            "npsn": f"{20200000 + zlib.crc32(s.school.encode()) % 100000}",
            "nama": s.school,
            "jenjang": s.level,
        },
        "tingkat_pendidikan": s.grade,
        "pemilik_kip": s.kip,
        "pip": pip,
    }


async def batch(request: web.Request) -> web.Response:
    niks = await read_keys(request, "nik")
    today = date.today()
    rows = [row for row in (peserta_didik(n, today) for n in niks) if row is not None]
    return web.json_response({"tahun_anggaran": today.year, "data": rows})


def create_app(knobs: Knobs | None = None) -> web.Application:
    return simulator_app(
        "education",
        [web.post("/peserta-didik/batch", batch)],
        Path(__file__).with_name("openapi.json"),
        knobs,
    )

"""BPJS Kesehatan simulator: `POST peserta/batch`, VClaim-like `peserta` records."""

from __future__ import annotations

import zlib
from pathlib import Path

from aiohttp import web

from connectors.simkit import Knobs, read_keys, simulator_app
from connectors.synthetic import person

_CLASS_NAMES = {1: "KELAS I", 2: "KELAS II", 3: "KELAS III"}


def peserta(nik: str) -> dict[str, object] | None:
    story = person(nik)
    if story is None or story.coverage is None:
        return None
    c = story.coverage
    return {
        "nik": nik,
        "noKartu": c.jkn_number,
        "statusPeserta": {
            "kode": "0" if c.active else "1",
            "keterangan": "AKTIF" if c.active else "TIDAK AKTIF",
        },
        "jenisPeserta": {"kode": c.segment.replace(" ", "_"), "keterangan": c.segment},
        "hakKelas": {"kode": str(c.klass), "keterangan": _CLASS_NAMES[c.klass]},
        "provUmum": {
            "kdProvider": f"{zlib.crc32(c.facility.encode()) % 10**8:08d}",
            "nmProvider": c.facility,
        },
    }


async def batch(request: web.Request) -> web.Response:
    niks = await read_keys(request, "nik")
    rows = [row for row in map(peserta, niks) if row is not None]
    return web.json_response({"metaData": {"code": "200", "message": "OK"}, "response": {"peserta": rows}})


def create_app(knobs: Knobs | None = None) -> web.Application:
    return simulator_app(
        "bpjs", [web.post("/peserta/batch", batch)], Path(__file__).with_name("openapi.json"), knobs
    )

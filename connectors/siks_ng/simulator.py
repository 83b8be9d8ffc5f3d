"""SIKS-NG simulator: `POST dtsen/keluarga/batch` and `POST dtsen/usulan`."""

from __future__ import annotations

import hashlib
from pathlib import Path

from aiohttp import web

from connectors.simkit import Knobs, read_keys, simulator_app
from connectors.synthetic import household


def keluarga(kk: str) -> dict[str, object] | None:
    if len(kk) != 16 or not kk.isdigit():
        return None
    story = household(kk)
    if not story.in_dtsen:
        return None
    return {
        "NO_KK": kk,
        "STATUS_DTSEN": "TERDAFTAR",
        "DESIL": story.decile,
        "BANSOS": [{"PROGRAM": p, "STATUS": "AKTIF"} for p in story.programmes],
        "TGL_PEMUTAKHIRAN": story.dtsen_updated.isoformat(),
        "KEL_NAME": story.village,
        "KEC_NAME": story.district,
    }


async def batch(request: web.Request) -> web.Response:
    kks = await read_keys(request, "no_kk")
    return web.json_response({"status": True, "data": [row for row in map(keluarga, kks) if row is not None]})


async def usulan(request: web.Request) -> web.Response:
    body = await request.json()
    kk = str(body.get("NO_KK", ""))
    if len(kk) != 16 or not kk.isdigit():
        raise web.HTTPBadRequest(text="NO_KK must be 16 digits")
    ref = hashlib.sha256(f"usulan:{kk}".encode()).hexdigest()[:10].upper()
    return web.json_response({"status": True, "ID_USULAN": f"USL-{ref}"}, status=201)


def create_app(knobs: Knobs | None = None) -> web.Application:
    routes = [web.post("/dtsen/keluarga/batch", batch), web.post("/dtsen/usulan", usulan)]
    return simulator_app("siks_ng", routes, Path(__file__).with_name("openapi.json"), knobs)

"""PUPR housing simulator: `POST rtlh/batch`."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from connectors.simkit import Knobs, read_keys, simulator_app
from connectors.synthetic import household


def rumah(kk: str) -> dict[str, object] | None:
    if len(kk) != 16 or not kk.isdigit():
        return None
    story = household(kk)
    if not story.surveyed:
        return None
    return {
        "no_kk": kk,
        "kelayakan": "LAYAK HUNI" if story.habitable else "TIDAK LAYAK HUNI",
        "skor_kondisi": story.condition_score,
        "kondisi": {"atap": story.roof, "dinding": story.wall, "lantai": story.floor},
        "bsps": {"tahun": story.bsps_year, "jenis": "PENINGKATAN KUALITAS"} if story.bsps_year else None,
        "kel_name": story.village,
    }


async def batch(request: web.Request) -> web.Response:
    kks = await read_keys(request, "no_kk")
    return web.json_response({"data": [row for row in map(rumah, kks) if row is not None]})


def create_app(knobs: Knobs | None = None) -> web.Application:
    return simulator_app(
        "pupr", [web.post("/rtlh/batch", batch)], Path(__file__).with_name("openapi.json"), knobs
    )

"""GraphiQL served entirely by the hub: the page and every script and style it loads.

The files under ``static/`` are the exact npm releases strawberry's own GraphiQL page loads
from a CDN (same versions, same SHA-384 integrity hashes), so GraphiQL works on an intranet
with no way out, such as a Dinas office network. Their licences are in ``licenses/``.
"""

from __future__ import annotations

from pathlib import Path

from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

HERE = Path(__file__).resolve().parent
PREFIX = "/graphiql"


def page() -> str:
    return (HERE / "index.html").read_text(encoding="utf-8")


def assets_route() -> Mount:
    return Mount(PREFIX, app=StaticFiles(directory=HERE / "static"), name="graphiql-assets")

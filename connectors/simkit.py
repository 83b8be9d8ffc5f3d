"""Shared plumbing of every simulator: knobs, the request counter, control routes.

Each simulator is an `aiohttp.web.Application` built by `simulator_app(name, routes,
openapi)`. Besides its own routes it serves:

- ``POST _control`` JSON ``{"latency_ms": 20, "error_rate": 0.0, "hang": false,
  "malformed": false, "reset_stats": false}`` - any subset; answers the knobs now in force;
- ``GET _stats`` -> ``{"calls": N, "keys": K, "largest": L}``: data requests served so far,
  the keys they asked for, and the most keys one request asked for (control, stats, health
  and openapi routes are not counted);
- ``GET openapi.json`` - the simulator's OpenAPI description;
- ``GET health``.

Knobs apply to data routes only: `latency_ms` is the system's response time - the answer
leaves `latency_ms` after the request arrived, the simulator's own work (synthesising the
records) done inside that time, not added to it; `error_rate` answers 503 with that
probability (seeded, so runs repeat), `hang` waits until the knob is cleared or the app
shuts down, `malformed` answers 200 with a body that is not JSON.

Why "inside": a simulator is a stand-in for a system that looks its records up. Synthesising
200 people takes it 5-20 ms of Python (more on a busy machine), which a sleep *before* the
work added on top of the configured latency: a "20 ms" system answered in 30-45 ms, and a
benchmark of the hub against it measured the simulator (docs/perf/README.md, fan-out).
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# Longest a hanging request is held, so a forgotten knob cannot pin a test run forever.
MAX_HANG_SECONDS = 120.0
_UNCOUNTED = ("_control", "_stats", "openapi.json", "health")


@dataclass
class Knobs:
    latency_ms: float = 0.0
    error_rate: float = 0.0
    hang: bool = False
    malformed: bool = False


@dataclass
class SimulatorState:
    name: str
    knobs: Knobs = field(default_factory=Knobs)
    calls: int = 0
    keys: int = 0
    largest: int = 0  # most keys in one data request
    release: asyncio.Event = field(default_factory=asyncio.Event)
    rng: random.Random = field(default_factory=lambda: random.Random(4242))

    def count(self, keys: int) -> None:
        """Called by data handlers with the number of keys the request asked for."""
        self.keys += keys
        self.largest = max(self.largest, keys)


STATE = web.AppKey("simulator_state", SimulatorState)


@web.middleware
async def knobs_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    state = request.app[STATE]
    if request.path.rstrip("/").endswith(_UNCOUNTED):
        return await handler(request)
    state.calls += 1
    knobs = state.knobs
    loop = asyncio.get_running_loop()
    answer_at = loop.time() + knobs.latency_ms / 1000  # the latency in force when it arrived
    if knobs.hang:
        try:
            await asyncio.wait_for(state.release.wait(), MAX_HANG_SECONDS)
        except TimeoutError:
            pass
    if knobs.error_rate > 0 and state.rng.random() < knobs.error_rate:
        response: web.StreamResponse = web.json_response({"error": "simulated upstream failure"}, status=503)
    elif knobs.malformed:
        await handler(request)  # still counted by the handler
        response = web.Response(text="<html>502 Bad Gateway</html>", content_type="text/html")
    else:
        response = await handler(request)
    if (wait := answer_at - loop.time()) > 0:
        await asyncio.sleep(wait)
    return response


async def _control(request: web.Request) -> web.Response:
    state = request.app[STATE]
    body: dict[str, Any] = await request.json() if request.can_read_body else {}
    if body.pop("reset_stats", False):
        state.calls = state.keys = state.largest = 0
    for name, value in body.items():
        if name not in Knobs.__dataclass_fields__:
            raise web.HTTPBadRequest(text=f"unknown knob {name!r}")
        setattr(state.knobs, name, type(getattr(Knobs(), name))(value))
    # wake requests hanging on the old setting; a new hang waits on a fresh event
    state.release.set()
    state.release = asyncio.Event()
    return web.json_response(asdict(state.knobs))


async def _stats(request: web.Request) -> web.Response:
    state = request.app[STATE]
    return web.json_response({"calls": state.calls, "keys": state.keys, "largest": state.largest})


async def _health(request: web.Request) -> web.Response:
    return web.json_response({"status": "UP", "system": request.app[STATE].name})


async def _release_on_shutdown(app: web.Application) -> None:
    app[STATE].release.set()


def simulator_app(
    name: str, routes: list[web.RouteDef], openapi_file: Path, knobs: Knobs | None = None
) -> web.Application:
    """Build a simulator app: its data `routes` plus the shared control routes."""
    app = web.Application(middlewares=[knobs_middleware])
    app[STATE] = SimulatorState(name, knobs or Knobs())
    spec = json.loads(openapi_file.read_text())

    async def _openapi(request: web.Request) -> web.Response:
        return web.json_response(spec)

    app.add_routes(routes)
    app.add_routes(
        [
            web.post("/_control", _control),
            web.get("/_stats", _stats),
            web.get("/health", _health),
            web.get("/openapi.json", _openapi),
        ]
    )
    app.on_shutdown.append(_release_on_shutdown)
    return app


def state_of(app: web.Application) -> SimulatorState:
    return app[STATE]


async def read_keys(request: web.Request, field_name: str) -> list[str]:
    """Read a batch request's key list; a bad body is the caller's 400."""
    try:
        body = await request.json()
        keys = body[field_name]
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            raise TypeError
    except (ValueError, KeyError, TypeError) as exc:
        raise web.HTTPBadRequest(text=f"expected {{{field_name!r}: [string, ...]}}") from exc
    request.app[STATE].count(len(keys))
    return keys


def run_simulator(factory: Callable[[Knobs | None], web.Application], argv: list[str] | None = None) -> None:
    """Serve one simulator until interrupted: what `python -m <package>.simulator` runs.

    ``--port`` (default 8702, next to `slrt-hub simulators` on 8701), ``--host``,
    ``--latency-ms``; point the connector at it with ``SLRT_CONNECTOR_<NAME>_BASE_URL``.
    """
    import argparse

    parser = argparse.ArgumentParser(description="Serve a connector's simulator.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8702)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    args = parser.parse_args(argv)
    print(f"simulator on http://{args.host}:{args.port}/", flush=True)
    web.run_app(factory(Knobs(latency_ms=args.latency_ms)), host=args.host, port=args.port, print=None)

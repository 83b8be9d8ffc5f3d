"""All built-in simulators in one aiohttp app, each under `/<connector name>/`.

`slrt-hub simulators --port P` (and `slrt-hub demo`) call `run(host, port)` or mount
`create_app()`; a connector then points at `http://host:P/<name>` (the default base URL
of every built-in connector is `http://127.0.0.1:8701/<name>`).

Per simulator, at run time:
- ``POST /<name>/_control`` ``{"latency_ms": 20, "error_rate": 0.1, "hang": true, "malformed": false,
  "reset_stats": true}`` sets knobs (any subset);
- ``GET /<name>/_stats`` -> ``{"calls": N, "keys": K, "largest": L}`` counts data requests
  (upstream calls), the keys they asked for and the most keys in one request;
- ``GET /<name>/openapi.json`` describes its API.
"""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from connectors.bpjs.simulator import create_app as bpjs
from connectors.dukcapil.simulator import create_app as dukcapil
from connectors.education.simulator import create_app as education
from connectors.pupr.simulator import create_app as pupr
from connectors.siks_ng.simulator import create_app as siks_ng
from connectors.simkit import Knobs, SimulatorState, state_of

SimulatorFactory = Callable[[Knobs | None], web.Application]

SIMULATORS: dict[str, SimulatorFactory] = {
    "dukcapil": dukcapil,
    "siks_ng": siks_ng,
    "bpjs": bpjs,
    "education": education,
    "pupr": pupr,
}

SUBAPPS = web.AppKey("simulator_subapps", dict)


def create_app(latency_ms: float = 0.0, only: list[str] | None = None) -> web.Application:
    """One app with every simulator (or those in `only`) mounted under `/<name>/`."""
    root = web.Application()
    subapps: dict[str, web.Application] = {}
    for name, factory in SIMULATORS.items():
        if only is not None and name not in only:
            continue
        subapps[name] = factory(Knobs(latency_ms=latency_ms))
        root.add_subapp(f"/{name}/", subapps[name])

    async def index(request: web.Request) -> web.Response:
        return web.json_response({name: f"/{name}/" for name in subapps})

    root.router.add_get("/", index)
    root[SUBAPPS] = subapps
    return root


def simulator_state(app: web.Application, name: str) -> SimulatorState:
    """Knobs and counters of one simulator in a combined app (for in-process tests)."""
    return state_of(app[SUBAPPS][name])


async def start(host: str = "127.0.0.1", port: int = 0, latency_ms: float = 0.0) -> tuple[web.AppRunner, int]:
    """Serve every simulator in the running loop (port 0 = a free one); returns the runner
    (``await runner.cleanup()`` stops it) and the port it listens on."""
    runner = web.AppRunner(create_app(latency_ms), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    return runner, runner.addresses[0][1]


def run(host: str = "127.0.0.1", port: int = 8701, latency_ms: float = 0.0) -> None:
    """Serve every simulator on one port until interrupted."""
    web.run_app(create_app(latency_ms), host=host, port=port, print=None)

"""The demo's sector systems: every simulator in a background thread of the demo process.

uvicorn owns the main event loop, so the simulators get their own loop in a daemon
thread; they stop with the process. Connectors are pointed at them through
``SLRT_CONNECTOR_<NAME>_BASE_URL`` unless the environment already points them elsewhere.
"""

from __future__ import annotations

import asyncio
import os
import threading

from connectors.sdk.settings import env_prefix
from connectors.simulators import SIMULATORS, start


def start_in_thread(host: str = "127.0.0.1", port: int = 0, timeout: float = 10.0) -> int:
    """Start the simulators; returns their port once they listen."""
    ready = threading.Event()
    found: dict[str, int | BaseException] = {}

    def serve() -> None:
        loop = asyncio.new_event_loop()
        try:
            _runner, found["port"] = loop.run_until_complete(start(host, port))
        except BaseException as exc:  # noqa: BLE001 - reported to the starting thread
            found["error"] = exc
            ready.set()
            return
        ready.set()
        loop.run_forever()

    threading.Thread(target=serve, name="slrt-simulators", daemon=True).start()
    if not ready.wait(timeout):
        raise RuntimeError("the simulators did not start")
    if "error" in found:
        raise RuntimeError(f"the simulators did not start: {found['error']}")
    return int(found["port"])  # type: ignore[arg-type]


def point_connectors_at(host: str, port: int) -> dict[str, str]:
    """Set each built-in connector's base URL to its simulator, unless already configured."""
    urls = {}
    for name in SIMULATORS:
        key = f"{env_prefix(name)}BASE_URL"
        urls[name] = os.environ.setdefault(key, f"http://{host}:{port}/{name}")
    return urls

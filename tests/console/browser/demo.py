"""A real `slrt-hub demo` process for the console's browser tests, and a GraphQL caller on it."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

SETTLE_SECONDS = 90


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def slrt_hub() -> str:
    return shutil.which("slrt-hub", path=str(Path(sys.executable).parent)) or "slrt-hub"


@dataclass
class Demo:
    url: str
    data_dir: Path
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    simulators: str = ""

    def token(self, account: str) -> str:
        r = httpx.post(f"{self.url}/console/demo/token", json={"account": account}, timeout=10)
        r.raise_for_status()
        return str(r.json()["accessToken"])

    def graphql(self, account: str, query: str, **variables: Any) -> dict[str, Any]:
        r = httpx.post(f"{self.url}/graphql", json={"query": query, "variables": variables},
                       headers={"authorization": f"Bearer {self.token(account)}"}, timeout=30)
        r.raise_for_status()
        body = r.json()
        assert not body.get("errors"), body
        return dict(body["data"])

    @property
    def database_url(self) -> str:
        return f"sqlite+aiosqlite:///{(self.data_dir / 'demo.db').resolve()}"


def start_demo(data_dir: Path) -> Demo:
    port = free_port()
    # The demo decides its own settings; nothing of the test run's SLRT_* may leak into it.
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLRT_")}
    process = subprocess.Popen([slrt_hub(), "demo", "--port", str(port), "--data-dir", str(data_dir)], cwd=data_dir,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    demo = Demo(f"http://127.0.0.1:{port}", data_dir, process)
    assert process.stdout is not None

    def drain() -> None:
        for line in process.stdout:  # type: ignore[union-attr]
            demo.lines.append(line.rstrip("\n"))

    threading.Thread(target=drain, daemon=True).start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("slrt-hub demo exited:\n" + "\n".join(demo.lines[-40:]))
        try:
            if httpx.get(f"{demo.url}/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    else:
        stop_demo(demo)
        raise RuntimeError("slrt-hub demo did not answer:\n" + "\n".join(demo.lines[-40:]))
    demo.simulators = next(line.split("simulators: ", 1)[1].split(" ", 1)[0] for line in demo.lines
                           if line.startswith("sector-system simulators: "))
    settle(demo)
    return demo


def settle(demo: Demo) -> None:
    """Wait until the demo's webhook partners have worked their first referrals to the end, so
    the counts the tests compare do not move under them."""
    query = "{ referrals(filter: { status: [REQUESTED, ACCEPTED, IN_PROGRESS, ON_HOLD] }, first: 100) { " \
            "edges { node { programme { code partner { portalOnly } } } } } }"
    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline:
        edges = demo.graphql("back-office", query)["referrals"]["edges"]
        if all(e["node"]["programme"]["partner"]["portalOnly"] for e in edges):
            return
        time.sleep(1)
    raise RuntimeError("the demo's partner systems did not finish their referrals")


def stop_demo(demo: Demo) -> None:
    if demo.process.poll() is None:
        os.killpg(demo.process.pid, signal.SIGTERM)
        try:
            demo.process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(demo.process.pid, signal.SIGKILL)
            demo.process.wait(10)

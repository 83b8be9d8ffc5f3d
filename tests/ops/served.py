"""``slrt-hub serve`` as a real process on 127.0.0.1, its JSON log lines captured from stderr."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from hub.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServedHub:
    def __init__(self, settings: Settings, log_path: Path, serve_args: tuple[str, ...] = (), **env: str) -> None:
        self.serve_args = serve_args  # e.g. ("--workers", "2")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("SLRT_")},
            # the test's database and signing keys, so the test's tokens are valid here
            "SLRT_DATABASE_URL": settings.database_url, "SLRT_DATA_DIR": str(settings.data_dir),
            "SLRT_PUBLIC_URL": settings.public_url, "SLRT_ALLOW_PRIVATE_WEBHOOKS": "true",
            "SLRT_DELIVERY_POLL_SECONDS": "0.05", "SLRT_RATE_LIMIT": "10000/minute", **env,
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.probe_ids: set[str] = set()  # the readiness polls' own requests, also in the log

    async def start(self) -> ServedHub:
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: ASYNC220 - starts it, does not wait
                [sys.executable, "-c", "from hub.cli import main; main()", "serve", "--port", str(self.port),
                 *self.serve_args],
                env=self.env, stdout=log, stderr=subprocess.STDOUT)
        async with httpx.AsyncClient(base_url=self.url) as client:
            for attempt in range(300):  # a bound only so a broken start fails instead of hanging
                if self.process.poll() is not None:
                    raise AssertionError(f"slrt-hub serve exited: {self.log_path.read_text()}")
                probe = f"startup-probe-{attempt:04d}"
                self.probe_ids.add(probe)
                try:
                    if (await client.get("/healthz", headers={"x-request-id": probe})).status_code == 200:
                        return self
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        raise AssertionError("slrt-hub serve did not start")

    async def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            await asyncio.to_thread(self.process.wait, 30)

    def log_text(self) -> str:
        return self.log_path.read_text()

    def log_lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.log_text().splitlines() if line.strip()]

"""Start and stop real server processes on loopback for the benchmarks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SLRT_HUB = str(Path(sys.executable).with_name("slrt-hub"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(argv: list[str], env: dict[str, str], ready_url: str, cwd: Path = ROOT, timeout: float = 60) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(argv, env={**os.environ, **env}, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{argv} exited with {proc.returncode}")
        try:
            if httpx.get(ready_url, timeout=1).status_code < 500:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop(proc)
    raise RuntimeError(f"{argv} not ready after {timeout} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group (uvicorn's workers too), SIGKILL after 10 s."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def hub_env(database_url: str, keys_dir: Path) -> dict[str, str]:
    return {"SLRT_DATABASE_URL": database_url, "SLRT_DATA_DIR": str(keys_dir), "SLRT_RATE_LIMIT": "1000000/minute",
            "SLRT_DELIVERY_EMBEDDED": "false", "SLRT_ALLOW_PRIVATE_WEBHOOKS": "true",
            "SLRT_PUBLIC_URL": "http://127.0.0.1:8000"}

"""``slrt-hub demo`` as a newcomer runs it: a real process in its own working directory."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
CLI = [sys.executable, "-c", "from hub.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without the test run's SLRT_* settings, plus ``extra``."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("SLRT_")}, **extra}


def cli(*args: str, cwd: Path, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


class Demo:
    """``slrt-hub demo --port <free port>`` started in ``workdir``, stopped with SIGTERM."""

    def __init__(self, workdir: Path, *args: str, **env: str) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = clean_env(**env)
        self.args = ["demo", "--port", str(self.port), *args]
        self.stdout_path = workdir / "demo.stdout"
        self.stderr_path = workdir / "demo.stderr"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Demo:
        # Output goes to files: the JSON logs would fill a pipe nobody reads and stall the demo.
        with self.stdout_path.open("wb") as out, self.stderr_path.open("wb") as err:
            self.process = subprocess.Popen([*CLI, *self.args], cwd=self.workdir, env=self.env, stdout=out, stderr=err)
        with httpx.Client(base_url=self.url) as client:
            for _ in range(1200):  # a bound only so a broken start fails instead of hanging
                if self.process.poll() is not None:
                    raise AssertionError(f"the demo exited {self.process.returncode}: {self.stderr_path.read_text()}")
                try:
                    if client.get("/readyz").status_code == 200:
                        return self
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
        raise AssertionError("the demo did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(60)

    @property
    def stdout(self) -> str:
        return self.stdout_path.read_text()

    def printed_tokens(self) -> dict[str, str]:
        """The banner's tokens by role."""
        return {m.group(1): m.group(2) for m in re.finditer(r"^  ([A-Z_]+)(?: \(area \d+\))?\n    (\S+)$",
                                                             self.stdout, re.MULTILINE)}

    def token(self, role: str, area: str | None = None) -> str:
        """A token minted as the README shows: ``slrt-hub token --demo`` in the demo's directory."""
        args = ["token", "--demo", "--role", role, *(["--area", area] if area else [])]
        minted = cli(*args, cwd=self.workdir, env=self.env)
        assert minted.returncode == 0, minted.stderr
        return minted.stdout.strip()


def example(name: str) -> str:
    return (EXAMPLES / name).read_text()


def variables(name: str, **ids: str) -> dict[str, Any]:
    """An example's variables file with its placeholders (CASE_ID, REFERRAL_ID) filled in,
    as the README's curl steps do with sed."""
    text = (EXAMPLES / name).read_text()
    for placeholder, value in ids.items():
        text = text.replace(placeholder, value)
    return dict(json.loads(text))


def graphql(client: httpx.Client, token: str, query: str, variables: dict[str, Any] | None = None,
            operation: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"query": query, "variables": variables or {}}
    if operation:
        body["operationName"] = operation
    response = client.post("/graphql", json=body, headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    result = dict(response.json())
    assert "errors" not in result, result["errors"]
    return dict(result["data"])

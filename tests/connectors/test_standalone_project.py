"""A connector developer's first hour, end to end, outside the hub's repository.

A fresh virtualenv in a temporary directory; the hub installed into it from this checkout
with its `testing` extra (`pip install '<checkout>[testing]'`, what `pip install
'slrt-hub[testing]'` does from an index); `slrt-hub connector new`; the generated project's
`pip install -e '.[test]'` and its own `pytest`; then `slrt-hub serve` from that virtualenv,
finding the connector through its entry point, answers the new field from the generated
simulator. Slow (a virtualenv's worth of installs): it runs once in CI, in the SQLite run,
since nothing in it depends on the test database.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from auth.roles import Role
from hub.container import Hub
from hub.demo.seed import seed_demo
from hub.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
NAME = "dinsos"
PROJECT = "slrt-connector-dinsos"
MODULE = "slrt_connector_dinsos"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bool(os.environ.get("SLRT_TEST_DATABASE_URL")),
                       reason="independent of the test database: runs once, in the SQLite run"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Venv:
    """A fresh virtualenv, and commands run in it as a person would in a new shell."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.bin = path / "bin"
        # nothing of this test run leaks in: no SLRT_* settings, no PYTHONPATH, no active venv
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("SLRT_", "PYTEST_")) and k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        self.env["PATH"] = f"{self.bin}{os.pathsep}{self.env.get('PATH', '')}"
        self.env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"

    def run(self, *args: str, cwd: Path, timeout: float = 900, **env: str) -> str:
        # the timeout only stops a hung install from hanging CI; nothing asserts on durations
        done = subprocess.run(args, cwd=cwd, env={**self.env, **env}, capture_output=True, text=True,
                              timeout=timeout, check=False)
        assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
        return done.stdout

    def start(self, *args: str, cwd: Path, log: Path, **env: str) -> subprocess.Popen[bytes]:
        with log.open("wb") as out:
            return subprocess.Popen(args, cwd=cwd, env={**self.env, **env}, stdout=out, stderr=subprocess.STDOUT)


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(600):  # a bound only, so a broken start fails instead of hanging
        assert process.poll() is None, f"{url} exited:\n{log.read_text()[-4000:]}"
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} did not come up:\n{log.read_text()[-4000:]}")


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


async def test_a_generated_connector_project_installs_passes_and_serves_its_field(
        tmp_path_factory: pytest.TempPathFactory, processes: list[subprocess.Popen[bytes]]) -> None:
    work = tmp_path_factory.mktemp("connector-developer")
    assert ROOT not in work.parents  # outside the hub's checkout, as in the developer's own repository
    subprocess.run([sys.executable, "-m", "venv", str(work / "venv")], check=True, timeout=300)
    venv = Venv(work / "venv")
    venv.run("python", "-m", "pip", "install", "--quiet", f"{ROOT}[testing]", cwd=work)

    # generate: outside the checkout the default is a project of its own
    venv.run("slrt-hub", "connector", "new", NAME, cwd=work)
    project = work / PROJECT
    assert (project / "pyproject.toml").is_file()
    venv.run("python", "-m", "pip", "install", "--quiet", "-e", ".[test]", cwd=project)
    tested = venv.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=project)
    assert "10 passed" in tested, tested

    # the hub's database and a caseload, written with this checkout's own code
    hub_port, sim_port = _free_port(), _free_port()
    database_url = f"sqlite+aiosqlite:///{work / 'hub.db'}"
    served_env = {"SLRT_DATABASE_URL": database_url, "SLRT_DATA_DIR": str(work / "data"),
                  "SLRT_PUBLIC_URL": f"http://127.0.0.1:{hub_port}", "SLRT_DELIVERY_EMBEDDED": "false",
                  f"SLRT_CONNECTOR_{NAME.upper()}_BASE_URL": f"http://127.0.0.1:{sim_port}"}
    venv.run("slrt-hub", "db", "upgrade", cwd=work, **served_env)
    settings = Settings(database_url=database_url, data_dir=work / "data", public_url=served_env["SLRT_PUBLIC_URL"])
    hub = await Hub.start(settings)
    try:
        await seed_demo(hub.cases, hub.areas, per_village=1)
        token = hub.issuer.issue(subject="front-office-3275", role=Role.FRONT_OFFICE, area="3275")
    finally:
        await hub.close()

    # the generated simulator and `slrt-hub serve`, both from the developer's virtualenv
    processes.append(venv.start("python", "-m", f"{MODULE}.simulator", "--port", str(sim_port), cwd=work,
                                log=work / "simulator.log"))
    _wait_until_up(f"http://127.0.0.1:{sim_port}/health", processes[-1], work / "simulator.log")
    processes.append(venv.start("slrt-hub", "serve", "--port", str(hub_port), cwd=work, log=work / "hub.log",
                                **served_env))
    _wait_until_up(f"http://127.0.0.1:{hub_port}/healthz", processes[-1], work / "hub.log")

    query = "{ cases(first: 5) { edges { node { household { members { nik dinsos { status score source } } } } } } }"
    async with httpx.AsyncClient(timeout=60) as http:
        answer = (await http.post(f"http://127.0.0.1:{hub_port}/graphql", json={"query": query},
                                  headers={"authorization": f"Bearer {token}"})).json()
        assert "errors" not in answer, answer
        members = [m for edge in answer["data"]["cases"]["edges"] for m in edge["node"]["household"]["members"]]
        assert members
        # what the simulator itself says about the same people
        truth = (await http.post(f"http://127.0.0.1:{sim_port}/records/batch",
                                 json={"keys": [m["nik"] for m in members]})).json()["records"]
        stats = (await http.get(f"http://127.0.0.1:{sim_port}/_stats")).json()
    expected = {row["key"]: row for row in truth}
    assert expected, "the generated simulator knows some of the demo's people"
    for member in members:
        row = expected.get(member["nik"])
        assert member["dinsos"] == (None if row is None else
                                    {"status": row["status"], "score": row["score"], "source": NAME}), member
    assert stats["calls"] == 2  # the hub's one batched call for every member, and ours

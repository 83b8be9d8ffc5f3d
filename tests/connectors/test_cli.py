"""`slrt-hub simulators` and `slrt-hub connector new` as a user runs them."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from click.testing import CliRunner

from hub.cli import main

SLRT_HUB = str(Path(sys.executable).with_name("slrt-hub"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_simulators_command_serves_all_five_on_one_port() -> None:
    port = _free_port()
    process = subprocess.Popen([SLRT_HUB, "simulators", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        index = None
        for _ in range(300):  # up to 30 s for a cold start on a busy machine
            try:
                index = httpx.get(f"http://127.0.0.1:{port}/").json()
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert index == {name: f"/{name}/" for name in ("dukcapil", "siks_ng", "bpjs", "education", "pupr")}
        answer = httpx.post(f"http://127.0.0.1:{port}/bpjs/peserta/batch", json={"nik": ["3275014101850001"]})
        assert answer.status_code == 200
        assert httpx.get(f"http://127.0.0.1:{port}/bpjs/_stats").json()["calls"] == 1
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_connector_new_writes_a_package_and_refuses_to_overwrite_it(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["connector", "new", "dinsos", "--dir", str(tmp_path / "pkgs"), "--tests-dir", str(tmp_path / "tests")]

    made = runner.invoke(main, args)
    again = runner.invoke(main, args)

    assert made.exit_code == 0, made.output
    assert 'dinsos = "dinsos.connector:Dinsos"' in made.output
    assert {p.name for p in (tmp_path / "pkgs" / "dinsos").iterdir()} >= {
        "connector.py", "simulator.py", "openapi.json", "README.md"}
    assert (tmp_path / "tests" / "test_dinsos.py").exists()
    assert again.exit_code == 2 and "already exists" in again.output


def test_connector_new_refuses_a_bad_name(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["connector", "new", "Bad-Name", "--dir", str(tmp_path)])

    assert result.exit_code == 2 and "lower_snake_case" in result.output
    assert list(tmp_path.iterdir()) == []

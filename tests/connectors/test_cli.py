"""`slrt-hub simulators` and `slrt-hub connector new` as a user runs them."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from connectors.scaffold import is_hub_checkout
from hub.cli import main

ROOT = Path(__file__).resolve().parents[2]

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
    args = ["connector", "new", "dinsos", "--in-tree", "--dir", str(tmp_path / "pkgs"),
            "--tests-dir", str(tmp_path / "tests")]

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


def test_outside_the_hub_s_checkout_connector_new_writes_a_project_of_its_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    made = CliRunner().invoke(main, ["connector", "new", "dinsos"])

    assert made.exit_code == 0, made.output
    project = tmp_path / "slrt-connector-dinsos"
    assert f"cd {project.name} && pip install -e '.[test]' && pytest" in made.output
    files = {str(p.relative_to(project)) for p in project.rglob("*") if p.is_file()}
    assert files == {"pyproject.toml", "README.md", ".gitignore", "tests/test_dinsos.py",
                     *(f"src/slrt_connector_dinsos/{f}" for f in ("__init__.py", "connector.py", "simulator.py",
                                                                  "openapi.json"))}
    meta = tomllib.loads((project / "pyproject.toml").read_text())
    assert meta["project"]["entry-points"]["slrt_hub.connectors"] == {
        "dinsos": "slrt_connector_dinsos.connector:Dinsos"}
    assert meta["project"]["optional-dependencies"]["test"] == ["slrt-hub[testing]"]
    assert meta["tool"]["setuptools"]["package-data"] == {"slrt_connector_dinsos": ["openapi.json"]}
    assert not (tmp_path / "connectors").exists() and not (tmp_path / "tests").exists()


def test_at_the_root_of_the_checkout_connector_new_stays_in_tree(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert is_hub_checkout(ROOT) and not is_hub_checkout(tmp_path)
    made = CliRunner().invoke(main, ["connector", "new", "dinkes", "--dir", str(tmp_path / "pkgs"),
                                     "--tests-dir", str(tmp_path / "tests")])
    assert made.exit_code == 0, made.output
    assert (tmp_path / "pkgs" / "dinkes" / "connector.py").is_file()
    assert "add the entry point above to pyproject.toml" in made.output
    # and --standalone overrides the guess
    other = CliRunner().invoke(main, ["connector", "new", "dinkes", "--standalone", "--dir", str(tmp_path)])
    assert other.exit_code == 0 and (tmp_path / "slrt-connector-dinkes" / "pyproject.toml").is_file()

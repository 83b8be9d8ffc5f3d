"""`slrt-hub connector new`: the generated package validates and its test passes unedited."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from connectors.scaffold import write_connector_package
from connectors.sdk import Entity, validate_connector_class

ROOT = Path(__file__).resolve().parents[2]


def test_generated_connector_passes_its_conformance_test(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scaffold = write_connector_package("job_training", tmp_path / "src", tests_dir=tmp_path / "tests")
    assert scaffold.entry_point == 'job_training = "job_training.connector:JobTraining"'
    assert scaffold.entry_point in capsys.readouterr().out
    for part in ("__init__.py", "connector.py", "simulator.py", "openapi.json", "README.md"):
        assert (scaffold.package_dir / part).is_file()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "src"), str(ROOT)])}
    (tmp_path / "pytest.ini").write_text("[pytest]\n")  # no configuration: the kit marks its own tests
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-c",
            str(tmp_path / "pytest.ini"),
            "--rootdir",
            str(tmp_path),
            str(scaffold.test_file),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "10 passed" in done.stdout, done.stdout[-3000:]


def test_generated_household_connector_is_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scaffold = write_connector_package("land_registry", tmp_path, extends="household")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = __import__("land_registry.connector", fromlist=["LandRegistry"])
    cls = validate_connector_class(module.LandRegistry)
    assert cls.extends is Entity.HOUSEHOLD and cls.field == "landRegistry"
    assert scaffold.module == "land_registry"


@pytest.mark.parametrize("name", ["Bad", "x", "has-dash", "9lives"])
def test_bad_names_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError):
        write_connector_package(name, tmp_path)


def test_existing_package_is_not_overwritten(tmp_path: Path) -> None:
    write_connector_package("dinsos", tmp_path)
    with pytest.raises(ValueError, match="exists"):
        write_connector_package("dinsos", tmp_path)


def test_inside_the_connectors_package_the_module_path_is_dotted(tmp_path: Path) -> None:
    (tmp_path / "connectors_like").mkdir()
    (tmp_path / "connectors_like" / "__init__.py").write_text("")
    scaffold = write_connector_package("dinkes", tmp_path / "connectors_like")
    assert scaffold.module == "connectors_like.dinkes"
    assert "from connectors_like.dinkes.connector import Dinkes" in scaffold.test_file.read_text()

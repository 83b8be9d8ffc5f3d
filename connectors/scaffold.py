"""What `slrt-hub connector new NAME` runs, in one of two modes.

- `write_standalone_project` (the default outside the hub's checkout): a project of its own,
  `slrt-connector-<name>/` with `pyproject.toml` (the `slrt_hub.connectors` entry point),
  `src/slrt_connector_<name>/` (connector, simulator, OpenAPI), README and the conformance
  test, passing with `pip install -e '.[test]' && pytest` next to `slrt-hub[testing]`.
- `write_connector_package` (in the hub's checkout): `<target_dir>/<name>/` and a test in the
  hub's own tree, returning the entry-point line to add to the hub's `pyproject.toml`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template

from connectors.synthetic.seed import digit, seed

_NAME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_FILES = {
    "connector.py": "connector.py.tmpl",
    "simulator.py": "simulator.py.tmpl",
    "openapi.json": "openapi.json.tmpl",
    "README.md": "README.md.tmpl",
}
_PROJECT_FILES = {  # beside src/ in a standalone project
    "pyproject.toml": "pyproject.toml.tmpl",
    "README.md": "project_README.md.tmpl",
    ".gitignore": "gitignore.tmpl",
}


@dataclass(frozen=True, slots=True)
class Scaffold:
    package_dir: Path
    test_file: Path
    module: str  # dotted import path of the new package
    entry_point: str  # the pyproject line to add


def _module_path(directory: Path) -> str:
    """Dotted path of a package dir: climbs while parents are packages too."""
    parts = [directory.name]
    parent = directory.parent
    while (parent / "__init__.py").exists():
        parts.append(parent.name)
        parent = parent.parent
    return ".".join(reversed(parts))


def _keys(name: str) -> tuple[list[str], str]:
    # the same rule as the generated simulator's is_known(), to pick test keys that work
    candidates = [f"3275010101900{i:03d}" for i in range(1, 200)]
    known = [k for k in candidates if digit(seed(name, k), 0, 5) != 0][:3]
    unknown = next(k for k in candidates if digit(seed(name, k), 0, 5) == 0)
    return known, unknown


def is_hub_checkout(directory: Path | str) -> bool:
    """Whether `directory` is the root of the hub's own source tree (its pyproject names slrt-hub)."""
    pyproject = Path(directory) / "pyproject.toml"
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        return False
    return project.get("name") == "slrt-hub" and (Path(directory) / "connectors" / "sdk").is_dir()


def _check(name: str, extends: str) -> None:
    if not _NAME.match(name):
        raise ValueError(f"connector name {name!r} must be lower_snake_case, 2-40 characters")
    if extends not in ("person", "household"):
        raise ValueError("extends must be 'person' or 'household'")


def _values(name: str, module: str, extends: str, title: str | None) -> dict[str, str]:
    head, *tail = name.split("_")
    cls = "".join(part.title() for part in name.split("_"))
    known, unknown = _keys(name)
    return {
        "name": name,
        "cls": cls,
        "upper": name.upper(),
        "field": head + "".join(part.title() for part in tail),
        "title": title or name.replace("_", " ").title(),
        "entity": "Person" if extends == "person" else "Household",
        "entity_lower": extends,
        "entity_enum": extends.upper(),
        "key_name": "NIK" if extends == "person" else "KK number",
        "module": module,
        "known_keys": repr(known),
        "unknown_key": unknown,
        "entry_point": f'{name} = "{module}.connector:{cls}"',
        "distribution": "slrt-connector-" + name.replace("_", "-"),
    }


def _render(template: str, values: dict[str, str]) -> str:
    text = resources.files("connectors").joinpath("scaffold_templates", template).read_text(encoding="utf-8")
    return Template(text).substitute(values)


def _write_package(package: Path, values: dict[str, str]) -> None:
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(f'"""The {values["name"]} connector."""\n')
    for target, template in _FILES.items():
        (package / target).write_text(_render(template, values), encoding="utf-8")


def write_standalone_project(
    name: str, parent_dir: Path | str = ".", *, extends: str = "person", title: str | None = None
) -> Scaffold:
    """Generate an installable project `<parent_dir>/slrt-connector-<name>/` for connector `name`.

    Raises ValueError for a bad name or an existing directory.
    """
    _check(name, extends)
    module = f"slrt_connector_{name}"
    values = _values(name, module, extends, title)
    project = Path(parent_dir) / values["distribution"]
    if project.exists():
        raise ValueError(f"{project} already exists")
    _write_package(project / "src" / module, values)
    (project / "src" / module / "README.md").unlink()  # the project's README says it all
    for target, template in _PROJECT_FILES.items():
        (project / target).write_text(_render(template, values), encoding="utf-8")
    test_file = project / "tests" / f"test_{name}.py"
    test_file.parent.mkdir()
    test_file.write_text(_render("test.py.tmpl", values), encoding="utf-8")
    return Scaffold(project / "src" / module, test_file, module, values["entry_point"])


def write_connector_package(
    name: str,
    target_dir: Path | str,
    *,
    tests_dir: Path | str | None = None,
    extends: str = "person",
    title: str | None = None,
) -> Scaffold:
    """Generate connector `name` under `target_dir`; the test goes to `tests_dir`
    (default `<target_dir>/<name>/tests/`). Prints and returns the entry-point line.

    Raises ValueError for a bad name or an existing package.
    """
    _check(name, extends)
    package = Path(target_dir) / name
    if package.exists():
        raise ValueError(f"{package} already exists")
    package.parent.mkdir(parents=True, exist_ok=True)
    values = _values(name, _module_path(package), extends, title)
    _write_package(package, values)
    test_dir = Path(tests_dir) if tests_dir is not None else package / "tests"
    test_dir.mkdir(parents=True, exist_ok=True)
    test_file = test_dir / f"test_{name}.py"
    test_file.write_text(_render("test.py.tmpl", values), encoding="utf-8")
    print(
        f'Add to pyproject.toml under [project.entry-points."slrt_hub.connectors"]:\n    {values["entry_point"]}'
    )
    return Scaffold(package, test_file, values["module"], values["entry_point"])

"""`write_connector_package`: what `slrt-hub connector new NAME` runs.

Writes `<target_dir>/<name>/` (connector, settings, record type, simulator, OpenAPI,
README) and a conformance test that passes unedited, and returns the entry-point line
to add under `[project.entry-points."slrt_hub.connectors"]`.
"""

from __future__ import annotations

import re
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
    if not _NAME.match(name):
        raise ValueError(f"connector name {name!r} must be lower_snake_case, 2-40 characters")
    if extends not in ("person", "household"):
        raise ValueError("extends must be 'person' or 'household'")
    package = Path(target_dir) / name
    if package.exists():
        raise ValueError(f"{package} already exists")
    head, *tail = name.split("_")
    cls = "".join(part.title() for part in name.split("_"))
    known, unknown = _keys(name)
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(f'"""The {name} connector."""\n')
    module = _module_path(package)
    values = {
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
    }
    values["entry_point"] = f'{name} = "{module}.connector:{cls}"'
    templates = resources.files("connectors").joinpath("scaffold_templates")
    for target, template in _FILES.items():
        text = Template(templates.joinpath(template).read_text(encoding="utf-8")).substitute(values)
        (package / target).write_text(text, encoding="utf-8")
    test_dir = Path(tests_dir) if tests_dir is not None else package / "tests"
    test_dir.mkdir(parents=True, exist_ok=True)
    test_file = test_dir / f"test_{name}.py"
    test_file.write_text(
        Template(templates.joinpath("test.py.tmpl").read_text()).substitute(values), encoding="utf-8"
    )
    print(
        f'Add to pyproject.toml under [project.entry-points."slrt_hub.connectors"]:\n    {values["entry_point"]}'
    )
    return Scaffold(package, test_file, module, values["entry_point"])

"""The README's settings table is the operators' reference: every setting is a row of it, with
its real default, its bounds and its meaning.

The first version of this test searched the whole README for `` `SLRT_NAME` ``, so a setting
merely mentioned in prose (`SLRT_ALLOW_PRIVATE_WEBHOOKS` under Deploy,
`SLRT_DELIVERY_LEASE_SECONDS` under metrics) passed without a row. It now reads the table
itself, and also finds settings read straight from the environment outside `Settings`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import pytest

from hub.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
ENV_READ = re.compile(r"""(?:environ\.get|environ\[|getenv)\(?\s*["'](SLRT_[A-Z0-9_]+)["']""")
BOUNDS = (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<"))


def settings_table() -> dict[str, dict[str, str]]:
    """Rows of the table under "## Settings", by variable."""
    section = README.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header == ["variable", "default", "bounds", "meaning"], header
    rows = {}
    for line in lines[2:]:
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        rows[cells[0].strip("`")] = dict(zip(header, cells, strict=True))
    return rows


def environment_reads() -> set[str]:
    """SLRT_* variables read with os.environ/getenv anywhere in the hub, outside Settings."""
    found = set()
    for package in ("hub", "auth", "schema"):
        for path in (ROOT / package).rglob("*.py"):
            found.update(ENV_READ.findall(path.read_text()))
    return found


def shown(value: Any) -> str:
    """A default as the table writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict):
        return json.dumps(value)
    return str(value)


def default_of(name: str) -> Any:
    field = Settings.model_fields[name]
    return field.default_factory() if field.default_factory is not None else field.default  # type: ignore[call-arg]


def test_every_setting_has_a_row_in_the_settings_table() -> None:
    rows = settings_table()
    expected = {f"SLRT_{name.upper()}" for name in Settings.model_fields} | environment_reads()
    assert sorted(expected - set(rows)) == [], "add these to the README's settings table"
    assert sorted(set(rows) - expected) == [], "these rows name no setting the hub reads"


@pytest.mark.parametrize("name", list(Settings.model_fields))
def test_each_row_states_the_real_default(name: str) -> None:
    cell = settings_table()[f"SLRT_{name.upper()}"]["default"]
    value = default_of(name)
    if value in ("", {}) and not isinstance(value, dict):
        assert cell.startswith("(empty"), cell
    else:
        assert f"`{shown(value)}`" in cell, f"SLRT_{name.upper()} defaults to {shown(value)!r}, the table says {cell}"


@pytest.mark.parametrize("name", list(Settings.model_fields))
def test_each_row_states_the_bounds_the_hub_enforces(name: str) -> None:
    row = settings_table()[f"SLRT_{name.upper()}"]
    field = Settings.model_fields[name]
    expected = [f"{symbol} {shown(getattr(m, attr))}" for m in field.metadata
                for attr, symbol in BOUNDS if getattr(m, attr, None) is not None]
    if get_origin(field.annotation) is Literal:
        expected += [f"`{choice}`" for choice in get_args(field.annotation)]
    if field.annotation is bool:
        expected.append("boolean")
    for bound in expected:
        assert bound in row["bounds"], f"SLRT_{name.upper()}: the bounds column lacks {bound!r}"
    assert row["bounds"], f"SLRT_{name.upper()}: state the bounds, or — when there are none"
    assert len(row["meaning"]) > 10, f"SLRT_{name.upper()}: say what it means"


def test_the_readme_cites_no_document_outside_the_repository() -> None:
    assert "SPEC" not in README
    for link in re.findall(r"\]\(([^)#]+)", README):
        if not link.startswith("http"):
            assert (ROOT / link).exists(), f"the README links to {link}, which is not in the repository"

"""Layering (SPEC 2): connectors import nothing of hub, schema or auth; screening is plain Python."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_roots(package: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in package.rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_connectors_import_nothing_of_hub_schema_or_auth() -> None:
    bad = {f: n & {"hub", "schema", "auth"} for f, n in imported_roots(ROOT / "connectors").items()}
    assert {f: n for f, n in bad.items() if n} == {}


def test_screening_imports_no_web_or_graphql_code() -> None:
    banned = {"strawberry", "starlette", "aiohttp", "sqlalchemy", "schema"}
    bad = {f: n & banned for f, n in imported_roots(ROOT / "hub" / "screening").items()}
    assert {f: n for f, n in bad.items() if n} == {}

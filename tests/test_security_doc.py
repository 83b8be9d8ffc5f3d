"""docs/security.md names, for each rule, the module that enforces it and the tests that prove
it: every path and test it names must exist, or the page has drifted from the code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "security.md"
NAMED = re.compile(r"`((?:auth|hub|schema|connectors|tests|docs|bench)/[\w./-]+?)(?:::(\w+))?`")
TEST_NAME = re.compile(r"`(?:::)?(test_\w+)`")


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}


def test_every_module_and_test_the_security_page_names_exists() -> None:
    text = PAGE.read_text()
    named = NAMED.findall(text)
    assert len(named) > 40
    missing = [p for p, _ in named if not (ROOT / p.rstrip("/")).exists()]
    assert not missing, f"docs/security.md names paths that do not exist: {missing}"
    absent = [f"{p}::{t}" for p, t in named if t and t not in _tests_in(ROOT / p)]
    assert not absent, f"docs/security.md names tests that do not exist: {absent}"
    everywhere = set().union(*(_tests_in(f) for f in (ROOT / "tests").rglob("test_*.py")))
    loose = [t for t in TEST_NAME.findall(text) if t not in everywhere]
    assert not loose, f"docs/security.md names tests that do not exist: {loose}"

"""Loading and validating the rule file (JSON), so a bad rule fails at start-up.

The packaged `rules.json` is the default; a deployment replaces it by passing a path
(the hub's settings) or setting `SLRT_SCREENING_RULES` to a file of the same shape.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

OPERATORS = frozenset({"eq", "ne", "lt", "le", "gt", "ge", "between", "in", "missing"})
SCOPES = ("member", "household")
MEMBER_ATTRIBUTES = frozenset({"nik", "age", "sex", "relationship"})
HOUSEHOLD_ATTRIBUTES = frozenset({"kk", "size"})


class RuleError(ValueError):
    """The rule file is malformed; the message names the rule."""


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    programme: str
    subject: str  # "member" or "household"
    reason: str
    when: dict[str, Any]
    connectors: frozenset[tuple[str, str]]  # (scope, connector) pairs the rule reads


def default_rules_path() -> Path | None:
    env = os.environ.get("SLRT_SCREENING_RULES")
    return Path(env) if env else None


def load_rules(path: Path | str | None = None) -> list[Rule]:
    """Rules from `path`, else `$SLRT_SCREENING_RULES`, else the packaged rules.json."""
    chosen = Path(path) if path is not None else default_rules_path()
    if chosen is not None:
        text = chosen.read_text(encoding="utf-8")
    else:
        text = resources.files("hub.screening").joinpath("rules.json").read_text(encoding="utf-8")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RuleError(f"rule file is not valid JSON: {exc}") from exc
    return parse_rules(document)


def parse_rules(document: Any) -> list[Rule]:
    if not isinstance(document, dict) or not isinstance(document.get("rules"), list):
        raise RuleError('rule file must be {"rules": [...]}')
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, raw in enumerate(document["rules"]):
        rule_id = str(raw.get("id", f"#{index}")) if isinstance(raw, dict) else f"#{index}"
        if not isinstance(raw, dict):
            raise RuleError(f"rule {rule_id}: must be an object")
        for key in ("id", "programme", "subject", "when"):
            if key not in raw:
                raise RuleError(f"rule {rule_id}: missing {key!r}")
        if raw["subject"] not in SCOPES:
            raise RuleError(f"rule {rule_id}: subject must be one of {SCOPES}")
        if rule_id in seen:
            raise RuleError(f"rule {rule_id}: duplicate id")
        seen.add(rule_id)
        connectors: set[tuple[str, str]] = set()
        _check(raw["when"], rule_id, raw["subject"], connectors)
        rules.append(
            Rule(
                rule_id,
                str(raw["programme"]),
                raw["subject"],
                str(raw.get("reason", "")),
                raw["when"],
                frozenset(connectors),
            )
        )
    return rules


def _check(node: Any, rule_id: str, subject: str, connectors: set[tuple[str, str]]) -> None:
    if not isinstance(node, dict):
        raise RuleError(f"rule {rule_id}: condition must be an object, got {node!r}")
    if "all" in node or "any" in node:
        children = node.get("all", node.get("any"))
        if not isinstance(children, list) or not children:
            raise RuleError(f"rule {rule_id}: all/any needs a non-empty list")
        for child in children:
            _check(child, rule_id, subject, connectors)
        return
    if "not" in node:
        _check(node["not"], rule_id, subject, connectors)
        return
    fact = node.get("fact")
    ops = [key for key in node if key != "fact"]
    if not isinstance(fact, str) or len(ops) != 1 or ops[0] not in OPERATORS:
        raise RuleError(f"rule {rule_id}: bad condition {node!r} (operators: {sorted(OPERATORS)})")
    parts = fact.split(".")
    scope = parts[0]
    if scope not in SCOPES or len(parts) < 2:
        raise RuleError(f"rule {rule_id}: fact {fact!r} must start with member. or household.")
    if scope == "member" and subject != "member":
        raise RuleError(f"rule {rule_id}: a household rule cannot read {fact!r}")
    attributes = MEMBER_ATTRIBUTES if scope == "member" else HOUSEHOLD_ATTRIBUTES
    if len(parts) == 2 and parts[1] in attributes:
        return
    connectors.add((scope, parts[1]))

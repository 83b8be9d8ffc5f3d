"""Values GraphQL itself refuses get one shape, typed inline (as people do in GraphiQL) or
passed as variables (as apps do): `INVALID_INPUT`, the field path, and a location. Other
refused documents carry a code too, and nothing is stored."""

from __future__ import annotations

import json
from typing import Any

import pytest

from auth.roles import Role
from tests.cases.helpers import RECORD, VILLAGE_A, record_input
from tests.cases.test_bad_input import _counts

ENUM_FIELDS = {"channel", "sectors", "priority", "sex", "relationship"}
INLINE_RECORD = "mutation {\n  recordCase(input: %s) {\n    case { id }\n    errors { code field }\n  }\n}"


def _literal(value: Any, key: str = "") -> str:
    """A GraphQL input literal of `value`; strings of enum fields are written as enum values."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_literal(v, k)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v, key) for v in value) + "]"
    return value if key in ENUM_FIELDS else json.dumps(value)


def _unknown_sector(value: dict[str, Any]) -> str:
    value["sectors"] = ["HEALTH", "FOOD"]
    return "FOOD"


def _impossible_date(value: dict[str, Any]) -> str:
    value["household"]["members"][1]["birthDate"] = "1985-13-45"
    return '"1985-13-45"'


BAD_VALUES = [
    ("unknown Sector", _unknown_sector, ["input", "sectors", "1"]),
    ("malformed Date", _impossible_date, ["input", "household", "members", "1", "birthDate"]),
]


def _location_of(literal: str, document: str) -> dict[str, int]:
    line_number, line = next((i, text) for i, text in enumerate(document.splitlines(), 1) if literal in text)
    return {"line": line_number, "column": line.index(literal) + 1}


@pytest.mark.parametrize(("label", "spoil", "field"), BAD_VALUES, ids=[v[0] for v in BAD_VALUES])
async def test_a_refused_value_has_one_shape_inline_or_as_a_variable(label: str, spoil: Any, field: list[str],
                                                                     as_role: Any, hub: Any) -> None:
    api = as_role(Role.FACILITATOR, VILLAGE_A)
    before = await _counts(hub)
    value = record_input(7)
    literal = spoil(value)
    inline_document = INLINE_RECORD % _literal(value)

    as_variable = await api(RECORD, input=value)
    inline = await api(inline_document)

    for result in (as_variable, inline):
        assert result["data"] is None
        [error] = result["errors"]
        assert error["extensions"] == {"code": "INVALID_INPUT", "field": field}, error
        assert error["locations"] and error["message"]
    # inline, the location is the refused value itself, where GraphiQL underlines it
    assert inline["errors"][0]["locations"] == [_location_of(literal, inline_document)]
    assert await _counts(hub) == before


async def test_an_argument_literal_of_the_wrong_type_names_the_argument(as_role: Any, hub: Any) -> None:
    result = await as_role(Role.SUPERVISOR, "327502")('{ cases(first: "ten") { totalCount } }')
    [error] = result["errors"]
    assert error["extensions"] == {"code": "INVALID_INPUT", "field": ["first"]}
    assert error["locations"] == [{"line": 1, "column": 16}]


@pytest.mark.parametrize(("document", "code"), [
    ("{ cases(first: 2 { totalCount } }", "GRAPHQL_PARSE_FAILED"),
    ("{ cases(first: 2) { noSuchField } }", "GRAPHQL_VALIDATION_FAILED"),
], ids=["parse", "validation"])
async def test_other_refused_documents_carry_a_code(document: str, code: str, as_role: Any, hub: Any) -> None:
    result = await as_role(Role.SUPERVISOR, "327502")(document)
    assert [e["extensions"]["code"] for e in result["errors"]] == [code]
    assert result["errors"][0]["locations"]

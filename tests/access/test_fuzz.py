"""A bounded fuzz run of /graphql with queries and mutations generated from the schema
(hypothesis-graphql, the engine of schemathesis's GraphQL support): never a 500, never an
exception's text, a stack trace or SQL in a response."""

from __future__ import annotations

import re
from datetime import date, datetime

from graphql import GraphQLScalarType
from graphql.language import StringValueNode
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import from_schema

from auth.roles import Role
from schema import build_schema
from tests.cases.helpers import RECORD, VILLAGE_A, record_input

LEAKS = re.compile(r"Traceback|File \"|sqlalchemy|sqlite3|asyncpg|SELECT |INSERT |Error\(|Exception\(|"
                   r"object has no attribute|NoneType|KeyError|TypeError|ValueError", re.IGNORECASE)
SIXTEEN = re.compile(r"(?<!\d)\d{16}(?!\d)")


def _ast_object(value: dict[str, str]):  # type: ignore[no-untyped-def]
    from graphql.language import ast

    return ast.ObjectValueNode(fields=tuple(
        ast.ObjectFieldNode(name=ast.NameNode(value=k), value=ast.StringValueNode(value=v)) for k, v in value.items()))


def _documents(count: int) -> list[str]:
    collected: list[str] = []
    schema = build_schema()._schema
    # Federation's _Any: an entity representation, as a gateway would send one.
    scalars = {"_Any": st.fixed_dictionaries({"__typename": st.sampled_from(["Case", "Person", "Household"]),
                                              "id": st.text(max_size=40)}).map(_ast_object)}
    # The other custom scalars (Date, DateTime, …) as strings: well-formed ones and junk.
    text = (st.dates().map(date.isoformat) | st.datetimes().map(datetime.isoformat) | st.text(max_size=20))
    for name, kind in schema.type_map.items():
        if isinstance(kind, GraphQLScalarType) and not name.startswith("__") and name not in scalars and \
                name not in {"String", "Int", "Float", "Boolean", "ID"}:
            scalars[name] = text.map(lambda v: StringValueNode(value=v))
    broken = st.sampled_from(["{", "query { cases(first: -1) { totalCount } }", "mutation { submitCase(id: 1) }"])

    @settings(max_examples=count, derandomize=True, deadline=None, database=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(document=from_schema(schema, custom_scalars=scalars) | broken)
    def collect(document: str) -> None:
        collected.append(document)

    collect()
    return collected


async def test_fuzzed_operations_never_500_nor_leak_internals(as_role, client, hub):
    await as_role(Role.FACILITATOR, VILLAGE_A, sub="fasilitator-1")(RECORD, input=record_input(5))
    callers = [hub.issuer.issue(subject="fuzz-fo", role=Role.FRONT_OFFICE, area="3275"),
               hub.issuer.issue(subject="fuzz-fac", role=Role.FACILITATOR, area=VILLAGE_A)]
    documents = _documents(100)
    assert len(set(documents)) > 40  # the run explored, it did not repeat one document
    for i, document in enumerate(documents):
        token = callers[i % 2]
        response = await client.post("/graphql", json={"query": document},
                                     headers={"authorization": f"Bearer {token}"})
        assert response.status_code < 500, (document, response.text)
        assert not LEAKS.search(response.text), (document, response.text)
        if token == callers[1]:  # the facilitator holds no pii:read
            assert not SIXTEEN.search(response.text), (document, response.text)

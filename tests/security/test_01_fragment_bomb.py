"""Issue 11 item 1: a fragment bomb is refused after a walk linear in the document's size.

n fragments, each spreading the next twice, ask for 2^n copies of the innermost selection.
The old walk re-walked each fragment at every spread (2^n steps: n = 24 held a request
for 19 s); the walk now measures each fragment once and stops at the first limit passed.
The bound is asserted on the number of selections the walk visits, never on time
(bench/fragment_bomb.py has the CPU figures).
"""

from __future__ import annotations

from typing import Any

import pytest
from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, parse, visit, Visitor

from auth.roles import Role
from schema import build_schema
from schema.extensions.limits import QueryLimits, measure


def fragment_bomb(n: int) -> str:
    fragments = [f"fragment F{i} on Case {{ ...F{i + 1} ...F{i + 1} }}" for i in range(n)]
    fragments.append(f"fragment F{n} on Case {{ number }}")
    return "query { cases { edges { node { ...F0 } } } }\n" + "\n".join(fragments)


def selections_in(document: Any) -> int:
    """Fields, inline fragments and spreads written in the document (each once)."""
    count = 0

    class Count(Visitor):
        def enter(self, node: Any, *_: Any) -> None:
            nonlocal count
            count += isinstance(node, (FieldNode, InlineFragmentNode, FragmentSpreadNode))

    visit(document, Count())
    return count


@pytest.mark.parametrize("n", [16, 24, 40])
def test_the_walk_visits_each_written_selection_at_most_twice(n: int) -> None:
    schema = build_schema()._schema
    document = parse(fragment_bomb(n))
    # A cost limit nothing reaches, so the walk goes all the way: linear even without the early stop.
    unlimited = measure(schema, document, None, {}, QueryLimits(max_cost=10**30))
    assert unlimited.problem is None
    assert unlimited.cost > 2**n  # it does count what the document asks for
    assert unlimited.visited <= 2 * selections_in(document)
    limited = measure(schema, document, None, {}, QueryLimits())
    assert limited.problem is not None and "cost" in limited.problem
    assert limited.visited <= unlimited.visited


def test_a_fragment_cycle_is_refused_by_the_walk() -> None:
    cycle = parse("query { cases { edges { node { ...A } } } } "
                  "fragment A on Case { number ...B } fragment B on Case { status ...A }")
    measured = measure(build_schema()._schema, cycle, None, {}, QueryLimits())
    assert measured.problem == "fragment A spreads itself (A → B → A)"
    assert measured.visited <= selections_in(cycle)


@pytest.mark.parametrize("n", [24, 40])
async def test_the_fragment_bomb_is_refused_over_http(as_role: Any, n: int) -> None:
    partner = as_role(Role.PARTNER, partner_id="partner-bomb")
    answer = await partner(fragment_bomb(n))
    assert answer["data"] is None
    assert [e["extensions"]["code"] for e in answer["errors"]] == ["QUERY_TOO_COMPLEX"]
    assert "limit is 50000" in answer["errors"][0]["message"]


async def test_a_fragment_cycle_is_refused_over_http(as_role: Any) -> None:
    answer = await as_role(Role.SUPERVISOR, "3275")(
        "{ cases { edges { node { ...A } } } } fragment A on Case { ...B } fragment B on Case { number ...A }")
    assert answer["data"] is None
    assert answer["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "spreads itself" in answer["errors"][0]["message"]


async def test_the_same_fragment_in_an_ordinary_query_costs_what_it_did(as_role: Any) -> None:
    schema = build_schema()._schema
    inline = measure(schema, parse("{ cases(first: 5) { edges { node { number household { kkNumber } } } } }"),
                     None, {}, QueryLimits())
    spread = measure(schema, parse("{ cases(first: 5) { edges { node { ...C } } } } "
                                   "fragment C on Case { number household { kkNumber } }"), None, {}, QueryLimits())
    assert (spread.cost, spread.depth) == (inline.cost, inline.depth) == (1 + 5 * 5, 5)
    answer = await as_role(Role.SUPERVISOR, "3275")(
        "{ cases(first: 5) { edges { node { ...C } } } } fragment C on Case { number }")
    assert "errors" not in answer, answer

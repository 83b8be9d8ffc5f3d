"""How the case graph is loaded, not what it shows (tests/graph/test_fanout.py shows that):
the members load starts with the households load, and screening a loaded graph costs no
asyncio task per record it reads (docs/perf/README.md, issue 13)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from auth.roles import Role
from hub.container import Hub
from hub.demo.seed import seed_demo
from tests.graph.conftest import Simulators
from tests.graph.queries import CASE_GRAPH, nodes

SCREENING_BY_ID = """
query Screening($reps: [_Any!]!) {
  _entities(representations: $reps) {
    ... on Case { number suggestedReferrals { programme subject rule } screeningNotEvaluated { rule subject } }
  }
}"""


@contextmanager
def counting_tasks() -> Iterator[list[int]]:
    """Counts the asyncio tasks the running loop creates while inside."""
    loop = asyncio.get_running_loop()
    previous = loop.get_task_factory()
    created = [0]

    def factory(loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any) -> asyncio.Future[Any]:
        created[0] += 1
        return previous(loop, coro, **kwargs) if previous else asyncio.Task(coro, loop=loop, **kwargs)

    loop.set_task_factory(factory)  # type: ignore[arg-type]
    try:
        yield created
    finally:
        loop.set_task_factory(previous)


async def test_screening_a_loaded_graph_starts_no_task_per_record(hub: Hub, as_role, simulators: Simulators) -> None:  # type: ignore[no-untyped-def]
    await seed_demo(hub.cases, hub.areas)
    api = as_role(Role.FRONT_OFFICE, "3275")
    await api(CASE_GRAPH, first=20)  # first query: imports, parser cache, connection pool

    with counting_tasks() as created:
        result = await api(CASE_GRAPH, first=20)

    assert "errors" not in result, result.get("errors")
    assert sum(len(c["suggestedReferrals"]) for c in nodes(result)) > 0
    # 20 households of 4 reading 2 household and 3 person records each: screening them with
    # a task per record read was 20 x 14 tasks; loads, the HTTP calls and the request itself
    # take a few dozen, whatever the number of cases
    assert created[0] < 100, created[0]


async def test_screening_without_prefetch_shows_what_the_loaded_graph_shows(
        hub: Hub, as_role, simulators: Simulators) -> None:  # type: ignore[no-untyped-def]
    """A case reached by federation (`_entities`) is not prefetched: its screening waits
    for its loads, and shows the same as the prefetched list does."""
    await seed_demo(hub.cases, hub.areas)
    api = as_role(Role.FRONT_OFFICE, "3275")
    listed = await api("{ cases(first: 8) { edges { node { id number suggestedReferrals { programme subject rule } "
                       "screeningNotEvaluated { rule subject } } } } }")
    cases = nodes(listed)

    found = await api(SCREENING_BY_ID, reps=[{"__typename": "Case", "id": c["id"]} for c in cases])

    assert "errors" not in found, found.get("errors")
    assert [{k: v for k, v in c.items() if k != "id"} for c in cases] == found["data"]["_entities"]
    assert any(c["suggestedReferrals"] for c in cases)


async def test_members_load_starts_with_the_households_load(hub: Hub, as_role, simulators: Simulators) -> None:  # type: ignore[no-untyped-def]
    await seed_demo(hub.cases, hub.areas)
    events: list[str] = []

    def spy(name: str, load: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def observed(*args: Any) -> Any:
            events.append(f"{name} started")
            try:
                return await load(*args)
            finally:
                events.append(f"{name} done")

        return observed

    reader = hub.case_reader
    reader.households = spy("households", reader.households)  # type: ignore[method-assign]
    reader.members = spy("members", reader.members)  # type: ignore[method-assign]

    result = await as_role(Role.FRONT_OFFICE, "3275")(CASE_GRAPH, first=20)

    assert "errors" not in result, result.get("errors")
    assert sum(len(c["household"]["members"]) for c in nodes(result)) == 80
    # one load each, the second started before the first is back: not one round trip after it
    assert sorted(events[:2]) == ["households started", "members started"], events
    assert sorted(events) == sorted(["households started", "households done", "members started", "members done"])

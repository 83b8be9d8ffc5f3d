"""Issue 4's "done when": one query for 20 demo cases with household, members and all
five connector fields makes exactly five upstream calls and returns the suggestions the
synthetic stories predict; a hanging system nulls only its own field, in time."""

from __future__ import annotations

from typing import Any

from auth.roles import Role
from connectors.sdk import CallRecord
from connectors.simulators import SIMULATORS
from hub.container import Hub
from hub.demo.seed import seed_demo
from tests.graph.conftest import TIMEOUT, Simulators
from tests.graph.queries import CASE_GRAPH, nodes, predicted, suggested


async def test_twenty_cases_make_one_upstream_call_per_connector(hub: Hub, as_role, simulators: Simulators) -> None:  # type: ignore[no-untyped-def]
    await seed_demo(hub.cases, hub.areas)
    api = as_role(Role.FRONT_OFFICE, "3275")

    result = await api(CASE_GRAPH, first=20)

    assert "errors" not in result, result.get("errors")
    assert await simulators.calls() == {name: 1 for name in SIMULATORS}
    cases = nodes(result)
    assert len(cases) == 20
    assert sum(len(c["household"]["members"]) for c in cases) == 80
    every_member = [m for c in cases for m in c["household"]["members"]]
    assert {m["civilRegistry"]["source"] for m in every_member if m["civilRegistry"]} == {"dukcapil"}
    assert any(m["healthCoverage"] for m in every_member) and any(m["education"] for m in every_member)
    assert {c["household"]["welfare"]["source"] for c in cases if c["household"]["welfare"]} == {"siks_ng"}
    for case in cases:
        assert suggested(case) == predicted(case), case["number"]
        assert case["screeningNotEvaluated"] == []
    programmes = {p for c in cases for p, _ in suggested(c)}
    assert len(programmes) >= 3, programmes  # the demo data exercises several rules, not one


async def test_every_suggestion_names_its_rule_reason_and_facts(hub: Hub, as_role, simulators: Simulators) -> None:  # type: ignore[no-untyped-def]
    await seed_demo(hub.cases, hub.areas)
    result = await as_role(Role.BACK_OFFICE, "3275")(CASE_GRAPH, first=20)

    suggestions = [s for c in nodes(result) for s in c["suggestedReferrals"]]
    assert suggestions
    for s in suggestions:
        assert s["rule"] and s["reason"] and s["facts"], s
        assert s["subjectKind"] == ("HOUSEHOLD" if s["programme"] in {"BSPS_RTLH", "DTSEN_USULAN"} else "PERSON")
    pip = next(s for s in suggestions if s["programme"] == "PIP")
    assert "member.age" in {f["name"] for f in pip["facts"]}


async def test_a_hanging_connector_nulls_only_its_field_within_its_timeout(
        hub: Hub, as_role, simulators: Simulators) -> None:  # type: ignore[no-untyped-def]
    await seed_demo(hub.cases, hub.areas)
    api = as_role(Role.FRONT_OFFICE, "3275")
    healthy = await api(CASE_GRAPH, first=20)
    await simulators.control("bpjs", hang=True)
    calls: list[CallRecord] = []
    for runtime in hub.connectors.runtimes.values():
        runtime.hooks.append(calls.append)  # what the hub records of each upstream load

    result = await api(CASE_GRAPH, first=20)

    # The hang lasts until released, so only bpjs's timeout can have ended the wait. What the
    # hub records proves it was cut by the request's deadline (start + TIMEOUT): the budget
    # handed to that one load is less than a full TIMEOUT, because the query had already run
    # a while when it reached the field. No wall clock: a busy machine changes neither.
    by_connector = {c.connector: c for c in calls}
    assert sorted(c.connector for c in calls) == sorted(SIMULATORS)  # one load each, none repeated
    bpjs = by_connector["bpjs"]
    assert bpjs.outcome == "timeout" and bpjs.attempts == 1
    assert bpjs.budget is not None and 0 < bpjs.budget < TIMEOUT
    assert bpjs.duration >= bpjs.budget - 0.01  # it waited for its deadline, not less
    assert {c.outcome for n, c in by_connector.items() if n != "bpjs"} == {"ok"}  # nothing else waited
    cases = nodes(result)
    members = [(i, j, m) for i, c in enumerate(cases) for j, m in enumerate(c["household"]["members"])]
    errors = result["errors"]
    assert len(errors) == len(members) == 80
    assert {tuple(e["path"]) for e in errors} == {
        ("cases", "edges", i, "node", "household", "members", j, "healthCoverage") for i, j, _ in members}
    assert {(e["extensions"]["code"], e["extensions"]["connector"]) for e in errors} == {("CONNECTOR_UNAVAILABLE", "bpjs")}
    assert all(m["healthCoverage"] is None for _, _, m in members)
    # everything else is exactly what the healthy query returned
    for before, after in zip(nodes(healthy), cases, strict=True):
        assert [_stable(m) for m in after["household"]["members"]] == \
            [_stable(m) for m in before["household"]["members"]]
        assert after["household"]["welfare"] == before["household"]["welfare"]
        assert after["household"]["housing"] == before["household"]["housing"]
        # rules reading bpjs are reported as not evaluated, never as "no need"
        assert suggested(after) == {(p, s) for p, s in predicted(after) if p != "PBI_JK"}
        assert {(n["rule"], n["subject"], tuple(n["unavailable"])) for n in after["screeningNotEvaluated"]} == {
            ("poor-household-member-without-jkn", m["nik"], ("bpjs",)) for m in after["household"]["members"]}


def _stable(member: dict[str, Any]) -> dict[str, Any]:
    """A member without bpjs's field and without the fetch times, which differ per query."""
    return {k: ({f: x for f, x in v.items() if f != "fetchedAt"} if isinstance(v, dict) else v)
            for k, v in member.items() if k != "healthCoverage"}

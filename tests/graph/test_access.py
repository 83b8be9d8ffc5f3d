"""The PII rule on connector fields (SPEC 6) and the `connectors` query's scopes."""

from __future__ import annotations

from auth.roles import Role
from hub.container import Hub
from hub.demo.seed import seed_demo
from tests.graph.conftest import Simulators
from tests.graph.queries import CASE_GRAPH, nodes

PEOPLE_ONLY = """
query { cases(first: 5) { edges { node { household { members {
  nik civilRegistry { registeredName } healthCoverage { active } education { enrolled } } } } } } }"""

CONNECTORS = "{ connectors { name enabled healthy breakerState lastError p50LatencyMs } }"


async def test_personal_connector_fields_are_forbidden_without_pii_read(
        hub: Hub, as_role, simulators: Simulators) -> None:  # type: ignore[no-untyped-def]
    await seed_demo(hub.cases, hub.areas)

    result = await as_role(Role.SUPERVISOR, "3275")(PEOPLE_ONLY)

    members = [m for e in result["data"]["cases"]["edges"] for m in e["node"]["household"]["members"]]
    assert members and all(m["civilRegistry"] is None and m["healthCoverage"] is None for m in members)
    assert all("*" in m["nik"] for m in members)
    assert any(m["education"] is not None for m in members)  # not personal data: shown
    errors = result["errors"]
    assert len(errors) == 2 * len(members)
    assert {(e["path"][-1], e["extensions"]["code"]) for e in errors} == {
        ("civilRegistry", "FORBIDDEN"), ("healthCoverage", "FORBIDDEN")}
    calls = await simulators.calls()
    assert calls["dukcapil"] == calls["bpjs"] == 0  # refused before any upstream call
    assert calls["education"] == 1


async def test_suggestions_show_masked_subjects_without_pii_read(hub: Hub, as_role, simulators: Simulators) -> None:  # type: ignore[no-untyped-def]
    await seed_demo(hub.cases, hub.areas)
    clear = nodes(await as_role(Role.FRONT_OFFICE, "3275")(CASE_GRAPH, first=20))

    masked = nodes(await as_role(Role.SUPERVISOR, "3275")(CASE_GRAPH, first=20))

    subjects = [s["subject"] for c in masked for s in c["suggestedReferrals"]]
    assert subjects and all(len(s) == 16 and "********" in s for s in subjects)
    # the same suggestions, subjects masked, except those of rules reading a personal-data
    # connector: without pii:read those are not evaluated (tests/security/test_pii_screening.py)
    personal_rules = {"poor-household-member-without-jkn", "nik-unknown-to-dukcapil"}

    def by_case(cases: list[dict], skip: set[str] = set()) -> dict[str, list[tuple[str, str]]]:  # type: ignore[type-arg]
        return {c["number"]: sorted((s["programme"], s["rule"]) for s in c["suggestedReferrals"] if s["rule"] not in skip)
                for c in cases}

    seen_by_both = by_case(masked).keys() & by_case(clear).keys()  # the roles may see different cases
    assert len(seen_by_both) >= 10
    assert {n: by_case(masked)[n] for n in seen_by_both} == {n: by_case(clear, personal_rules)[n] for n in seen_by_both}
    assert any(s["rule"] in personal_rules for c in clear for s in c["suggestedReferrals"])


async def test_audit_log_records_personal_connector_reads(hub: Hub, as_role, simulators: Simulators) -> None:  # type: ignore[no-untyped-def]
    await seed_demo(hub.cases, hub.areas)
    api = as_role(Role.FRONT_OFFICE, "3275")
    await api('query { cases(first: 1) { edges { node { household { members { civilRegistry { alive } } } } } } }')

    page = await hub.audit.page(50)
    assert {e.operation for e in page.entries} == {"query cases"}
    assert len({e.subject_number for e in page.entries}) == 4  # each member whose record was shown


async def test_connectors_query_shows_each_connectors_state(hub: Hub, as_role, simulators: Simulators) -> None:  # type: ignore[no-untyped-def]
    await seed_demo(hub.cases, hub.areas)
    api = as_role(Role.SUPERVISOR, "3275")
    before = {c["name"]: c for c in (await api(CONNECTORS))["data"]["connectors"]}
    assert set(before) == {"bpjs", "dukcapil", "education", "pupr", "siks_ng"}
    assert all(c["enabled"] and c["healthy"] is None and c["breakerState"] == "CLOSED" for c in before.values())
    await simulators.control("pupr", error_rate=1.0)

    await api(CASE_GRAPH, first=3)
    after = {c["name"]: c for c in (await api(CONNECTORS))["data"]["connectors"]}

    assert after["pupr"]["healthy"] is False and after["pupr"]["lastError"] == "http_503"
    assert after["siks_ng"]["healthy"] is True and after["siks_ng"]["p50LatencyMs"] > 0
    assert after["siks_ng"]["lastError"] is None


async def test_connectors_query_needs_case_read_or_admin(hub: Hub, as_role, simulators: Simulators) -> None:  # type: ignore[no-untyped-def]
    admin = await as_role(Role.ADMIN)(CONNECTORS)
    partner = await as_role(Role.PARTNER)(CONNECTORS)

    assert len(admin["data"]["connectors"]) == 5
    assert partner["data"] is None and partner["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_the_case_graph_audits_every_clear_number_it_returns_once(
        hub: Hub, as_role, simulators: Simulators) -> None:  # type: ignore[no-untyped-def]
    """Issue 13's guard: however the graph is executed (prefetch, screening at once, leaves in
    the field loop), each NIK and KK a query shows in clear has one audit entry, and none more."""
    import json
    import re

    await seed_demo(hub.cases, hub.areas)
    result = await as_role(Role.FRONT_OFFICE, "3275")(CASE_GRAPH, first=20)
    assert "errors" not in result, result.get("errors")

    shown = set(re.findall(r"(?<!\d)\d{16}(?!\d)", json.dumps(result["data"])))
    cases = nodes(result)
    kks = {c["household"]["kkNumber"] for c in cases}
    niks = {m["nik"] for c in cases for m in c["household"]["members"]}
    assert shown == kks | niks and len(niks) == 80  # in clear: the caller holds pii:read
    entries = (await hub.audit.page(1000)).entries
    assert {e.operation for e in entries} == {"query cases"}
    assert sorted((e.subject_kind.value, e.subject_number) for e in entries) == sorted(
        [("KK", kk) for kk in kks] + [("NIK", nik) for nik in niks])

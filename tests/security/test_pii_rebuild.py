"""Issue 11, item 4: nothing a caller without pii:read sees rebuilds a NIK or KK number.

A SUPERVISOR (no pii:read) reads everything the case graph shows about the demo
households: masked numbers, names, sex, birth dates or years, areas, subjects, events,
screening suggestions and their facts. For every person and every household the test
enumerates the numbers consistent with all of it and needs at least 1,000 — counted
over Kota Bekasi's districts, and again assuming the district is the household's own.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from auth.roles import Role
from hub.container import Hub
from hub.demo.seed import seed_demo
from tests.graph.conftest import Simulators, clean_database, connector_settings, hub, simulators  # noqa: F401
from tests.security.candidates import ENOUGH, Seen, every_string, kk_candidates, nik_candidates

SIXTEEN = re.compile(r"(?<!\d)\d{16}(?!\d)")
VISIBLE = """query($first: Int!, $after: String) { cases(first: $first, after: $after) { pageInfo { endCursor hasNextPage } edges { node { number complaint village { code }
  household { id kkNumber address rt rw village { code }
              members { id nik name sex relationship birthDate } }
  subjects { id nik name sex birthDate }
  events { note }
  suggestedReferrals { subjectKind subject rule reason facts { name value } }
  screeningNotEvaluated { subjectKind subject rule }
} } } }"""
# Asked apart: a field that does not exist in an older schema just shows nothing.
YEARS = "query($first: Int!, $after: String) { cases(first: $first, after: $after) { pageInfo { endCursor hasNextPage } edges { node { household { members { id birthYear } } } } } }"


async def _all_pages(api: Any, query: str) -> dict[str, Any]:
    """Every case the caller sees, page by page (one page of the full graph would exceed the cost limit)."""
    edges: list[Any] = []
    after = None
    while True:
        page = await api(query, first=25, after=after)
        if not page.get("data"):
            return page
        edges += page["data"]["cases"]["edges"]
        info = page["data"]["cases"]["pageInfo"]
        if not info["hasNextPage"]:
            return {"data": {"cases": {"edges": edges}}}
        after = info["endCursor"]


def _seen_people(node: dict[str, Any], years: dict[str, int], today: date) -> dict[str, Seen]:
    members = node["household"]["members"]
    ages: dict[str, int] = {}
    for suggestion in node["suggestedReferrals"]:
        owners = [m["id"] for m in members if m["nik"] == suggestion["subject"]]
        for fact in suggestion["facts"]:
            if fact["name"] == "member.age" and fact["value"] is not None and len(owners) == 1:
                ages[owners[0]] = json.loads(fact["value"])
    return {m["id"]: Seen(mask=m["nik"], sex=m["sex"], birth_year=years.get(m["id"]),
                          birth_date=date.fromisoformat(m["birthDate"]) if m["birthDate"] else None,
                          age=(ages[m["id"]], today) if m["id"] in ages else None)
            for m in members}


async def test_no_number_is_narrowed_below_a_thousand_candidates(hub: Hub, as_role: Any,
                                                                 simulators: Simulators) -> None:
    demo_cases = await seed_demo(hub.cases, hub.areas)
    supervisor = as_role(Role.SUPERVISOR, "3275")  # SUPERVISOR's default scopes: no pii:read
    bekasi = [area.code for area in hub.areas.children("3275")]
    assert len(bekasi) == 12

    result = await _all_pages(supervisor, VISIBLE)
    year_result = await _all_pages(supervisor, YEARS)

    assert not SIXTEEN.search(json.dumps(result)), "a clear number"
    nodes = [e["node"] for e in result["data"]["cases"]["edges"]]
    years = {m["id"]: m["birthYear"] for e in (year_result.get("data") or {"cases": {"edges": []}})["cases"]["edges"]
             for m in e["node"]["household"]["members"]}
    masks = {m["nik"] for n in nodes for m in n["household"]["members"]} | {n["household"]["kkNumber"] for n in nodes}
    shown_numbers = {s for n in nodes for s in every_string(n) if len(s) == 16 and re.fullmatch(r"[\d*]{16}", s)}
    assert shown_numbers <= masks  # every number-like string is one of the masks counted below

    people = 0
    for node in nodes:
        own_district = node["household"]["village"]["code"][:6]
        for person_id, seen in _seen_people(node, years, date.today()).items():
            people += 1
            assert nik_candidates(seen, bekasi) >= ENOUGH, (node["number"], person_id, seen)
            assert nik_candidates(seen, [own_district]) >= ENOUGH, (node["number"], person_id, seen)
        kk = node["household"]["kkNumber"]
        assert kk_candidates(kk, bekasi) >= ENOUGH, (node["number"], kk)
        assert kk_candidates(kk, [own_district]) >= ENOUGH, (node["number"], kk)
    assert len(nodes) == len(demo_cases) and people == 4 * len(demo_cases)

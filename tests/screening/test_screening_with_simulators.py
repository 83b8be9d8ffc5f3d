"""End to end below GraphQL: simulators over HTTP -> runtimes -> screening == the derivation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from connectors.sdk import Entity, build_runtimes, discover
from connectors.simulators import create_app
from connectors.synthetic import demo_kk, expected_suggestions, family
from hub.screening import UNAVAILABLE, HouseholdView, PersonView, Screening, load_rules

KKS = [demo_kk("327502", block) for block in range(1, 31)]


@pytest.fixture
async def runtimes() -> AsyncIterator[dict]:
    server = TestServer(create_app(), host="127.0.0.1")
    await server.start_server()
    base = str(server.make_url("")).rstrip("/")
    async with aiohttp.ClientSession() as session:
        classes = discover()
        settings = {n: c.settings_class.for_connector(n, base_url=f"{base}/{n}") for n, c in classes.items()}
        yield build_runtimes(classes, session, settings=settings)
    await server.close()


async def views(runtimes: dict, down: frozenset[str] = frozenset()) -> list[HouseholdView]:
    members = {
        kk: [PersonView(nik=m[0], birth_date=m[2], sex=m[3], relationship=m[4]) for m in family(kk)]
        for kk in KKS
    }
    niks = [p.nik for ps in members.values() for p in ps]
    loaded = {}
    for name, runtime in runtimes.items():
        keys = KKS if runtime.connector.extends is Entity.HOUSEHOLD else niks
        loaded[name] = {k: UNAVAILABLE for k in keys} if name in down else await runtime.load_many(keys)
    household_side = [n for n, r in runtimes.items() if r.connector.extends is Entity.HOUSEHOLD]
    person_side = [n for n in runtimes if n not in household_side]
    return [
        HouseholdView(
            kk=kk,
            members=[
                PersonView(
                    p.nik, p.birth_date, p.sex, p.relationship, {n: loaded[n][p.nik] for n in person_side}
                )
                for p in members[kk]
            ],
            records={n: loaded[n][kk] for n in household_side},
        )
        for kk in KKS
    ]


async def test_suggestions_match_the_documented_derivation(runtimes: dict) -> None:
    screening = Screening(load_rules())
    today = date.today()
    all_found: set[str] = set()
    for view in await views(runtimes):
        result = screening.screen(view, today)
        assert result.programmes() == expected_suggestions(view.kk, [m.nik for m in view.members], today), (
            view.kk
        )
        assert result.not_evaluated == []
        all_found |= {s.programme for s in result.suggestions}
    # the demo households show every kind of need
    assert all_found == {"PIP", "PBI_JK", "BSPS_RTLH", "ADMINDUK", "DTSEN_USULAN"}


async def test_a_down_connector_leaves_its_rules_not_evaluated(runtimes: dict) -> None:
    screening = Screening(load_rules())
    for view in await views(runtimes, down=frozenset({"bpjs"})):
        result = screening.screen(view, date.today())
        assert not any(s.programme == "PBI_JK" for s in result.suggestions)
        assert {n.subject for n in result.not_evaluated if n.programme == "PBI_JK"} == {
            m.nik for m in view.members
        }

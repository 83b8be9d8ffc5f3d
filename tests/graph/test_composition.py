"""Schema composition at start-up (SPEC 8): a field per enabled connector, a broken
connector stops start-up with its name, an open breaker fails fast with its code."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest
import strawberry

from auth.roles import Role
from connectors.bpjs.connector import Bpjs
from connectors.sdk import (
    ConnectorDefinitionError,
    ConnectorRecord,
    ConnectorSettings,
    Entity,
    Http,
)
from hub.container import Hub
from hub.demo.seed import seed_demo
from hub.settings import Settings
from schema import build_schema
from tests.graph.conftest import ConnectorOverrides, Simulators, serving
from tests.graph.queries import CASE_GRAPH, nodes, predicted, suggested


async def test_a_disabled_connector_adds_no_field(settings: Settings, migrated: str, simulators: Simulators,
                                                  connector_settings: ConnectorOverrides) -> None:
    hub = await Hub.start(settings, connector_settings=connector_settings(bpjs={"enabled": False}))
    try:
        await seed_demo(hub.cases, hub.areas)
        async with serving(hub, settings) as call:
            refused = await call(Role.FRONT_OFFICE, "3275", CASE_GRAPH, first=5)
            statuses = await call(Role.FRONT_OFFICE, "3275", "{ connectors { name enabled } }")
            query = CASE_GRAPH.replace("healthCoverage { active segment source }", "")
            result = await call(Role.FRONT_OFFICE, "3275", query, first=5)
    finally:
        await hub.close()

    assert refused["errors"][0]["message"] == "Cannot query field 'healthCoverage' on type 'Person'."
    assert {"name": "bpjs", "enabled": False} in statuses["data"]["connectors"]
    assert "errors" not in result
    assert (await simulators.calls())["bpjs"] == 0
    for case in nodes(result):  # bpjs's rule is not evaluated rather than answered "no need"
        assert suggested(case) == {(p, s) for p, s in predicted(case) if p != "PBI_JK"}
        assert {n["programme"] for n in case["screeningNotEvaluated"]} == {"PBI_JK"}


def test_the_schema_has_a_field_per_connector_it_is_built_with() -> None:
    only_bpjs = build_schema(connectors=[Bpjs]).as_str()
    none = build_schema(connectors=[]).as_str()

    assert "healthCoverage: HealthCoverage" in only_bpjs and "civilRegistry" not in only_bpjs
    assert "healthCoverage" not in none and "type HealthCoverage" not in none


@strawberry.type
class Shoe(ConnectorRecord):
    size: int


class Broken(Bpjs):
    name = "broken"
    record_type = Shoe  # type: ignore[assignment]
    field = "Not A Field"


class Lazy(Bpjs):
    name = "lazy"
    field = "lazy"
    fetch_many = None  # type: ignore[assignment]


@pytest.mark.parametrize(("cls", "problem"), [(Broken, "invalid `field`"), (Lazy, "fetch_many")])
async def test_a_broken_connector_stops_start_up_with_its_name(settings: Settings, migrated: str,
                                                               cls: type, problem: str) -> None:
    with pytest.raises(ConnectorDefinitionError) as raised:
        await Hub.start(settings, connectors={cls.name: cls})

    assert raised.value.connector_name == cls.name
    assert problem in raised.value.problem


class Household404(Bpjs):
    """A household connector whose record type nobody else uses."""

    name = "kitchen"
    extends = Entity.HOUSEHOLD
    field = "kitchen"
    record_type = Shoe  # type: ignore[assignment]

    async def fetch_many(self, keys: Sequence[str], http: Http) -> Mapping[str, ConnectorRecord]:
        await http.post_json("peserta/batch", {"nik": list(keys)})  # bpjs's simulator: answers 200
        return {}


async def test_an_open_breaker_fails_fast_with_connector_unavailable(
        settings: Settings, migrated: str, simulators: Simulators) -> None:
    conf = ConnectorSettings.for_connector("kitchen", base_url=f"{simulators.base}/bpjs", breaker_threshold=1,
                                           retries=0, cache_ttl=0)
    hub = await Hub.start(settings, connectors={"kitchen": Household404}, connector_settings={"kitchen": conf})
    query = "query { cases(first: 2) { edges { node { household { kitchen { size } } } } } }"
    try:
        await seed_demo(hub.cases, hub.areas)
        async with serving(hub, settings) as call:
            await simulators.control("bpjs", error_rate=1.0)
            failed = await call(Role.FRONT_OFFICE, "3275", query)
            await simulators.control("bpjs", error_rate=0.0)
            fast = await call(Role.FRONT_OFFICE, "3275", query)
            states = await call(Role.ADMIN, None, "{ connectors { name breakerState lastError } }")
    finally:
        await hub.close()

    assert {e["extensions"]["reason"] for e in failed["errors"]} == {"http_503"}
    assert {(e["extensions"]["code"], e["extensions"]["reason"]) for e in fast["errors"]} == {
        ("CONNECTOR_UNAVAILABLE", "circuit_open")}
    assert (await simulators.calls())["bpjs"] == 1  # the open breaker sent nothing upstream
    assert states["data"]["connectors"] == [{"name": "kitchen", "breakerState": "OPEN", "lastError": "http_503"}]

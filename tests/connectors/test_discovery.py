"""Discovery through entry points, and start-up validation naming the broken connector."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest
import strawberry

from connectors.sdk import GROUP, Connector, ConnectorDefinitionError, ConnectorSettings, Entity, discover


@strawberry.type
class Rec:
    value: str


class NoField(Connector[ConnectorSettings]):
    name = "no_field"
    settings_class = ConnectorSettings
    extends = Entity.PERSON
    record_type = Rec

    async def fetch_many(self, keys, http):
        return {}


def ep(name: str, attr: str) -> EntryPoint:
    return EntryPoint(name=name, value=f"{__name__}:{attr}", group=GROUP)


def test_builtin_connectors_are_discovered() -> None:
    found = discover()
    assert {"dukcapil", "siks_ng", "bpjs", "education", "pupr"} <= set(found)
    assert {found[n].field for n in ("dukcapil", "siks_ng", "bpjs", "education", "pupr")} == {
        "civilRegistry",
        "welfare",
        "healthCoverage",
        "education",
        "housing",
    }


def test_missing_field_is_reported_with_the_connector_name() -> None:
    with pytest.raises(ConnectorDefinitionError) as caught:
        discover(entry=[ep("no_field", "NoField")])
    assert caught.value.connector_name == "no_field"
    assert "field" in caught.value.problem


class BadExtends(NoField):
    name = "bad_extends"
    field = "badExtends"
    extends = "Person"  # type: ignore[assignment]


class PlainRecord(NoField):
    name = "plain_record"
    field = "plainRecord"
    record_type = Rec  # not a ConnectorRecord: no source/fetchedAt/cached


class NoFetch(Connector[ConnectorSettings]):
    name = "no_fetch"
    settings_class = ConnectorSettings
    extends = Entity.HOUSEHOLD
    field = "noFetch"


@pytest.mark.parametrize(
    ("name", "attr", "words"),
    [
        ("bad_extends", "BadExtends", "extends"),
        ("plain_record", "PlainRecord", "record_type"),
        ("no_fetch", "NoFetch", "record_type"),
        ("missing", "DoesNotExist", "cannot be imported"),
        ("renamed", "BadExtends", "entry point name"),
    ],
)
def test_broken_connectors_fail_discovery(name: str, attr: str, words: str) -> None:
    with pytest.raises(ConnectorDefinitionError) as caught:
        discover(entry=[ep(name, attr)])
    assert caught.value.connector_name == name
    assert words in str(caught.value)


def test_two_connectors_claiming_one_field_fail() -> None:
    with pytest.raises(ConnectorDefinitionError, match="already added"):
        discover(entry=[EntryPoint("bpjs", "connectors.bpjs.connector:Bpjs", GROUP), ep("dup", "Dup")])


class Dup(NoField):
    name = "dup"
    field = "healthCoverage"
    record_type = __import__("connectors.bpjs.connector", fromlist=["x"]).HealthCoverage

"""schema/execution.py: attribute leaves read on the short path answer exactly what
graphql-core's ordinary path answers, errors included, and skip `execute_field`."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.enum_output import install as install_enum_output
from schema.execution import HubExecutionContext, mark_leaf_attributes
from schema.plain_fields import install as install_plain_fields


@strawberry.enum
class Colour(enum.Enum):
    RED = "merah"
    BLUE = "biru"


@strawberry.type
class Item:
    name: str
    count: int
    colour: Colour
    seen_at: datetime
    note: str | None
    required: str  # some items break it: None where the schema says non-null

    @strawberry.field
    def shouted(self) -> str:
        return self.name.upper()


class FragileItem(Item):
    """An item whose `note` raises when read."""

    @property  # type: ignore[override]
    def note(self) -> str | None:
        raise ValueError("this note cannot be read")

    @note.setter
    def note(self, value: str | None) -> None:
        pass


def _items() -> list[Item]:
    at = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
    items = [Item(name=f"item {i}", count=i, colour=Colour.RED if i % 2 else Colour.BLUE, seen_at=at,
                  note=None if i % 3 else "catatan", required="ada") for i in range(60)]
    items[7].required = None  # type: ignore[assignment]
    items[11].count = "not a number"  # type: ignore[assignment]
    items[13] = FragileItem(name="item 13", count=13, colour=Colour.RED, seen_at=at, note=None, required="ada")
    return items


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item | None]:
        return list(_items())

    @strawberry.field
    def first(self) -> Item:
        return _items()[0]


QUERY = """{ items { name count colour seenAt note required shouted __typename }
             first { n: name colour again: colour } }"""


def _schema(context: type) -> strawberry.Schema:
    schema = strawberry.Schema(query=Query, execution_context_class=context)
    mark_leaf_attributes(install_plain_fields(schema._schema))
    install_enum_output(schema._schema)
    return schema


def _answer(context: type) -> tuple[Any, list[tuple[str, tuple[Any, ...]]]]:
    result = _schema(context).execute_sync(QUERY)
    return result.data, sorted((e.message, tuple(e.path or ())) for e in result.errors or [])


def test_the_short_path_answers_what_the_ordinary_path_answers() -> None:
    ordinary = _answer(StrawberryGraphQLCoreExecutionContext)
    short = _answer(HubExecutionContext)

    assert short == ordinary
    data, errors = short
    assert data["items"][0] == {"name": "item 0", "count": 0, "colour": "BLUE", "seenAt": "2026-12-01T08:30:00+00:00",
                                "note": "catatan", "required": "ada", "shouted": "ITEM 0", "__typename": "Item"}
    assert data["first"] == {"n": "item 0", "colour": "BLUE", "again": "BLUE"}
    # a null in a non-null field, a value that does not coerce: the item is nulled, the error
    # located; an attribute that raises: its nullable field is nulled, the error located
    assert data["items"][7] is None and data["items"][11] is None
    assert data["items"][13]["note"] is None and data["items"][13]["name"] == "item 13"
    assert sorted(path for _, path in errors) == [("items", 7, "required"), ("items", 11, "count"), ("items", 13, "note")]
    assert "this note cannot be read" in {message for message, _ in errors}


def test_leaves_skip_execute_field() -> None:
    calls = [0]

    class Counting(HubExecutionContext):
        def execute_field(self, *args: Any, **kwargs: Any) -> Any:
            calls[0] += 1
            return super().execute_field(*args, **kwargs)

    result = _schema(Counting).execute_sync("{ items { name colour seenAt shouted } }")

    assert not result.errors
    # the root field and each item's resolver field; not the 3 attribute leaves of 60 items
    assert calls[0] == 1 + 60

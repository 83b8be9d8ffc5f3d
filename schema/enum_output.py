"""Enum values written by a dictionary lookup instead of strawberry's scan of every value.

strawberry's enum type finds a value's GraphQL name by comparing it with each value of the
enum in turn, reading ``.value`` of both (an enum property) every time: for the unified
case graph's ~600 enum values (relationship, status, verification answers...) that was
~3 % of the hub's CPU (docs/perf/README.md). `install` gives each strawberry enum type of
the schema a ``coerce_output_value`` that looks the member up in a dict made once, and
hands anything that is not a member of the enum (a plain string) to strawberry's own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLSchema
from strawberry.schema.schema_converter import CustomGraphQLEnumType


def install(schema: GraphQLSchema) -> None:
    for type_ in schema.type_map.values():
        if isinstance(type_, CustomGraphQLEnumType):
            type_.coerce_output_value = type_.serialize = _lookup(type_)  # type: ignore[method-assign]


def _lookup(type_: CustomGraphQLEnumType) -> Callable[[Any], Any]:
    enum_class = type_.wrapped_cls
    names = {member: name for member in enum_class for name, value in type_.values.items()
             if member.value == value.value}
    scan = type_.coerce_output_value  # strawberry's, bound: the same answer for anything else

    def coerce_output_value(output_value: Any) -> Any:
        if type(output_value) is enum_class:
            return names[output_value]
        return scan(output_value)

    return coerce_output_value

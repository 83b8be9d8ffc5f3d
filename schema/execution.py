"""The executor's field loop, with a short path for attribute leaves.

Most fields of a large answer are scalars or enums read off an object: a member's name,
a record's `source`, a welfare decile. `schema/plain_fields.py` already gives them a direct
resolver, but graphql-core still spends the same steps on each before and after it: a
`Path`, an info object, the resolver call, two awaitable checks, and `complete_value`'s
walk through the type's wrappers. For the 50-case graph with suggestions that is ~2,350 of
~3,800 fields; reading them here cut the Python calls per query from 207,000 to 159,000
(docs/perf/README.md).

`HubExecutionContext.execute_fields` is graphql-core's (3.3) with one branch added: a field
marked by `mark_leaf_attributes` (an attribute field without arguments, of a scalar or enum
type, possibly non-null) is read with ``getattr`` and coerced with the type's own
``coerce_output_value``, as `complete_leaf_value` does. Anything unusual — the attribute
raises, is an exception, is null where the type is non-null, does not coerce — goes the
ordinary way, which reports it exactly as before. Fields with a resolver, an argument, a
permission class or an extension, lists and objects never take the short path, so every
rule (PII masking, area, audit) stays where it is.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    Undefined,
    is_leaf_type,
)
from graphql.pyutils import Path, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

LEAF_ATTRIBUTE = "slrt.leaf_attribute"  # GraphQLField.extensions key: (attribute name, leaf type, non-null)
_ORDINARY: Any = object()  # the short path declines: the field goes through `execute_field`


def mark_leaf_attributes(attributes: list[tuple[GraphQLField, str]]) -> None:
    """Mark the fields of `attributes` (each with the attribute it reads) whose type is a leaf."""
    for field, name in attributes:
        if field.args:
            continue
        type_ = field.type
        non_null = isinstance(type_, GraphQLNonNull)
        inner = type_.of_type if non_null else type_
        if is_leaf_type(inner):
            field.extensions[LEAF_ATTRIBUTE] = (name, inner, non_null)


def _leaf(source: Any, name: str, type_: GraphQLLeafType, non_null: bool) -> Any:
    try:
        value = getattr(source, name)
        if value is None:
            return _ORDINARY if non_null else None
        if isinstance(value, Exception):
            return _ORDINARY
        coerced = type_.coerce_output_value(value)  # type: ignore[misc]
    except Exception:  # noqa: BLE001 - the ordinary path raises it again, located
        return _ORDINARY
    return _ORDINARY if coerced is None or coerced is Undefined else coerced


class HubExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def execute_fields(self, parent_type: GraphQLObjectType, source_value: Any, path: Path | None,
                       grouped_field_set: Any, position_context: Any) -> Any:
        if self.middleware_manager is not None and self.middleware_manager.middlewares:
            # an extension with a `resolve` hook wraps every field: the ordinary way for all
            return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)
        fields = parent_type.fields
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for response_name, field_details_list in grouped_field_set.items():
                node = field_details_list[0].node
                field_def = fields.get(node.name.value)
                leaf = field_def.extensions.get(LEAF_ATTRIBUTE) if field_def is not None else None
                if leaf is not None and not node.arguments:
                    value = _leaf(source_value, *leaf)
                    if value is not _ORDINARY:
                        results[response_name] = value
                        continue
                # graphql-core's own loop from here on
                field_path = Path(path, response_name, parent_type.name)
                result = self.execute_field(parent_type, source_value, field_details_list, field_path,
                                            position_context)
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[field] for field in awaitable_fields])
            raise
        if not awaitable_fields:
            return results

        async def get_results() -> dict[str, Any]:
            if len(awaitable_fields) == 1:
                field = awaitable_fields[0]
                results[field] = await results[field]
            else:
                awaited = await gather_with_cancel(*(results[field] for field in awaitable_fields))
                results.update(zip(awaitable_fields, awaited, strict=True))
            return results

        return get_results()

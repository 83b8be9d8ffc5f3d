"""Direct graphql-core resolvers for the fields that make up most of a large answer.

strawberry wraps every field: an attribute field costs three calls to read the attribute,
a field with a resolver an `Info` object, argument conversion and an extension chain
(about fifteen calls) even with no argument and no extension. The unified case graph of
50 cases resolves ~4,000 fields, so the wrapping was a fifth of the hub's CPU for it
(docs/perf/README.md). Once the schema is built, `install` gives two kinds of field a
direct graphql-core resolver with the same result:

- an attribute field (no resolver, no permission class, no extension):
  ``getattr(source, python_name)``, which is what strawberry's default resolver does;
- a field whose metadata is `plain(...)`: its resolver function is called as
  ``resolver(source, info)`` with graphql-core's `GraphQLResolveInfo`, which has the
  ``context``, ``path`` and ``operation`` strawberry's `Info` would give. Only for
  resolvers without arguments that read nothing else of ``info``.

Every other field (arguments, permission classes, extensions) keeps strawberry's path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLField, GraphQLObjectType, GraphQLSchema
from strawberry.types.field import StrawberryField

PLAIN = "slrt.plain"


def plain(**metadata: Any) -> dict[str, Any]:
    """Field metadata: resolve with ``resolver(source, info)``, without strawberry's wrapping."""
    return {PLAIN: True, **metadata}


def install(schema: GraphQLSchema) -> list[tuple[GraphQLField, str]]:
    """Give attribute fields and `plain` fields of every object type but the roots a direct
    resolver; returns the attribute fields, each with the attribute it reads."""
    roots = {schema.query_type, schema.mutation_type, schema.subscription_type}
    attributes: list[tuple[GraphQLField, str]] = []
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__") or type_ in roots:
            continue
        for field in type_.fields.values():
            definition = field.extensions.get("strawberry-definition")
            if not isinstance(definition, StrawberryField) or definition.extensions:
                continue
            if definition.base_resolver is None:
                field.resolve = _attribute(definition.python_name)
                attributes.append((field, definition.python_name))
            elif (definition.metadata or {}).get(PLAIN):
                field.resolve = _plain_resolver(type_.name, definition)
    return attributes


def _attribute(name: str) -> Callable[[Any, Any], Any]:
    def resolve(source: Any, _info: Any) -> Any:
        return getattr(source, name)

    return resolve


def _plain_resolver(type_name: str, definition: StrawberryField) -> Callable[..., Any]:
    resolver = definition.base_resolver
    assert resolver is not None
    parameters = list(resolver.signature.parameters)
    if definition.arguments or len(parameters) != 2 or parameters[1] != "info" or parameters[0] not in ("self", "root"):
        raise TypeError(f"{type_name}.{definition.python_name}: a plain field's resolver takes (self or root, info) "
                        f"and no argument, not {parameters}")
    return resolver.wrapped_func  # type: ignore[return-value]

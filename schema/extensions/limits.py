"""Query protection: token, depth, alias and cost limits, refused as ``QUERY_TOO_COMPLEX``.

Cost is what a query may make the hub do: every field costs 1 unless marked otherwise
(connector fields, which call sector systems, are marked with ``cost(n)`` or named in
``SLRT_QUERY_FIELD_COSTS``), multiplied by the sizes of the lists around it — the
``first`` argument where a list has one, ``default_list_size`` where it has none.
The check walks the parsed document once, before validation and before any resolver runs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    value_from_ast,
)
from strawberry.extensions import SchemaExtension

from schema.errors import QueryTooComplex

COST_KEY = "slrt.cost"


def cost(n: int) -> dict[str, int]:
    """Field metadata marking a field's own cost: ``strawberry.field(metadata=cost(5))``."""
    return {COST_KEY: n}


@dataclass(frozen=True)
class QueryLimits:
    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 3000
    max_cost: int = 50_000  # the unified case graph of 50 cases with all connectors costs ~27,400
    default_list_size: int = 10
    field_costs: Mapping[str, int] = field(default_factory=dict)  # "Type.field" -> cost


def _is_list(field_def: GraphQLField) -> bool:
    t = field_def.type
    if isinstance(t, GraphQLNonNull):
        t = t.of_type
    return isinstance(t, GraphQLList)


class _Walk:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any],
                 limits: QueryLimits) -> None:
        self.schema = schema
        self.limits = limits
        self.variables = dict(variables or {})
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.aliases = 0
        self.depth = 0
        self.cost = 0

    def field_cost(self, parent: GraphQLObjectType, name: str, field_def: GraphQLField) -> int:
        configured = self.limits.field_costs.get(f"{parent.name}.{name}")
        if configured is not None:
            return configured
        definition = (field_def.extensions or {}).get("strawberry-definition")
        metadata = getattr(definition, "metadata", None) or {}
        return int(metadata.get(COST_KEY) or 1)

    def first(self, node: FieldNode, field_def: GraphQLField) -> int | None:
        arg = field_def.args.get("first")
        if arg is None:
            return None
        given = next((a for a in node.arguments or () if a.name.value == "first"), None)
        value = value_from_ast(given.value, arg.type, self.variables) if given else arg.default_value
        return max(int(value), 0) if isinstance(value, int) else self.limits.default_list_size

    def selections(self, selection_set: SelectionSetNode | None, parent: Any, depth: int, multiplier: int,
                   sized: bool, seen: frozenset[str]) -> None:
        if selection_set is None:
            return
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                self.field(sel, parent, depth, multiplier, sized, seen)
            elif isinstance(sel, InlineFragmentNode):
                target = self.schema.get_type(sel.type_condition.name.value) if sel.type_condition else parent
                self.selections(sel.selection_set, target, depth, multiplier, sized, seen)
            elif isinstance(sel, FragmentSpreadNode) and sel.name.value not in seen:
                fragment = self.fragments.get(sel.name.value)
                if fragment is not None:
                    target = self.schema.get_type(fragment.type_condition.name.value)
                    self.selections(fragment.selection_set, target, depth, multiplier, sized,
                                    seen | {sel.name.value})

    def field(self, node: FieldNode, parent: Any, depth: int, multiplier: int, sized: bool,
              seen: frozenset[str]) -> None:
        if node.alias is not None:
            self.aliases += 1
        name = node.name.value
        if name.startswith("__"):
            return
        field_def = getattr(parent, "fields", {}).get(name)
        if field_def is None:
            return
        self.depth = max(self.depth, depth)
        self.cost += multiplier * self.field_cost(parent, name, field_def)
        first = self.first(node, field_def)
        if first is not None:  # a connection or list sized by its `first`
            multiplier, sized = multiplier * first, True
        if _is_list(field_def):
            if not sized:
                multiplier *= self.limits.default_list_size
            sized = False
        self.selections(node.selection_set, get_named_type(field_def.type), depth + 1, multiplier, sized, seen)


def measure(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None,
            variables: Mapping[str, Any], limits: QueryLimits) -> _Walk:
    walk = _Walk(schema, document, variables, limits)
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    for op in operations:
        if operation_name is None or (op.name and op.name.value == operation_name):
            root = schema.get_root_type(op.operation)
            walk.selections(op.selection_set, root, 1, 1, False, frozenset())
    return walk


class QueryLimiter(SchemaExtension):
    def __init__(self, limits: QueryLimits) -> None:
        self.limits = limits

    def on_operation(self) -> Iterator[None]:
        self.execution_context.parse_options["max_tokens"] = self.limits.max_tokens
        try:
            yield
        except GraphQLError as error:  # the parser (under ParserCache) raises through the hooks
            self._code_token_limit(error)
            raise
        for result_error in getattr(self.execution_context.result, "errors", None) or ():
            self._code_token_limit(result_error)

    def _code_token_limit(self, error: GraphQLError) -> None:
        # graphql-core's parser stops at the token limit with a syntax error; say what it is.
        if "tokens" in error.message and "Parsing aborted" in error.message:
            error.message = f"query has more than {self.limits.max_tokens} tokens"
            error.extensions = {"code": "QUERY_TOO_COMPLEX"}

    def on_validate(self) -> Iterator[None]:
        # Before GraphQL's own validation, which is costlier on exactly the documents refused here
        # (and strawberry acts on validation errors before the hooks' after-yield parts run).
        ctx = self.execution_context
        if not ctx.pre_execution_errors and ctx.graphql_document is not None:
            problem = self._problem(ctx.schema._schema, ctx.graphql_document, ctx.operation_name,
                                    ctx.variables or {})
            if problem:
                ctx.pre_execution_errors = [QueryTooComplex(problem)]
        yield

    def _problem(self, schema: GraphQLSchema, document: DocumentNode, operation_name: str | None,
                 variables: Mapping[str, Any]) -> str | None:
        try:
            walk = measure(schema, document, operation_name, variables, self.limits)
        except (GraphQLError, TypeError, ValueError):
            return None  # malformed variables are refused by execution with a precise message
        if walk.depth > self.limits.max_depth:
            return f"query is nested {walk.depth} deep; the limit is {self.limits.max_depth}"
        if walk.aliases > self.limits.max_aliases:
            return f"query uses {walk.aliases} aliases; the limit is {self.limits.max_aliases}"
        if walk.cost > self.limits.max_cost:
            return f"query would cost {walk.cost}; the limit is {self.limits.max_cost} (lower `first`)"
        return None

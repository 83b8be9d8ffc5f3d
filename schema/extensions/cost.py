"""What a GraphQL document asks of the hub: cost, depth, aliases and federation entities.

Cost: every field costs 1 unless marked otherwise (connector fields, which call sector
systems, carry ``cost(n)`` metadata or are named in ``SLRT_QUERY_FIELD_COSTS``), multiplied
by the sizes of the lists around it — the ``first`` argument where a list has one,
``default_list_size`` where it has none, the number of representations for ``_entities``.

The walk takes time linear in the document's size, whatever the document:

- a fragment is measured once per (fragment, type it applies to, whether its list is
  already sized) and that tally is reused at every spread, so ten fragments each spreading
  the next twice cost ten walks, not 2^10 (the count itself still doubles: such a document
  asks for 2^10 copies of the innermost selection, and is refused for it);
- every quantity only grows as the walk goes on (a list counts at least 1, even with
  ``first: 0``), so a partial tally over a limit means the whole document is over it, and
  the walk stops right there;
- a fragment that spreads itself, directly or through others, is refused.

``visited`` counts the selections the walk looked at, so tests can check the bound.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLSchema,
    InlineFragmentNode,
    ListValueNode,
    NamedTypeNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    value_from_ast,
)

COST_KEY = "slrt.cost"
ENTITIES = "_entities"  # Apollo Federation: the gateway's lookup of entities by key


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
    max_entities: int = 1000  # representations in one operation's `_entities` lookups


@dataclass(frozen=True, slots=True)
class Tally:
    """What a selection adds up to, for one item of the list around it."""

    cost: int = 0
    depth: int = 0
    aliases: int = 0
    entities: int = 0

    def beside(self, other: Tally) -> Tally:
        return Tally(self.cost + other.cost, max(self.depth, other.depth), self.aliases + other.aliases,
                     self.entities + other.entities)


NOTHING = Tally()


class OverLimit(Exception):
    """The document passes a limit; the message says which, and is safe to show."""

    def __init__(self, message: str, tally: Tally) -> None:
        super().__init__(message)
        self.tally = tally


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
        self.query_root = schema.query_type
        self.visited = 0
        self._measured: dict[tuple[str, str, bool], Tally] = {}
        self._open: list[str] = []  # fragments being measured, outermost first

    def check(self, tally: Tally) -> None:
        limits = self.limits
        if tally.depth > limits.max_depth:
            raise OverLimit(f"query is nested at least {tally.depth} deep; the limit is {limits.max_depth}", tally)
        if tally.aliases > limits.max_aliases:
            raise OverLimit(f"query uses at least {tally.aliases} aliases; the limit is {limits.max_aliases}", tally)
        if tally.entities > limits.max_entities:
            raise OverLimit(f"query looks up {tally.entities} entities; the limit is {limits.max_entities}", tally)
        if tally.cost > limits.max_cost:
            raise OverLimit(f"query would cost at least {tally.cost}; the limit is {limits.max_cost} "
                            "(lower `first`)", tally)

    def selection_set(self, node: SelectionSetNode | None, parent: Any, sized: bool) -> Tally:
        total = NOTHING
        for sel in node.selections if node is not None else ():
            self.visited += 1
            if isinstance(sel, FieldNode):
                part = self.field(sel, parent, sized)
            elif isinstance(sel, InlineFragmentNode):
                target = self.target(sel.type_condition, parent)
                part = self.selection_set(sel.selection_set, target, sized) if target is not None else NOTHING
            elif isinstance(sel, FragmentSpreadNode):
                part = self.spread(sel.name.value, sized)
            else:  # pragma: no cover - graphql-core has no other selection kind
                continue
            total = total.beside(part)
            self.check(total)
        return total

    def target(self, condition: NamedTypeNode | None, parent: Any) -> GraphQLNamedType | None:
        return parent if condition is None else self.schema.get_type(condition.name.value)

    def spread(self, name: str, sized: bool) -> Tally:
        fragment = self.fragments.get(name)
        target = self.target(fragment.type_condition, None) if fragment is not None else None
        if fragment is None or target is None:
            return NOTHING  # validation refuses unknown fragments and types
        key = (name, target.name, sized)
        if (known := self._measured.get(key)) is not None:
            return known
        if name in self._open:
            cycle = " → ".join([*self._open[self._open.index(name):], name])
            raise OverLimit(f"fragment {name} spreads itself ({cycle})", NOTHING)
        self._open.append(name)
        try:
            tally = self.selection_set(fragment.selection_set, target, sized)
        finally:
            self._open.pop()
        self._measured[key] = tally
        return tally

    def field(self, node: FieldNode, parent: Any, sized: bool) -> Tally:
        alias = 0 if node.alias is None else 1
        name = node.name.value
        field_def = None if name.startswith("__") else getattr(parent, "fields", {}).get(name)
        if field_def is None:
            return Tally(aliases=alias)  # introspection, or a field validation refuses
        own = self.field_cost(parent, name, field_def)
        child_type = get_named_type(field_def.type)
        if parent is self.query_root and name == ENTITIES:
            # One item per representation, whatever its type; each costs a lookup.
            count = self.representations(node)
            self.check(Tally(entities=count))  # before walking anything for them
            child = self.selection_set(node.selection_set, child_type, False)
            return Tally(own + count * (1 + child.cost), 1 + child.depth, alias + child.aliases, count + child.entities)
        factor = 1
        first = self.first(node, field_def)
        if first is not None:  # a connection or list sized by its `first`
            factor, sized = first, True
        if _is_list(field_def):
            if not sized:
                factor *= self.limits.default_list_size
            sized = False
        child = self.selection_set(node.selection_set, child_type, sized)
        return Tally(own + factor * child.cost, 1 + child.depth, alias + child.aliases, child.entities)

    def field_cost(self, parent: Any, name: str, field_def: GraphQLField) -> int:
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
        # At least 1: tallies must only grow for the early stop to be right (`first: 0` is cheap anyway).
        return max(int(value), 1) if isinstance(value, int) else self.limits.default_list_size

    def representations(self, node: FieldNode) -> int:
        given = next((a.value for a in node.arguments or () if a.name.value == "representations"), None)
        if isinstance(given, VariableNode):
            value = self.variables.get(given.name.value)
            return len(value) if isinstance(value, list) else int(value is not None)
        if isinstance(given, ListValueNode):
            return len(given.values)
        return int(given is not None)  # a single value is a list of one


@dataclass(frozen=True, slots=True)
class Measure:
    """The document's tally, or — when ``problem`` is set — the partial tally that passed a limit."""

    cost: int
    depth: int
    aliases: int
    entities: int
    visited: int
    problem: str | None = None


def measure(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None,
            variables: Mapping[str, Any], limits: QueryLimits) -> Measure:
    walk = _Walk(schema, document, variables, limits)
    total = NOTHING
    try:
        for op in document.definitions:
            if isinstance(op, OperationDefinitionNode) and (
                    operation_name is None or (op.name and op.name.value == operation_name)):
                total = total.beside(walk.selection_set(op.selection_set, schema.get_root_type(op.operation), False))
                walk.check(total)
    except OverLimit as over:
        t = over.tally
        return Measure(t.cost, t.depth, t.aliases, t.entities, walk.visited, str(over))
    return Measure(total.cost, total.depth, total.aliases, total.entities, walk.visited)

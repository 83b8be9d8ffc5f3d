"""Relations of the case graph: loaded in batches, resolved without a coroutine once loaded.

The unified case graph of 50 cases resolves ~4,000 fields. An ``async`` resolver costs a
coroutine, a DataLoader future and, because graphql-core gathers awaitable fields and list
items as asyncio tasks, a task per field and per object holding one: for the peer query
that was a third of the hub's CPU (docs/perf/README.md).

So a field backed by a per-request loader is a `Relation`: `Relation.resolve` returns the
value itself when the loader already holds it, and an awaitable (batched per tick, as a
DataLoader does) otherwise. `prefetch` makes the first case the common one: a list
resolver (`cases`) calls it with the objects it returns; it walks the query's selection
level by level and, for all objects of a level at once, loads each relation the selection
asks for, through the same loaders and keys the resolvers use. It changes when data is
loaded, never what is shown: every rule stays in the resolvers (a personal-data connector
is not even loaded for a caller its resolver would refuse: `Relation.allowed`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from strawberry.types import Info
from strawberry.types.nodes import Selection, SelectedField

from schema.batch_loader import MISSING, BatchLoader
from schema.plain_fields import plain

RELATION = "slrt.relation"  # field metadata key: the Relation behind a field


@dataclass(frozen=True, eq=False)
class Relation:
    """A field whose value a per-request batch loader holds, keyed by the parent object.

    - ``loader``: the request's loader, from the context;
    - ``key``: the parent's key in it;
    - ``finish``: (parent, info, loaded value) -> what the field returns;
    - ``failure``: what a failed load raises at the field (default: the load's own error);
    - ``child_type``/``children``: for `prefetch`, the GraphQL type of the objects the field
      returns and how to build them from a loaded value (None: a leaf, nothing to walk into);
    - ``allowed``: whether the caller may have the field loaded at all (`prefetch` asks first);
    - ``keyed_like_parent``: its key is the key its parent object was loaded by (a household's
      members are keyed by the household id a case holds), so `prefetch` starts its load
      together with the parent's instead of one round trip later.
    """

    loader: Callable[[Any], BatchLoader[Any, Any]]
    key: Callable[[Any], Any]
    finish: Callable[[Any, Info, Any], Any]
    child_type: str | None = None
    children: Callable[[Any], Iterable[Any]] | None = None
    allowed: Callable[[Info], bool] | None = None
    failure: Callable[[Exception], Exception] | None = None
    keyed_like_parent: bool = False

    @classmethod
    def batched(cls, loader: Callable[[Any], BatchLoader[Any, Any]], key: Callable[[Any], Any],
                build: Callable[[Any], Any], child_type: str | None = None, *,
                keyed_like_parent: bool = False) -> Relation:
        """A relation whose field returns `build(loaded value)`: an object, None or a list;
        with `child_type`, `prefetch` walks into what it builds."""
        def children(value: Any) -> Iterable[Any]:
            built = build(value)
            return built if isinstance(built, list) else ([] if built is None else [built])

        return cls(loader, key, lambda _parent, _info, value: build(value), child_type,
                   children if child_type else None, keyed_like_parent=keyed_like_parent)

    @property
    def metadata(self) -> dict[str, Any]:
        """For ``strawberry.field(metadata=...)``: lets `prefetch` find this relation; the
        field's resolver (``(self, info)``, calling `resolve`) is a plain one (schema/plain_fields.py)."""
        return plain(**{RELATION: self})

    def resolve(self, parent: Any, info: Info) -> Any:
        """The field's value if its batch is loaded, else an awaitable of it (typed `Any`:
        strawberry takes the GraphQL type from the resolver's annotation, graphql-core awaits
        whatever is awaitable)."""
        loader = self.loader(info.context)
        key = self.key(parent)
        try:
            value = loader.peek(key)
        except Exception as error:
            self._raise(error)
        if value is MISSING:
            return self._finish_later(parent, info, loader.load(key))
        return self.finish(parent, info, value)

    async def _finish_later(self, parent: Any, info: Info, loading: Awaitable[Any]) -> Any:
        try:
            value = await loading
        except Exception as error:
            self._raise(error)
        return self.finish(parent, info, value)

    def _raise(self, error: Exception) -> NoReturn:
        shown = self.failure(error) if self.failure else error
        if shown is error:
            raise error
        raise shown from None


async def prefetch(info: Info, objects: Sequence[Any], type_name: str, path: Sequence[str] = ()) -> None:
    """Load, level by level, every relation the selection asks for below `objects`.

    `objects` are what the current field returns (of GraphQL type `type_name`), found in its
    selection under `path` (e.g. ``("edges", "node")`` for a connection's nodes).
    """
    selections = [s for field in info.selected_fields for s in field.selections]  # selected_fields: this field
    for name in path:
        selections = _collect(selections, None).get(name, [])
    await _level(info, objects, type_name, selections)


async def _level(info: Info, objects: Sequence[Any], type_name: str, selections: list[Selection]) -> None:
    if not objects or not selections:
        return
    gating, leaves = [], []
    for relation, subselections in _relations(info, type_name, selections):
        step = _load(info, relation, objects, subselections)
        (gating if relation.children is not None and subselections else leaves).append(step)
    # Loads start in this order: first those the next level waits for (a household's members),
    # then the leaves (its connector records), each group in document order.
    if gating or leaves:
        await asyncio.gather(*gating, *leaves)


async def _load(info: Info, relation: Relation, objects: Sequence[Any], selections: list[Selection]) -> None:
    loader = relation.loader(info.context)
    keys = list(dict.fromkeys(map(relation.key, objects)))
    # the children's relations keyed like them start now, with this load: a household's
    # members load alongside the households, so the person systems are called one
    # database round trip sooner; their `_load` below finds them loaded or in flight
    for child in _keyed_like_parent(info, relation, selections):
        child.loader(info.context).start_all(keys)
    await loader.load_all(keys)
    if relation.children is None or relation.child_type is None or not selections:
        return
    children = []
    for key in keys:
        try:
            value = loader.peek(key)
        except Exception:  # noqa: BLE001, S112 - the field reports it when it resolves
            continue
        children.extend(relation.children(value))
    await _level(info, children, relation.child_type, selections)


def _keyed_like_parent(info: Info, relation: Relation, selections: list[Selection]) -> list[Relation]:
    if relation.child_type is None or not selections:
        return []
    return [child for child, subselections in _relations(info, relation.child_type, selections)
            if child.keyed_like_parent and subselections]


def _relations(info: Info, type_name: str, selections: list[Selection]) -> list[tuple[Relation, list[Selection]]]:
    """The relations of `type_name` the selection asks for and the caller may have loaded,
    each with the selections under it, in document order."""
    fields = info.schema._schema.get_type(type_name).fields  # graphql-core's type, as the limits read it
    found = []
    for name, subselections in _collect(selections, type_name).items():
        definition = fields[name].extensions.get("strawberry-definition") if name in fields else None
        relation = (getattr(definition, "metadata", None) or {}).get(RELATION)
        if relation is not None and (relation.allowed is None or relation.allowed(info)):
            found.append((relation, subselections))
    return found


def _collect(selections: Iterable[Selection], type_name: str | None) -> dict[str, list[Selection]]:
    """Field name -> the selections under it, through fragments that apply to `type_name`
    (any, if None), leaving out what @skip/@include leave out."""
    found: dict[str, list[Selection]] = {}
    # in document order: `_level` starts the loads in this order, and the first-selected
    # connector's request leaves first (the stack is filled reversed for that)
    stack = list(reversed(selections))
    while stack:
        node = stack.pop()
        if node.directives.get("skip", {}).get("if") is True or node.directives.get("include", {}).get("if") is False:
            continue
        if isinstance(node, SelectedField):
            found.setdefault(node.name, []).extend(node.selections)
        elif type_name is None or node.type_condition in (None, type_name):
            stack.extend(reversed(node.selections))
    return found

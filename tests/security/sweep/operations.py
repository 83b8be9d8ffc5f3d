"""Every root field of the schema as a runnable operation: arguments built from their types,
pointing at the victim's records, and a selection of everything the answer can show.

Arguments that can carry an identifier (String, ID, Int, _Any) are filled by NAME from the
table below; enums, booleans and dates from their type; input objects field by field. An
argument the table does not know stops the sweep (`CannotBuild`): a new operation or argument
is swept only once someone has said what it points at, never silently skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

from graphql import (GraphQLEnumType, GraphQLField, GraphQLInputObjectType, GraphQLList, GraphQLNonNull,
                     GraphQLObjectType, GraphQLSchema, GraphQLUnionType, get_named_type, is_leaf_type,
                     is_required_argument)


class CannotBuild(Exception):
    """The sweep does not know what an argument points at: add a rule to NAMED."""


@dataclass(frozen=True)
class Ref:
    """A value of one kind, taken from the victim's records or their never-seen twins."""

    kind: str


@dataclass(frozen=True)
class Whole:
    """A rule whose value is already a list (the argument's own list is not wrapped again)."""

    value: Any


OMIT = object()  # the argument is left out (a cursor: any value would be a guess)
TEXT = "catatan sapu keamanan"
_today = date.today()

# Arguments by name, at any depth (input object fields too). "id" is the record the operation
# is about: its return type says which (Case, Referral, Partner, or a payload holding one).
NAMED: dict[str, Any] = {
    "caseId": Ref("case_id"), "number": Ref("case_number"), "kkNumber": Ref("kk"),
    "nik": Ref("identity_number"),  # person(nik), auditLog(nik: NIK or KK)
    "subjectNiks": Ref("head_nik"), "members": Whole(Ref("members")), "idempotencyKey": Ref("idempotency_key"),
    "text": Ref("complaint_words"), "villageCode": Ref("village"), "areaCode": Ref("area"),
    "parentCode": Ref("area"), "programmeCode": Ref("programme_code"), "code": Ref("programme_code"),
    "representations": Whole(Ref("representations")),
    "first": 50, "after": OMIT, "acknowledgeDays": 7, "completionDays": 30,
    "note": TEXT, "reason": TEXT, "complaint": TEXT, "address": "Jl. Sapu No. 1", "name": "Sapu",
    "outcome": TEXT, "partnerReference": "SAPU-1", "rt": "001", "rw": "002",
    "webhookUrl": "https://dinas.example/webhooks/sapu",
    "from": (_today - timedelta(days=30)).isoformat(), "to": (_today + timedelta(days=1)).isoformat(),
    "createdFrom": f"{_today - timedelta(days=30)}T00:00:00+00:00",
    "createdTo": f"{_today + timedelta(days=1)}T00:00:00+00:00",
}
# Single enum values that point at the victim's records (lists take every value).
ENUM_CHOICE = {"status": "IN_PROGRESS", "channel": "FACILITATOR", "priority": "NORMAL", "sector": "HEALTH"}
ENTITY_KINDS = {"Case": "case_id", "Referral": "referral_id", "Partner": "partner_id"}
# Federation keys (`@key` in the SDL) → the kind of the victim's value for them.
KEY_KINDS = {("Case", "id"): "case_id", ("Household", "kkNumber"): "kk", ("Person", "nik"): "nik"}
IDENTIFIER_SCALARS = {"String", "ID", "Int", "Float", "_Any"}
MAX_DEPTH = 6


Readable = Callable[[GraphQLField], bool]


def everything(_: GraphQLField) -> bool:
    return True


@dataclass(frozen=True)
class Operation:
    kind: str  # query, mutation, subscription
    name: str
    field: GraphQLField
    arguments: dict[str, Any]  # a template: Ref values are filled per world and variant
    bare: bool = False  # every argument left out

    @property
    def label(self) -> str:
        return f"{self.kind} {self.name}{' (no arguments)' if self.bare else ''}"

    def document(self, readable: Readable = everything) -> str:
        """The operation selecting every field of its answer that ``readable`` lets through."""
        types = {a: self.field.args[a].type for a in self.arguments}
        return document(self.kind, self.name, types, selection(self.field.type, readable))


def root_fields(schema: GraphQLSchema) -> list[tuple[str, str, GraphQLField]]:
    roots = (("query", schema.query_type), ("mutation", schema.mutation_type),
             ("subscription", schema.subscription_type))
    return [(kind, name, f) for kind, t in roots if t is not None for name, f in t.fields.items()]


def operations(schema: GraphQLSchema) -> list[Operation]:
    """Every root field, with its arguments filled; without arguments too when all are optional."""
    keys = entity_keys(schema)
    found: list[Operation] = []
    for kind, name, f in root_fields(schema):
        entity = entity_of(f)
        args = {a: _value(f"{kind} {name}({a})", a, arg.type, entity, keys) for a, arg in f.args.items()}
        args = {a: v for a, v in args.items() if v is not OMIT}
        found.append(Operation(kind, name, f, args))
        if f.args and not any(is_required_argument(a) for a in f.args.values()):
            found.append(Operation(kind, name, f, {}, bare=True))
    return found


def entity_of(f: GraphQLField) -> str | None:
    t = get_named_type(f.type)
    if t.name in ENTITY_KINDS:
        return ENTITY_KINDS[t.name]
    if isinstance(t, GraphQLObjectType):
        held = {ENTITY_KINDS[n] for g in t.fields.values() if (n := get_named_type(g.type).name) in ENTITY_KINDS}
        return held.pop() if len(held) == 1 else None
    return None


def entity_keys(schema: GraphQLSchema) -> list[tuple[str, str]]:
    """(type, key field) of every member of the federation's `_Entity` union, from its @key."""
    union = schema.type_map.get("_Entity")
    keys = []
    for member in union.types if isinstance(union, GraphQLUnionType) else ():
        definition = (member.extensions or {}).get("strawberry-definition")
        fields = [d.fields for d in getattr(definition, "directives", ()) if type(d).__name__ == "Key"]
        key = (member.name, fields[0] if fields else "")
        if key not in KEY_KINDS:
            raise CannotBuild(f"_entities: no rule for the entity key {key}: add it to KEY_KINDS")
        keys.append(key)
    return keys


def _value(where: str, name: str, type_: Any, entity: str | None, keys: list[tuple[str, str]]) -> Any:
    named = get_named_type(type_)
    is_list = isinstance(type_.of_type if isinstance(type_, GraphQLNonNull) else type_, GraphQLList)
    if isinstance(NAMED.get(name), Whole) and name != "representations":
        return NAMED[name].value  # a whole value made for the purpose (an intake's members)
    if isinstance(named, GraphQLInputObjectType):
        obj = {n: _value(f"{where}.{n}", n, fld.type, entity, keys) for n, fld in named.fields.items()}
        obj = {n: v for n, v in obj.items() if v is not OMIT}
        return [obj] if is_list else obj
    if isinstance(named, GraphQLEnumType):
        return list(named.values) if is_list else ENUM_CHOICE.get(name, next(iter(named.values)))
    if named.name == "Boolean":
        return [True] if is_list else True
    if name == "id" and named.name == "ID":
        if entity is None:
            raise CannotBuild(f"{where}: which record does this id name? its return type holds no Case, "
                              "Referral or Partner: add the type to ENTITY_KINDS")
        rule: Any = Ref(entity)
    elif name in NAMED:
        rule = NAMED[name]
    elif named.name in IDENTIFIER_SCALARS or named.name not in ("Date", "DateTime"):
        raise CannotBuild(f"{where}: no rule for an argument '{name}' of type {type_}: add it to NAMED "
                          "(tests/security/sweep/operations.py) saying what it points at")
    else:
        rule = NAMED.get(name, _today.isoformat())
    if rule == Whole(Ref("representations")):
        if not keys:
            raise CannotBuild(f"{where}: the schema has no federation entity to represent")
        return [{"__typename": t, k: Ref(KEY_KINDS[(t, k)])} for t, k in keys]
    if isinstance(rule, Whole):
        return rule.value
    return [rule] if is_list and rule is not OMIT else rule


def selection(type_: Any, readable: Readable = everything, depth: int = 0, path: frozenset[str] = frozenset()) -> str:
    """Every field the type shows that needs no argument, each object type once per path."""
    named = get_named_type(type_)
    if is_leaf_type(named):
        return ""
    if isinstance(named, GraphQLUnionType):
        return "__typename " + " ".join(f"... on {m.name} {{ {selection(m, readable, depth, path)} }}"
                                        for m in named.types)
    path = path | {named.name}
    parts = []
    for name, f in named.fields.items():
        if any(is_required_argument(a) for a in f.args.values()) or not readable(f):
            continue
        inner = get_named_type(f.type)
        if is_leaf_type(inner):
            parts.append(name)
        elif inner.name not in path and depth < MAX_DEPTH and (sub := selection(inner, readable, depth + 1, path)):
            parts.append(f"{name} {{ {sub} }}")
    return " ".join(parts) or "__typename"


def document(kind: str, name: str, types: dict[str, Any], sel: str) -> str:
    params = ", ".join(f"${a}: {t}" for a, t in types.items())
    call = ", ".join(f"{a}: ${a}" for a in types)
    return (f"{kind} Sweep{f'({params})' if params else ''} {{ {name}{f'({call})' if call else ''}"
            f"{f' {{ {sel} }}' if sel else ''} }}")


def kinds_in(template: Any) -> set[str]:
    if isinstance(template, Ref):
        return {template.kind}
    if isinstance(template, dict):
        return set().union(*(kinds_in(v) for v in template.values())) if template else set()
    if isinstance(template, list):
        return set().union(*(kinds_in(v) for v in template)) if template else set()
    return set()


def variants(op: Operation, world: dict[str, list[Any]]) -> int:
    """How many times the operation runs: once per value of its most numerous kind."""
    return max((len(world[k]) for k in kinds_in(op.arguments)), default=1)


def render(template: Any, world: dict[str, list[Any]], i: int, sent: dict[str, str]) -> Any:
    """The template filled with variant ``i`` of ``world``; every string filled in is noted in
    ``sent`` (value → kind), so an answer that echoes it is not taken for a leak."""
    if isinstance(template, Ref):
        values = world[template.kind]
        value = values[i % len(values)]
        for leaf in _strings(value):
            sent.setdefault(leaf, template.kind)
        return value
    if isinstance(template, dict):
        return {k: render(v, world, i, sent) for k, v in template.items()}
    if isinstance(template, list):
        return [render(v, world, i, sent) for v in template]
    return template


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def readable_by(actor: Any) -> Readable:
    """Fields whose permission classes let ``actor`` through (judged without a parent object).

    A refused non-null field would null its whole parent, and with it everything else the
    answer could have shown: the sweep leaves out what the caller is refused anyway, and what
    a permission judges by the parent object (a partner's configuration), so the rest stays
    visible. Those refusals are proved by their own tests.
    """
    info = SimpleNamespace(context=SimpleNamespace(actor=actor))

    def readable(f: GraphQLField) -> bool:
        definition = (f.extensions or {}).get("strawberry-definition")
        for permission in getattr(definition, "permission_classes", ()):
            try:
                if not permission().has_permission(None, info):
                    return False
            except Exception:  # noqa: BLE001 - it judges the parent object: the caller may be refused
                return False
        return True

    return readable

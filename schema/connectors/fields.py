"""One GraphQL field per enabled connector on the entity it extends (SPEC 8).

Strawberry types are static classes, so the fields are not declared on `Person` and
`Household`: `HubSchema.get_fields` (strawberry's documented hook for the fields a type
shows) appends the ones `connector_fields` builds for the connectors the schema is built
with. A disabled connector adds nothing: `Person.healthCoverage` exists only with `bpjs`.

Failure semantics: a connector that fails nulls only its own field, with a
``CONNECTOR_UNAVAILABLE`` error at that path naming the connector. Personal data (the
connector's `personal_data`) needs pii:read, else ``FORBIDDEN`` without an upstream call.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import strawberry
from strawberry.types import Info
from strawberry.types.field import StrawberryField

from connectors.sdk import Connector, ConnectorSettings, Entity
from connectors.sdk import ConnectorUnavailable as Unavailable
from hub.access.audit import SubjectKind
from schema.access.pii import note_clear_read, sees_pii
from schema.errors import ConnectorUnavailable, Forbidden
from schema.extensions.limits import cost
from schema.relations import Relation

# A connector field calls a sector system: weigh it in the query cost limit.
CONNECTOR_FIELD_COST = 5


def connector_field(cls: type[Connector[ConnectorSettings]]) -> StrawberryField:
    name, field_name, personal = cls.name, cls.field, cls.personal_data
    person = cls.extends is Entity.PERSON
    kind = SubjectKind.NIK if person else SubjectKind.KK

    def key(root: Any) -> str:
        return root.raw_nik if person else root.raw_kk

    def finish(root: Any, info: Info, record: Any) -> Any:
        if personal and record is not None:
            note_clear_read(info, kind, key(root))
        return record

    def failure(error: Exception) -> Exception:
        if isinstance(error, Unavailable):
            return ConnectorUnavailable(error.connector_name, error.reason)
        return error

    relation = Relation(lambda ctx: ctx.connector_loaders.loader(name), key, finish,
                        allowed=sees_pii if personal else None, failure=failure)

    def resolve(root: Any, info: Info) -> Any:
        if personal and not sees_pii(info):
            raise Forbidden(f"{field_name} carries personal data: it needs the pii:read scope", connector=name)
        return relation.resolve(root, info)

    description = f"{cls.description or name} - from the `{name}` connector; null when not found there"
    if personal:
        description += "; needs pii:read"
    field = strawberry.field(resolver=resolve, name=field_name, graphql_type=cls.record_type | None,
                             description=description, metadata={**cost(CONNECTOR_FIELD_COST), **relation.metadata})
    field.python_name = f"connector_{name}"
    return field


def connector_fields(classes: Iterable[type[Connector[ConnectorSettings]]]) -> dict[str, list[StrawberryField]]:
    """GraphQL type name (``Person``/``Household``) -> the connector fields it gains."""
    fields: dict[str, list[StrawberryField]] = {}
    for cls in sorted(classes, key=lambda c: c.name):
        fields.setdefault(cls.extends.value, []).append(connector_field(cls))
    return fields

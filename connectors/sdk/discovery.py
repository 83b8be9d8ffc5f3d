"""Find connectors through the entry-point group `slrt_hub.connectors` and validate them.

Validation happens at start-up, so a broken connector stops the hub with its name and
what is wrong (pluggy-style), not at the first query that touches it.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable
from importlib.metadata import EntryPoint, entry_points

from connectors.sdk.contract import Connector, Entity
from connectors.sdk.errors import ConnectorDefinitionError
from connectors.sdk.records import ConnectorRecord
from connectors.sdk.settings import ConnectorSettings

GROUP = "slrt_hub.connectors"
_NAME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_FIELD = re.compile(r"^[a-z][A-Za-z0-9]*$")


def validate_connector_class(
    cls: object, expected_name: str | None = None
) -> type[Connector[ConnectorSettings]]:
    """Return `cls` if it is a well-formed connector, else raise `ConnectorDefinitionError`."""
    label = str(expected_name or getattr(cls, "name", None) or getattr(cls, "__name__", repr(cls)))
    if not (inspect.isclass(cls) and issubclass(cls, Connector)):
        raise ConnectorDefinitionError(label, "is not a subclass of connectors.sdk.Connector")
    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not _NAME.match(name):
        raise ConnectorDefinitionError(label, "missing or invalid `name` (lower_snake_case)")
    if expected_name is not None and name != expected_name:
        raise ConnectorDefinitionError(label, f"entry point name differs from class name {name!r}")
    settings_class = getattr(cls, "settings_class", None)
    if not (inspect.isclass(settings_class) and issubclass(settings_class, ConnectorSettings)):
        raise ConnectorDefinitionError(name, "missing `settings_class` (a ConnectorSettings subclass)")
    if not isinstance(getattr(cls, "extends", None), Entity):
        raise ConnectorDefinitionError(name, "`extends` must be Entity.PERSON or Entity.HOUSEHOLD")
    field = getattr(cls, "field", None)
    if not isinstance(field, str) or not _FIELD.match(field):
        raise ConnectorDefinitionError(name, "missing or invalid `field` (a camelCase GraphQL field name)")
    record_type = getattr(cls, "record_type", None)
    if not (inspect.isclass(record_type) and issubclass(record_type, ConnectorRecord)):
        raise ConnectorDefinitionError(name, "`record_type` must subclass connectors.sdk.ConnectorRecord")
    if not hasattr(record_type, "__strawberry_definition__"):
        raise ConnectorDefinitionError(name, "`record_type` must be a @strawberry.type")
    max_batch = getattr(cls, "max_batch", None)
    if not isinstance(max_batch, int) or isinstance(max_batch, bool) or max_batch < 1:
        raise ConnectorDefinitionError(name, "`max_batch` must be a positive int (keys per upstream call)")
    if cls.fetch_many is Connector.fetch_many:
        raise ConnectorDefinitionError(name, "does not implement `fetch_many`")
    if not inspect.iscoroutinefunction(cls.fetch_many):
        raise ConnectorDefinitionError(name, "`fetch_many` must be `async def`")
    return cls


def load_entry_point(ep: EntryPoint) -> type[Connector[ConnectorSettings]]:
    try:
        loaded = ep.load()
    except Exception as exc:
        raise ConnectorDefinitionError(ep.name, f"cannot be imported: {type(exc).__name__}: {exc}") from exc
    return validate_connector_class(loaded, expected_name=ep.name)


def discover(
    group: str = GROUP, entry: Iterable[EntryPoint] | None = None
) -> dict[str, type[Connector[ConnectorSettings]]]:
    """All connector classes registered under `group`, validated, by name.

    Raises `ConnectorDefinitionError` for the first broken one, and for two connectors
    claiming the same GraphQL field on the same entity.
    """
    found: dict[str, type[Connector[ConnectorSettings]]] = {}
    fields: dict[tuple[Entity, str], str] = {}
    for ep in sorted(entry if entry is not None else entry_points(group=group), key=lambda e: e.name):
        cls = load_entry_point(ep)
        if (cls.extends, cls.field) in fields:
            other = fields[(cls.extends, cls.field)]
            raise ConnectorDefinitionError(cls.name, f"field {cls.field!r} already added by {other!r}")
        fields[(cls.extends, cls.field)] = cls.name
        found[cls.name] = cls
    return found


__all__ = ["GROUP", "discover", "load_entry_point", "validate_connector_class"]

"""The connector contract: what a connector declares and the methods it implements.

A connector is a small class that *declares*; `ConnectorRuntime` owns the plumbing::

    class Bpjs(Connector[BpjsSettings]):
        name = "bpjs"
        settings_class = BpjsSettings
        extends = Entity.PERSON          # keyed by NIK
        field = "healthCoverage"
        record_type = HealthCoverage

        async def fetch_many(self, keys, http):
            body = await http.post_json("/peserta/batch", {"nik": list(keys)})
            return {row["nik"]: HealthCoverage.from_wire(row) for row in body["peserta"]}

`fetch_many` makes ONE upstream call for the keys it is given and returns key -> record, each
record built for this call (the runtime stamps its provenance in place); a
key absent from the mapping is "not found". It is never given more than the connector's
`max_batch` keys: the runtime splits a bigger batch into several calls. It lets upstream errors propagate: `Http`
already classified them. A `KeyError`/`TypeError`/`ValueError` while reading the body
is treated as a malformed body (transient) by the runtime.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from connectors.sdk.http import Http
from connectors.sdk.records import ConnectorRecord
from connectors.sdk.settings import ConnectorSettings


class Entity(enum.Enum):
    """The graph entity a connector extends, and so the key it is called with."""

    PERSON = "Person"  # keyed by NIK
    HOUSEHOLD = "Household"  # keyed by KK number


S = TypeVar("S", bound=ConnectorSettings)


class Connector(Generic[S]):
    """Base class of every connector. Subclasses set the class attributes below."""

    name: ClassVar[str]
    settings_class: ClassVar[type[ConnectorSettings]]
    extends: ClassVar[Entity]
    field: ClassVar[str]
    record_type: ClassVar[type[ConnectorRecord]]
    description: ClassVar[str] = ""
    # Does the record identify or describe a person (names, addresses, identity or card
    # numbers)? Then callers without pii:read get FORBIDDEN for the field (SPEC 6).
    # The safe default is yes; a connector says `False` only for non-identifying data.
    personal_data: ClassVar[bool] = True
    # The most keys the upstream takes in one call. A bigger batch is split by the runtime
    # into several upstream calls (still one load, one DataLoader batch). A deployment may
    # lower it with `SLRT_CONNECTOR_<NAME>_MAX_BATCH`.
    max_batch: ClassVar[int] = 500

    def __init__(self, settings: S) -> None:
        self.settings = settings

    async def fetch_many(self, keys: Sequence[str], http: Http) -> Mapping[str, ConnectorRecord]:
        """Fetch records for `keys` in one upstream call; missing key = not found."""
        raise NotImplementedError

    async def health(self, http: Http) -> bool:
        """Is the upstream reachable and answering? Default: GET `health` answers 2xx."""
        await http.get_json("health")
        return True

    # Optional capability: systems that take referrals through their own API.
    supports_refer: ClassVar[bool] = False

    async def refer(self, key: str, programme: str, payload: Mapping[str, Any], http: Http) -> str:
        """Submit a referral upstream; returns the upstream's reference."""
        raise NotImplementedError(f"{self.name} does not accept referrals")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} settings={self.settings!r}>"

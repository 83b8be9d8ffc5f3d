"""Per-connector settings, read from `SLRT_CONNECTOR_<NAME>_*` environment variables.

Every connector's settings class subclasses `ConnectorSettings`; the hub builds it with
`settings_class.for_connector(name)`, so `bpjs` reads `SLRT_CONNECTOR_BPJS_BASE_URL`,
`SLRT_CONNECTOR_BPJS_TIMEOUT`, `SLRT_CONNECTOR_BPJS_ENABLED`, `SLRT_CONNECTOR_BPJS_API_KEY`...
Secrets are `SecretStr`: they print as ``**********`` in `repr`, logs and the API.
"""

from __future__ import annotations

from typing import Any, Literal, Self

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# Where `slrt-hub simulators` listens by default; a connector with no base URL set
# points at its own simulator under /<name>/.
DEFAULT_SIMULATOR_URL = "http://127.0.0.1:8701"


def env_prefix(connector_name: str) -> str:
    return f"SLRT_CONNECTOR_{connector_name.upper()}_"


class ConnectorSettings(BaseSettings):
    """Settings every connector has. Subclass to add connector-specific ones.

    | field | env suffix | default | meaning |
    |---|---|---|---|
    | base_url | BASE_URL | simulator | upstream root URL, paths are relative to it |
    | enabled | ENABLED | true | a disabled connector adds no field to the schema |
    | timeout | TIMEOUT | 2.0 | seconds for a whole batch load, retries included |
    | retries | RETRIES | 2 | extra attempts after a transient failure |
    | rate_limit | RATE_LIMIT | 50 | upstream calls per second at most |
    | cache_ttl | CACHE_TTL | 60 | seconds a record (or a not-found) is served from cache; 0 = off |
    | breaker_threshold | BREAKER_THRESHOLD | 5 | consecutive failed loads that open the breaker |
    | breaker_reset | BREAKER_RESET | 30 | seconds the breaker stays open before one trial call |
    | max_batch | MAX_BATCH | connector's `max_batch` (500) | most keys in one upstream call (1–10000); bigger batches are split |
    | auth | AUTH | none | ``none``, ``api_key`` or ``oauth2`` (client credentials) |
    | api_key / api_key_header | API_KEY / API_KEY_HEADER | - / X-API-Key | API key auth |
    | token_url, client_id, client_secret, scope | TOKEN_URL ... | - | OAuth2 client credentials |
    """

    model_config = SettingsConfigDict(env_prefix="SLRT_CONNECTOR_", extra="ignore")

    base_url: str = ""
    enabled: bool = True
    timeout: float = 2.0
    retries: int = 2
    rate_limit: float = 50.0
    cache_ttl: float = 60.0
    breaker_threshold: int = 5
    breaker_reset: float = 30.0
    max_batch: int | None = Field(None, ge=1, le=10_000)  # None: the connector class's `max_batch`
    auth: Literal["none", "api_key", "oauth2"] = "none"
    api_key: SecretStr | None = None
    api_key_header: str = "X-API-Key"
    token_url: str | None = None
    client_id: str | None = None
    client_secret: SecretStr | None = None
    scope: str | None = None

    @classmethod
    def for_connector(cls, connector_name: str, **overrides: Any) -> Self:
        """Read this connector's settings from the environment; keyword overrides win."""
        settings = cls(_env_prefix=env_prefix(connector_name), **overrides)  # type: ignore[call-arg]
        if not settings.base_url:
            settings.base_url = f"{DEFAULT_SIMULATOR_URL}/{connector_name}"
        return settings

"""The connector SDK: the contract connectors implement and the runtime the hub runs.

Public API (import from `connectors.sdk`):

- contract: `Connector`, `Entity`, `ConnectorSettings`, `ConnectorRecord`, `Http`
- errors: `ConnectorUnavailable`, `TransientUpstreamError`, `FatalUpstreamError`,
  `ConnectorDefinitionError`
- runtime: `ConnectorRuntime`, `ConnectorStatus`, `build_runtimes`, `TTLCache`,
  `CircuitBreaker`, `BreakerState`, `CallRecord`, `log_call`
- auth: `ApiKeyAuth`, `OAuth2ClientCredentials`
- discovery: `discover`, `validate_connector_class`, `GROUP`
"""

from connectors.sdk.auth import ApiKeyAuth, OAuth2ClientCredentials, auth_from_settings
from connectors.sdk.contract import Connector, Entity
from connectors.sdk.discovery import GROUP, discover, validate_connector_class
from connectors.sdk.errors import (
    ConnectorDefinitionError,
    ConnectorUnavailable,
    FatalUpstreamError,
    TransientUpstreamError,
    UpstreamError,
)
from connectors.sdk.http import Http
from connectors.sdk.records import ConnectorRecord
from connectors.sdk.runtime import ConnectorRuntime, ConnectorStatus, build_runtimes
from connectors.sdk.runtime_breaker import BreakerState, CircuitBreaker
from connectors.sdk.runtime_cache import TTLCache
from connectors.sdk.runtime_hooks import CallHook, CallRecord, log_call
from connectors.sdk.settings import ConnectorSettings

__all__ = [
    "GROUP",
    "ApiKeyAuth",
    "BreakerState",
    "CallHook",
    "CallRecord",
    "CircuitBreaker",
    "Connector",
    "ConnectorDefinitionError",
    "ConnectorRecord",
    "ConnectorRuntime",
    "ConnectorSettings",
    "ConnectorStatus",
    "ConnectorUnavailable",
    "Entity",
    "FatalUpstreamError",
    "Http",
    "OAuth2ClientCredentials",
    "TTLCache",
    "TransientUpstreamError",
    "UpstreamError",
    "auth_from_settings",
    "build_runtimes",
    "discover",
    "log_call",
    "validate_connector_class",
]

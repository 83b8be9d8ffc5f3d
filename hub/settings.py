"""Deployment settings, read from ``SLRT_*`` environment variables.

Every setting is documented in the README's settings table; keep the two in step.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SLRT_", extra="ignore")

    database_url: str = Field(
        "sqlite+aiosqlite:///./slrt.db",
        description="SQLAlchemy async URL: sqlite+aiosqlite:///… or postgresql+asyncpg://…",
    )
    debug: bool = Field(False, description="GraphiQL, introspection and field suggestions on")
    public_url: str = Field("http://127.0.0.1:8000", description="URL partners call back on")
    data_dir: Path = Field(Path("./.slrt"), description="where the built-in issuer keeps its keys")
    regency_code: str = Field("3275", description="Kemendagri code of the deployment's regency")

    environment: Literal["development", "production"] = Field(
        "development", description="`production` refuses unsafe settings at start-up (see README, Deploy)")
    allow_builtin_signing_key: bool = Field(
        False, description="production: let the built-in issuer sign with its key in SLRT_DATA_DIR/keys")
    allow_sqlite_in_production: bool = Field(False, description="production: accept an SQLite database")
    worker_metrics_port: int = Field(0, ge=0, le=65535, description="`slrt-hub worker` serves /metrics here; 0 = off")
    worker_metrics_host: str = Field("127.0.0.1", description="address the worker's metrics port binds to")

    oauth_issuer: str = Field("", description="token issuer; empty = the built-in issuer at public_url")
    oauth_audience: str = Field("slrt-hub", description="the `aud` every access token must carry")
    oauth_jwks_url: str = Field("", description="external identity provider's JWKS URL")
    oauth_roles_claim: str = Field("role", description="claim holding the role(s)")
    oauth_area_claim: str = Field("area", description="claim holding the Kemendagri area code")
    oauth_partner_claim: str = Field("partner_id", description="claim holding a partner's id")
    console_client_id: str = Field("slrt-web", description="the console's OAuth client id at the identity provider (public client)")
    console_scope: str = Field("openid", description="scopes the console asks the identity provider for")
    token_lifetime_seconds: int = Field(900, ge=60, le=86400, description="built-in issuer token lifetime")
    oauth_jwks_cooldown_seconds: float = Field(
        30.0, ge=0, description="least time between two JWKS fetches caused by an unknown `kid`")
    oauth_jwks_max_age_seconds: float = Field(300.0, gt=0, description="JWKS cache lifetime")
    revocation_check_seconds: float = Field(
        30.0, ge=1, le=900, description="a revoked client's or disabled partner's tokens are refused on every "
                                        "process within this time")

    max_request_bytes: int = Field(1_048_576, ge=1024, description="largest request body; larger gets HTTP 413")
    max_batch_operations: int = Field(10, ge=1, le=100, description="operations in one batched GraphQL request")
    query_max_depth: int = Field(12, ge=2, description="deepest field nesting of a query")
    query_max_aliases: int = Field(30, ge=0, description="aliases in one GraphQL document")
    query_max_tokens: int = Field(3000, ge=100, description="lexical tokens in one GraphQL document")
    query_max_cost: int = Field(
        50_000, ge=1, description="query cost limit: each field costs 1 (connector fields more), times list sizes")
    query_default_list_size: int = Field(10, ge=1, description="assumed size of a list without a `first` argument")
    query_field_costs: dict[str, int] = Field(
        default_factory=dict, description='cost of named fields, JSON, e.g. {"Person.healthCoverage": 5}')
    max_entity_representations: int = Field(
        1000, ge=1, le=100_000, description="federation: representations one operation's `_entities` may look up")
    rate_limit: str = Field(
        "1200/minute", description="GraphQL requests per client or subject (`limits` notation, `;` between several)")
    token_rate_limit: str = Field("60/minute", description="/oauth/token requests per client address")
    ws_init_timeout_seconds: float = Field(
        10.0, ge=1, le=60, description="a WebSocket must send connection_init with its token within this time")
    ws_max_subscriptions: int = Field(
        10, ge=1, le=1000, description="operations (subscriptions, queries) running at once on one WebSocket")

    delivery_schedule: str = Field(
        "0,5,300,1800,7200,18000,36000,50400,72000,86400",
        description="seconds to wait before each delivery attempt, comma-separated; DEAD after the last")
    delivery_jitter: float = Field(0.2, ge=0, le=0.5, description="± share of each retry delay drawn at random")
    delivery_timeout_seconds: float = Field(10.0, gt=0, le=120, description="one webhook POST, connect to last byte")
    delivery_lease_seconds: float = Field(60.0, gt=0, description="how long a worker owns a claimed message")
    delivery_batch_size: int = Field(
        160, ge=1, le=1000,
        description="messages a worker claims ahead of its POSTs; it claims again when half of them have started "
                    "(bounded by what starts and finishes within a lease: hub/delivery/worker.claim_ahead)")
    delivery_concurrency: int = Field(32, ge=1, le=1000, description="webhook POSTs in flight per worker")
    delivery_endpoint_max_in_flight: int = Field(
        8, ge=1, le=1000,
        description="messages claimed and not yet recorded per partner endpoint, counted over all workers; "
                    "a slow endpoint holds no more slots than this")
    delivery_poll_seconds: float = Field(1.0, gt=0, description="worker's pause when nothing is due")
    delivery_embedded: bool = Field(True, description="run a delivery worker inside `slrt-hub serve`")
    partner_disable_after_hours: float = Field(120.0, gt=0, description="continuous failure before an endpoint is disabled")
    partner_secret_grace_hours: float = Field(24.0, ge=0, description="old signing secret still signs after a rotation")
    referral_status_changes_per_hour: int = Field(
        20, ge=1, le=1000, description="status changes a partner may make to one referral in an hour (terminal ones "
                                       "always accepted); more get a RATE_LIMITED payload error")
    allow_private_webhooks: bool = Field(False, description="allow http and loopback/private partner URLs (tests, demo)")

    timezone: str = Field("Asia/Jakarta", description="time zone of the local calendar days used by statistics")
    sla_days: dict[str, int] = Field(
        default_factory=lambda: {
            "SOCIAL_ASSISTANCE": 30,
            "HEALTH": 14,
            "EDUCATION": 30,
            "HOUSING": 90,
            "CIVIL_REGISTRATION": 14,
            "EMPLOYMENT": 60,
            "OTHER": 30,
        },
        description="days from submission to resolution per sector, JSON object",
    )

    referral_acknowledge_days: dict[str, int] = Field(
        default_factory=lambda: {"SOCIAL_ASSISTANCE": 3, "HEALTH": 2, "EDUCATION": 3, "HOUSING": 5,
                                 "CIVIL_REGISTRATION": 2, "EMPLOYMENT": 5, "OTHER": 3},
        description="days a partner has to accept or decline a referral, per sector, JSON object")
    referral_completion_days: dict[str, int] = Field(
        default_factory=lambda: {"SOCIAL_ASSISTANCE": 30, "HEALTH": 14, "EDUCATION": 30, "HOUSING": 90,
                                 "CIVIL_REGISTRATION": 14, "EMPLOYMENT": 60, "OTHER": 30},
        description="days a partner has to complete a referral, per sector, JSON object")
    escalation_interval_seconds: float = Field(
        60.0, ge=0, description="`serve` looks for referrals past a target this often; 0 = never")

    @field_validator("referral_acknowledge_days", "referral_completion_days")
    @classmethod
    def _targets_are_sector_days(cls, value: dict[str, int]) -> dict[str, int]:
        from hub.vocabulary import Sector

        known = {s.value for s in Sector}
        if unknown := sorted(set(value) - known):
            raise ValueError(f"unknown sector(s) {', '.join(unknown)}; use {', '.join(sorted(known))}")
        if any(not 1 <= days <= 3650 for days in value.values()):
            raise ValueError("every target is 1–3650 days")
        return value

    @field_validator("regency_code")
    @classmethod
    def _regency_is_four_digits(cls, value: str) -> str:
        value = value.replace(".", "")
        if len(value) != 4 or not value.isdigit():
            raise ValueError("SLRT_REGENCY_CODE must be a 4-digit Kemendagri regency code")
        return value

    @field_validator("delivery_schedule")
    @classmethod
    def _schedule_is_seconds(cls, value: str) -> str:
        try:
            steps = [float(v) for v in value.split(",")]
        except ValueError:
            raise ValueError("SLRT_DELIVERY_SCHEDULE must be comma-separated seconds, e.g. 0,5,300") from None
        if not steps or any(s < 0 for s in steps):
            raise ValueError("SLRT_DELIVERY_SCHEDULE needs at least one step, none negative")
        return value

    @model_validator(mode="after")
    def _safe_for_production(self) -> Self:
        from hub.settings_production import production_problems

        if problems := production_problems(self):
            raise ValueError("\n".join(problems))  # one line per problem, each naming its variable
        return self

    @property
    def delivery_steps(self) -> tuple[float, ...]:
        return tuple(float(v) for v in self.delivery_schedule.split(","))

    @property
    def issuer(self) -> str:
        return self.oauth_issuer or self.public_url.rstrip("/")


@lru_cache
def get_settings() -> Settings:
    return Settings()

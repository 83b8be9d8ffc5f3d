"""Deployment settings, read from ``SLRT_*`` environment variables.

Every setting is documented in the README's settings table; keep the two in step.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
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

    oauth_issuer: str = Field("", description="token issuer; empty = the built-in issuer at public_url")
    oauth_audience: str = Field("slrt-hub", description="the `aud` every access token must carry")
    oauth_jwks_url: str = Field("", description="external identity provider's JWKS URL")
    oauth_roles_claim: str = Field("role", description="claim holding the role(s)")
    oauth_area_claim: str = Field("area", description="claim holding the Kemendagri area code")
    oauth_partner_claim: str = Field("partner_id", description="claim holding a partner's id")
    token_lifetime_seconds: int = Field(900, ge=60, le=86400, description="built-in issuer token lifetime")

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

    @field_validator("regency_code")
    @classmethod
    def _regency_is_four_digits(cls, value: str) -> str:
        value = value.replace(".", "")
        if len(value) != 4 or not value.isdigit():
            raise ValueError("SLRT_REGENCY_CODE must be a 4-digit Kemendagri regency code")
        return value

    @property
    def issuer(self) -> str:
        return self.oauth_issuer or self.public_url.rstrip("/")


@lru_cache
def get_settings() -> Settings:
    return Settings()

"""Settings come from SLRT_* variables; bad ones stop start-up with a line naming each variable,
and production refuses the development conveniences unless a deployment opts in explicitly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from hub.settings import Settings
from hub.settings_errors import describe

PG = "postgresql+asyncpg://hub@db.internal/slrt"
IDP = {"oauth_issuer": "https://sso.example.go.id/realms/slrt",
       "oauth_jwks_url": "https://sso.example.go.id/realms/slrt/protocol/openid-connect/certs"}
CLI = [sys.executable, "-c", "from hub.cli import main; main()"]


def production(**overrides: object) -> Settings:
    return Settings(**{"environment": "production", "database_url": PG, "debug": False, **IDP, **overrides})


def refusal(**overrides: object) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        production(**overrides)
    return describe(caught.value)


def test_a_production_deployment_with_postgres_and_an_identity_provider_starts() -> None:
    s = production()
    assert s.environment == "production" and not s.debug


@pytest.mark.parametrize(("overrides", "variable"), [
    ({"debug": True}, "SLRT_DEBUG"),
    ({"oauth_jwks_url": ""}, "SLRT_ALLOW_BUILTIN_SIGNING_KEY"),
    ({"allow_private_webhooks": True}, "SLRT_ALLOW_PRIVATE_WEBHOOKS"),
    ({"database_url": "sqlite+aiosqlite:///./slrt.db"}, "SLRT_ALLOW_SQLITE_IN_PRODUCTION"),
])
def test_production_refuses_each_development_convenience_by_name(overrides: dict[str, object],
                                                                  variable: str) -> None:
    lines = refusal(**overrides)
    assert len(lines) == 1
    assert variable in lines[0]


def test_every_refusal_is_reported_at_once() -> None:
    lines = refusal(debug=True, oauth_jwks_url="", allow_private_webhooks=True, database_url="sqlite:///x.db")
    assert len(lines) == 4


def test_the_explicit_escape_hatches_allow_sqlite_and_the_builtin_issuer() -> None:
    s = production(database_url="sqlite+aiosqlite:///./slrt.db", oauth_jwks_url="",
                   allow_sqlite_in_production=True, allow_builtin_signing_key=True)
    assert s.database_url.startswith("sqlite")


def test_development_keeps_its_conveniences() -> None:
    s = Settings(environment="development", debug=True, allow_private_webhooks=True)
    assert s.debug and s.allow_private_webhooks


def test_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLRT_ENVIRONMENT", "production")
    monkeypatch.setenv("SLRT_DATABASE_URL", PG)
    monkeypatch.setenv("SLRT_OAUTH_JWKS_URL", IDP["oauth_jwks_url"])
    monkeypatch.setenv("SLRT_WORKER_METRICS_PORT", "9464")
    s = Settings()
    assert (s.environment, s.database_url, s.worker_metrics_port) == ("production", PG, 9464)


def run_cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SLRT_")}
    return subprocess.run([*CLI, *args], check=False, env={**clean, **env}, cwd=cwd, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("command", [["serve", "--port", "1"], ["worker"], ["db", "upgrade"]])
def test_commands_stop_with_one_clean_line_per_bad_variable(command: list[str], tmp_path: Path) -> None:
    done = run_cli(command, {"SLRT_TOKEN_LIFETIME_SECONDS": "soon", "SLRT_DELIVERY_SCHEDULE": "0,-5",
                             "SLRT_DATABASE_URL": "postgresql+asyncpg://hub:s3cret-pw@db/slrt"}, tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2, done.stderr
    assert lines[0].startswith("error: SLRT_TOKEN_LIFETIME_SECONDS")
    assert lines[1].startswith("error: SLRT_DELIVERY_SCHEDULE")
    assert "Traceback" not in done.stderr and "s3cret-pw" not in done.stderr


def test_the_demo_refuses_to_run_as_production(tmp_path: Path) -> None:
    done = run_cli(["demo", "--port", "1", "--data-dir", str(tmp_path / "demo")],
                   {"SLRT_ENVIRONMENT": "production"}, tmp_path)
    assert done.returncode == 2
    assert "SLRT_DEBUG" in done.stderr and "Traceback" not in done.stderr

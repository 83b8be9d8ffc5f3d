"""``slrt-hub``: run, migrate, mint tokens, print the schema, start the demo."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import click

from auth.roles import Role
from hub.settings import Settings


@click.group(help="SLRT Hub: the integration layer of Sistem Layanan dan Rujukan Terpadu.")
def main() -> None:
    pass


@main.group(help="Database tasks.")
def db() -> None:
    pass


@db.command("upgrade", help="Apply the database migrations (SLRT_DATABASE_URL).")
def db_upgrade() -> None:
    from hub.db.migrate import upgrade

    upgrade(Settings().database_url)
    click.echo("database is at the latest revision")


@main.command(help="Serve the API (and, once referrals exist, the embedded delivery worker).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    _serve(Settings(), host, port)


def _serve(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    from hub.asgi import create_app
    from hub.observability.logs import configure_logging

    configure_logging()
    uvicorn.run(create_app(settings), host=host, port=port, log_config=None, access_log=False)


@main.command(help="Print an access token from the built-in issuer, for development and demos.")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role], case_sensitive=False))
@click.option("--area", default=None, help="Kemendagri area code, e.g. 32.75.02 or 327502")
@click.option("--sub", default=None, help="subject (user name); defaults to role and area")
@click.option("--lifetime", default=None, type=int, help="seconds; defaults to SLRT_TOKEN_LIFETIME_SECONDS")
def token(role: str, area: str | None, sub: str | None, lifetime: int | None) -> None:
    from auth.issuer import TokenIssuer
    from auth.keys import KeyStore
    from auth.roles import AREA_LENGTHS
    from hub.areas.codes import normalize_area_code

    settings = Settings()
    the_role = Role(role.upper())
    code = normalize_area_code(area) if area else None
    if area and code is None:
        raise click.BadParameter(f"'{area}' is not a Kemendagri area code", param_hint="--area")
    lengths = AREA_LENGTHS[the_role]
    if lengths is not None and (code is None or len(code) not in lengths):
        raise click.BadParameter(f"a {the_role.value} token needs an area of {sorted(lengths)} digits",
                                 param_hint="--area")
    keys = KeyStore(settings.data_dir / "keys")
    keys.ensure()
    issuer = TokenIssuer(keys, settings.issuer, settings.oauth_audience, settings.token_lifetime_seconds)
    click.echo(issuer.issue(subject=sub or f"{the_role.value.lower()}-{code or 'all'}", role=the_role, area=code,
                            lifetime=lifetime))


@main.command(help="Print the GraphQL schema (SDL).")
def schema() -> None:
    from schema import build_schema

    click.echo(build_schema(debug=True).as_str())


@main.command(help="Start a fresh demo: SQLite, Bekasi data, the API with GraphiQL; prints tokens.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--data-dir", default=".slrt/demo", show_default=True, type=click.Path(path_type=Path))
def demo(host: str, port: int, data_dir: Path) -> None:
    from hub.demo.runner import prepare_demo

    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SLRT_DATABASE_URL", f"sqlite+aiosqlite:///{(data_dir / 'demo.db').resolve()}")
    os.environ.setdefault("SLRT_DEBUG", "true")
    os.environ.setdefault("SLRT_DATA_DIR", str(data_dir.resolve()))
    os.environ.setdefault("SLRT_PUBLIC_URL", f"http://{host}:{port}")
    settings = Settings()
    tokens = asyncio.run(prepare_demo(settings, fresh=True))
    click.echo(f"\nSLRT Hub demo — GraphiQL: http://{host}:{port}/graphql\n")
    click.echo("Send one of these as 'Authorization: Bearer <token>' (valid 12 hours):\n")
    for label, value in tokens:
        click.echo(f"  {label}\n    {value}\n")
    sys.stdout.flush()
    _serve(settings, host, port)


if __name__ == "__main__":
    main()

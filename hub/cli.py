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


def _settings() -> Settings:
    """Settings from the environment; bad ones end the command with one line each, no traceback."""
    from pydantic import ValidationError

    from hub.settings_errors import describe

    try:
        return Settings()
    except ValidationError as exc:
        for line in describe(exc):
            click.echo(f"error: {line}", err=True)
        raise SystemExit(2) from None


@main.group(help="Database tasks.")
def db() -> None:
    pass


@db.command("upgrade", help="Apply the database migrations (SLRT_DATABASE_URL).")
def db_upgrade() -> None:
    from hub.db.migrate import upgrade

    upgrade(_settings().database_url)
    click.echo("database is at the latest revision")


@main.command(help="Serve the API and, unless SLRT_DELIVERY_EMBEDDED=false, a delivery worker.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    _serve(_settings(), host, port)


def _serve(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    from hub.asgi import create_app
    from hub.observability.logs import configure_logging

    configure_logging()
    uvicorn.run(create_app(settings), host=host, port=port, log_config=None, access_log=False)


@main.command(help="Deliver referral webhooks from the outbox until SIGTERM/SIGINT (then shut down gracefully).")
def worker() -> None:
    from hub.delivery.runner import run_worker
    from hub.observability.logs import configure_logging
    from hub.observability.worker_metrics import with_worker_metrics

    configure_logging()
    settings = _settings()
    asyncio.run(with_worker_metrics(settings, run_worker(settings)))


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

    settings = _settings()
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


@main.group(help="OAuth clients of the built-in issuer (partner systems, service accounts).")
def client() -> None:
    pass


@client.command("add", help="Add a client; prints its id and secret (the secret is shown only once).")
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role], case_sensitive=False))
@click.option("--scope", "scopes", multiple=True, help="a scope to grant (repeatable); defaults to the role's")
@click.option("--area", default=None, help="Kemendagri area code the client is bound to")
@click.option("--partner-id", default=None, help="the partner a PARTNER client acts for")
def client_add(name: str, role: str, scopes: tuple[str, ...], area: str | None, partner_id: str | None) -> None:
    from auth.roles import Scope
    from hub.access.clients import InvalidClient
    from hub.access.commands import add_client

    try:
        granted = frozenset(Scope(s) for s in scopes) if scopes else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--scope") from None
    try:
        issued = asyncio.run(add_client(_settings().database_url, name=name, role=Role(role.upper()), scopes=granted,
                                        area=area, partner_id=partner_id))
    except InvalidClient as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"client_id:     {issued.client_id}\nclient_secret: {issued.client_secret}")


@client.command("list", help="List clients (never their secrets).")
def client_list() -> None:
    from hub.access.commands import list_clients

    for c in asyncio.run(list_clients(_settings().database_url)):
        scopes = " ".join(sorted(s.value for s in c.scopes))
        click.echo(f"{c.client_id}\t{'active' if c.active else 'revoked'}\t{c.role.value}\t{c.area or '-'}\t"
                   f"{c.partner_id or '-'}\t{scopes}\t{c.name}")


@client.command("revoke", help="Revoke a client: it gets no new tokens (issued ones expire within their lifetime).")
@click.argument("client_id")
def client_revoke(client_id: str) -> None:
    from hub.access.commands import revoke_client

    if not asyncio.run(revoke_client(_settings().database_url, client_id)):
        raise click.ClickException(f"no active client {client_id}")
    click.echo(f"revoked {client_id}")


@main.group(help="Signing keys of the built-in issuer.")
def keys() -> None:
    pass


@keys.command("rotate", help="Add a new signing key; tokens signed with older keys stay valid until they expire.")
def keys_rotate() -> None:
    from auth.keys import KeyStore

    kid = KeyStore(_settings().data_dir / "keys").rotate()
    click.echo(f"new signing key {kid}; running servers pick it up without a restart")


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
    settings = _settings()
    tokens = asyncio.run(prepare_demo(settings, fresh=True))
    click.echo(f"\nSLRT Hub demo — GraphiQL: http://{host}:{port}/graphql\n")
    click.echo("Send one of these as 'Authorization: Bearer <token>' (valid 12 hours):\n")
    for label, value in tokens:
        click.echo(f"  {label}\n    {value}\n")
    sys.stdout.flush()
    _serve(settings, host, port)


if __name__ == "__main__":
    main()

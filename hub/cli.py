"""``slrt-hub``: run, migrate, mint tokens, print the schema, start the demo."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import click

from auth.roles import Role
from hub.demo.command import demo, demo_issuer, note_running_demo
from hub.demo.state import DEFAULT_DEMO_DIR, DEMO_TOKEN_LIFETIME
from hub.statistics.commands import report, statistics
from hub.startup import listen_or_exit, require_migrated, serve_app, settings_or_exit


@click.group(help="SLRT Hub: the integration layer of Sistem Layanan dan Rujukan Terpadu.")
def main() -> None:
    pass


@main.group(help="Database tasks.")
def db() -> None:
    pass


@db.command("upgrade", help="Apply the database migrations (SLRT_DATABASE_URL).")
def db_upgrade() -> None:
    from hub.db.migrate import upgrade

    upgrade(settings_or_exit().database_url)
    click.echo("database is at the latest revision")


@main.command(help="Serve the API and, unless SLRT_DELIVERY_EMBEDDED=false, a delivery worker.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(min=1),
              help="API processes on the port (each with its own pool and, if embedded, delivery worker)")
def serve(host: str, port: int, workers: int) -> None:
    settings = settings_or_exit()
    require_migrated(settings)
    sock = listen_or_exit(host, port)
    serve_app(settings, sock, workers)


@main.command(help="Deliver referral webhooks from the outbox until SIGTERM/SIGINT (then shut down gracefully).")
def worker() -> None:
    from hub.delivery.runner import run_in_loop, run_worker
    from hub.observability import tracing
    from hub.observability.logs import configure_logging
    from hub.observability.worker_metrics import with_worker_metrics

    settings = settings_or_exit()
    require_migrated(settings)
    configure_logging()
    tracing.configure_from_environment("slrt-hub-worker")
    run_in_loop(with_worker_metrics(settings, run_worker(settings)))


@main.command(help="Print an access token from the built-in issuer, for development and demos.")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role], case_sensitive=False))
@click.option("--area", default=None, help="Kemendagri area code, e.g. 32.75.02 or 327502")
@click.option("--sub", default=None, help="subject (user name); defaults to role and area")
@click.option("--lifetime", default=None, type=int,
              help="seconds; defaults to SLRT_TOKEN_LIFETIME_SECONDS (with --demo: 12 hours)")
@click.option("--demo", "for_demo", is_flag=True,
              help="a token for the demo started by `slrt-hub demo`: its keys and its URL, whatever the port")
@click.option("--demo-dir", default=str(DEFAULT_DEMO_DIR), show_default=True, type=click.Path(path_type=Path),
              help="the demo's --data-dir")
def token(role: str, area: str | None, sub: str | None, lifetime: int | None, for_demo: bool, demo_dir: Path) -> None:
    from auth.issuer import TokenIssuer
    from auth.keys import KeyStore
    from auth.roles import AREA_LENGTHS
    from hub.areas.codes import normalize_area_code

    the_role = Role(role.upper())
    code = normalize_area_code(area) if area else None
    if area and code is None:
        raise click.BadParameter(f"'{area}' is not a Kemendagri area code", param_hint="--area")
    lengths = AREA_LENGTHS[the_role]
    if lengths is not None and (code is None or len(code) not in lengths):
        raise click.BadParameter(f"a {the_role.value} token needs an area of {sorted(lengths)} digits",
                                 param_hint="--area")
    if for_demo:
        issuer = demo_issuer(demo_dir)
        lifetime = lifetime or DEMO_TOKEN_LIFETIME
    else:
        settings = settings_or_exit()
        note_running_demo(settings, demo_dir)
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
        issued = asyncio.run(add_client(settings_or_exit().database_url, name=name, role=Role(role.upper()), scopes=granted,
                                        area=area, partner_id=partner_id))
    except InvalidClient as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"client_id:     {issued.client_id}\nclient_secret: {issued.client_secret}")


@client.command("list", help="List clients (never their secrets).")
def client_list() -> None:
    from hub.access.commands import list_clients

    for c in asyncio.run(list_clients(settings_or_exit().database_url)):
        scopes = " ".join(sorted(s.value for s in c.scopes))
        click.echo(f"{c.client_id}\t{'active' if c.active else 'revoked'}\t{c.role.value}\t{c.area or '-'}\t"
                   f"{c.partner_id or '-'}\t{scopes}\t{c.name}")


@client.command("revoke", help="Revoke a client: it gets no new tokens (issued ones expire within their lifetime).")
@click.argument("client_id")
def client_revoke(client_id: str) -> None:
    from hub.access.commands import revoke_client

    if not asyncio.run(revoke_client(settings_or_exit().database_url, client_id)):
        raise click.ClickException(f"no active client {client_id}")
    click.echo(f"revoked {client_id}")


@main.group(help="Signing keys of the built-in issuer.")
def keys() -> None:
    pass


@keys.command("rotate", help="Add a new signing key; tokens signed with older keys stay valid until they expire.")
def keys_rotate() -> None:
    from auth.keys import KeyStore

    kid = KeyStore(settings_or_exit().data_dir / "keys").rotate()
    click.echo(f"new signing key {kid}; running servers pick it up without a restart")


@main.command(help="Load a synthetic caseload (valid NIK/KK, a year of cases, events, referrals) in bulk.")
@click.option("--households", required=True, type=click.IntRange(min=1), help="households to add")
@click.option("--cases", required=True, type=click.IntRange(min=0), help="cases to add, created over the past year")
@click.option("--seed", "rng_seed", default=2026, show_default=True, type=int, help="random seed (same seed, same data)")
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(min=1, max=32),
              help="processes generating and writing in parallel (PostgreSQL)")
def seed(households: int, cases: int, rng_seed: int, jobs: int) -> None:
    from hub.db.base import utcnow
    from hub.seed.run import seed_caseload

    settings = settings_or_exit()
    try:
        done = asyncio.run(seed_caseload(settings.database_url, settings.regency_code, households, cases,
                                         seed=rng_seed, now=utcnow(), jobs=jobs,
                                         progress=lambda line: click.echo(line, err=True)))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"added {done.households:,} households, {done.persons:,} persons, {done.cases:,} cases, "
               f"{done.events:,} events, {done.referrals:,} referrals in {done.seconds:.1f} s")


@main.command(help="Print the GraphQL schema (SDL), with a field per enabled connector.")
def schema() -> None:
    from connectors.sdk import discover
    from hub.http.connectors import enabled_classes
    from schema import build_schema

    click.echo(build_schema(debug=True, connectors=enabled_classes(discover()).values()).as_str())


@main.command(help="Serve every sector-system simulator on one port, each under /<connector name>/.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8701, show_default=True, type=int)
@click.option("--latency-ms", default=0.0, show_default=True, type=float,
              help="each data request answered this long after it arrived (the simulated work included)")
def simulators(host: str, port: int, latency_ms: float) -> None:
    from connectors.simulators import SIMULATORS, run

    click.echo(f"simulators on http://{host}:{port}/: {', '.join(f'/{n}/' for n in SIMULATORS)}")
    run(host, port, latency_ms)


@main.group(help="Connector development.")
def connector() -> None:
    pass


@connector.command("new", help="Write a new connector: by default outside the hub's checkout a project of its own "
                   "(slrt-connector-NAME/: pyproject with the entry point, connector, simulator, OpenAPI, README, "
                   "conformance test); in the checkout, a package in its tree (--in-tree).")
@click.argument("name")
@click.option("--standalone/--in-tree", default=None,
              help="default: --in-tree when run at the root of the hub's checkout, else --standalone")
@click.option("--dir", "target", default=None, type=click.Path(path_type=Path),
              help="where to write: the project's parent (standalone, default .) or the package's (in-tree, "
                   "default connectors)")
@click.option("--tests-dir", default="tests/connectors", show_default=True, type=click.Path(path_type=Path),
              help="in-tree only: where the conformance test goes")
@click.option("--extends", type=click.Choice(["person", "household"]), default="person", show_default=True)
def connector_new(name: str, standalone: bool | None, target: Path | None, tests_dir: Path, extends: str) -> None:
    from connectors.scaffold import is_hub_checkout, write_connector_package, write_standalone_project

    if standalone is None:
        standalone = not is_hub_checkout(Path.cwd())
    try:
        if standalone:
            made = write_standalone_project(name, target or Path("."), extends=extends)
        else:
            made = write_connector_package(name, target or Path("connectors"), tests_dir=tests_dir, extends=extends)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if standalone:
        project = made.test_file.parent.parent
        click.echo(f"wrote {project}/ (package {made.module}, entry point {made.entry_point})\n"
                   f"next: cd {project} && pip install -e '.[test]' && pytest   (README.md says the rest)")
    else:
        click.echo(f"wrote {made.package_dir}/ and {made.test_file}; add the entry point above to pyproject.toml, "
                   "then `pip install -e .` and run the test")


from hub.partner_cli import partner  # noqa: E402 - a command group of its own module

main.add_command(partner)
main.add_command(demo)
main.add_command(report)
main.add_command(statistics)

if __name__ == "__main__":
    main()

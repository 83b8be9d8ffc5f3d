"""``slrt-hub demo``, and how ``slrt-hub token`` finds the demo it mints for."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import click

from auth.issuer import TokenIssuer
from hub.demo.state import DEFAULT_DEMO_DIR, NoDemo, read_state
from hub.settings import Settings
from hub.startup import listen_or_exit, serve_app


@click.command(help="Start a fresh demo: SQLite, Bekasi data, the API with GraphiQL; prints tokens.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--data-dir", default=str(DEFAULT_DEMO_DIR), show_default=True, type=click.Path(path_type=Path),
              help="the demo's own database, keys and state; replaced on every start")
@click.option("--simulators-port", default=0, show_default=True, type=int, help="0 = a free port")
def demo(host: str, port: int, data_dir: Path, simulators_port: int) -> None:
    from pydantic import ValidationError

    from hub.demo.receiver import DemoPartners
    from hub.demo.runner import prepare_demo
    from hub.demo.settings import demo_settings
    from hub.demo.simulators import point_connectors_at, start_in_thread
    from hub.demo.state import DemoState
    from hub.settings_errors import describe

    data_dir = data_dir.resolve()
    public_url = f"http://{host}:{port}"
    try:
        settings, ignored = demo_settings(data_dir, public_url)
    except ValidationError as exc:
        for line in describe(exc):
            click.echo(f"error: {line}", err=True)
        raise SystemExit(2) from None
    sock = listen_or_exit(host, port)  # before anything is printed or prepared: a port in use is one line
    data_dir.mkdir(parents=True, exist_ok=True)
    for line in ignored:
        click.echo(line)
    partners = DemoPartners(public_url).start_in_thread()
    sim_port = start_in_thread("127.0.0.1", simulators_port)
    point_connectors_at("127.0.0.1", sim_port)
    tokens = asyncio.run(prepare_demo(settings, fresh=True, partners=partners))
    state = DemoState(data_dir=str(data_dir), public_url=public_url, issuer=settings.issuer,
                      audience=settings.oauth_audience, graphql_url=f"{public_url}/graphql", pid=os.getpid())
    state.write()  # kept after the demo stops: `token --demo` then says it is not running
    demo_dir = "" if data_dir == DEFAULT_DEMO_DIR.resolve() else f" --demo-dir {data_dir}"
    click.echo(f"\nSLRT Konsol (console) — open: {public_url}/console/  (masuk sebagai: pick a demo role)\n")
    click.echo(f"demo partner systems (one per Dinas): {partners.base_url}/partners/<agency>")
    click.echo(f"sector-system simulators: http://127.0.0.1:{sim_port}/ (connectors point there)")
    click.echo(f"\nSLRT Hub demo — GraphiQL: {state.graphql_url}\n")
    click.echo("Send one of these as 'Authorization: Bearer <token>' (valid 12 hours):\n")
    for label, value in tokens:
        click.echo(f"  {label}\n    {value}\n")
    click.echo(f"More tokens for this demo: .venv/bin/slrt-hub token --demo{demo_dir} --role SUPERVISOR --area 32.75.02")
    click.echo(f"Stop it with Ctrl-C; the next start begins again from fresh demo data ({data_dir}).\n")
    sys.stdout.flush()
    serve_app(settings, sock, console_demo=True)


def demo_issuer(demo_dir: Path) -> TokenIssuer:
    """The issuer of the demo recorded in ``demo_dir``: its keys, its URL and audience."""
    from auth.keys import KeyStore

    try:
        state = read_state(demo_dir)
    except NoDemo as exc:
        raise click.ClickException(str(exc)) from None
    if not state.running:
        click.echo(f"note: the demo at {state.public_url} (process {state.pid}) is not running; "
                   "this token is for it once it runs again with the same --data-dir and --port", err=True)
    return TokenIssuer(KeyStore(Path(state.data_dir) / "keys"), state.issuer, state.audience)


def note_running_demo(settings: Settings, demo_dir: Path) -> None:
    """A token for the configured hub is refused by a running demo: say so when one runs."""
    try:
        state = read_state(demo_dir)
    except NoDemo:
        return
    if state.running and (state.issuer != settings.issuer or Path(state.data_dir) != settings.data_dir.resolve()):
        click.echo(f"note: this token is for {settings.issuer} (keys in {settings.data_dir}); the demo running at "
                   f"{state.public_url} accepts only its own: `slrt-hub token --demo --role ...`", err=True)

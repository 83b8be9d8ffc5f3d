"""Starting a command that serves: settings, database and port checked first, each problem
one line on stderr and exit code 2, never a traceback (and never a banner before it)."""

from __future__ import annotations

import asyncio
import socket

import click

from hub.settings import Settings


def settings_or_exit() -> Settings:
    """Settings from the environment; bad ones end the command with one line each."""
    from pydantic import ValidationError

    from hub.settings_errors import describe

    try:
        return Settings()
    except ValidationError as exc:
        for line in describe(exc):
            click.echo(f"error: {line}", err=True)
        raise SystemExit(2) from None


def require_migrated(settings: Settings) -> None:
    """End the command when the database is missing, unreachable or not at the code's migrations."""
    from hub.db.migrate import schema_problem

    if problem := asyncio.run(schema_problem(settings.database_url)):
        click.echo(f"error: {problem}", err=True)
        raise SystemExit(2)


def listen_or_exit(host: str, port: int) -> socket.socket:
    """The bound port, before anything else happens; a port in use ends the command."""
    from hub.serving import PortUnavailable, listen

    try:
        return listen(host, port)
    except PortUnavailable as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(2) from None


def serve_app(settings: Settings, sock: socket.socket, workers: int = 1, console_demo: bool = False) -> None:
    """The API (with its embedded delivery worker unless turned off) on ``sock`` until stopped;
    ``console_demo``: the console's demo sign-in (``slrt-hub demo`` only)."""
    from hub import serving
    from hub.asgi import create_app
    from hub.observability import multiprocess, tracing
    from hub.observability.logs import configure_logging

    configure_logging()
    if workers == 1:
        tracing.configure_from_environment("slrt-hub")
        serving.run(create_app(settings, console_demo=console_demo), sock, ws_max_size=settings.max_request_bytes)
        return
    # Several processes each build the app from an import string; they read SLRT_* themselves,
    # and record their metrics into one directory, so that any of them answers /metrics for all.
    with multiprocess.shared_directory():
        serving.run("hub.asgi:app_from_environment", sock, workers=workers,
                    ws_max_size=settings.max_request_bytes)  # frames: the same bound as request bodies

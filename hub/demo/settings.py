"""The demo's own settings: everything that decides *where* it writes and *whom* it trusts.

The demo starts from an empty database every time, so it must never be pointed at anyone
else's: its database, keys, public URL and token issuer are fixed by ``--data-dir``,
``--host`` and ``--port``, whatever ``SLRT_*`` variables are exported. Each exported
variable it overrides is reported in one line, so nobody wonders why theirs had no effect.
Every other setting (rate limits, connector URLs, …) is read from the environment as usual;
``SLRT_ENVIRONMENT=production`` makes the demo refuse to start (debug on, private webhooks).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from hub.settings import Settings


def demo_overrides(data_dir: Path, public_url: str) -> dict[str, Any]:
    """The settings the demo owns, by field name."""
    return {
        "database_url": f"sqlite+aiosqlite:///{data_dir / 'demo.db'}",
        "data_dir": data_dir,
        "public_url": public_url,
        "oauth_issuer": "",  # the built-in issuer at public_url: the demo mints its own tokens
        "oauth_jwks_url": "",
        "debug": True,  # GraphiQL
        "allow_private_webhooks": True,  # the demo partner systems listen on loopback
    }


def ignored_variables(overrides: dict[str, Any]) -> list[str]:
    """One line per exported ``SLRT_*`` variable the demo does not follow."""
    lines = []
    for name, value in overrides.items():
        variable = f"SLRT_{name.upper()}"
        if variable in os.environ and os.environ[variable] != str(value):
            shown = f"its own database {data_dir_of(overrides) / 'demo.db'}" if name == "database_url" else value
            lines.append(f"demo: ignoring {variable} (the demo uses {shown})")
    return lines


def data_dir_of(overrides: dict[str, Any]) -> Path:
    return Path(overrides["data_dir"])


def demo_settings(data_dir: Path, public_url: str) -> tuple[Settings, list[str]]:
    """Settings for a demo under ``data_dir`` (absolute), and the lines naming what it ignored."""
    overrides = demo_overrides(data_dir, public_url)
    return Settings(**overrides), ignored_variables(overrides)

"""What a running demo tells other commands: ``<data dir>/demo.json``.

``slrt-hub token --demo`` reads it to sign with the demo's keys and the demo's issuer (its
URL, port included), so a token minted beside a running demo is one that demo accepts.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

DEFAULT_DEMO_DIR = Path(".slrt/demo")
STATE_FILE = "demo.json"
DEMO_TOKEN_LIFETIME = 12 * 3600  # a demo session's tokens last the working day


@dataclass(frozen=True, slots=True)
class DemoState:
    data_dir: str  # absolute; the issuer's keys are in <data_dir>/keys
    public_url: str
    issuer: str
    audience: str
    graphql_url: str
    pid: int

    def write(self) -> Path:
        path = Path(self.data_dir) / STATE_FILE
        path.write_text(json.dumps(asdict(self), indent=2) + "\n")
        return path

    @property
    def running(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # someone else's process: it exists
            return True
        return True


class NoDemo(Exception):
    """No demo state where it was looked for; the message says how to start one."""


def read_state(demo_dir: Path = DEFAULT_DEMO_DIR) -> DemoState:
    path = demo_dir / STATE_FILE
    try:
        raw = json.loads(path.read_text())
        return DemoState(**{k: raw[k] for k in DemoState.__dataclass_fields__})
    except FileNotFoundError:
        raise NoDemo(f"no demo has run with --data-dir {demo_dir} (no {path}): start one with `make demo` "
                     "or `slrt-hub demo`, or pass its --demo-dir") from None
    except (ValueError, KeyError, TypeError):
        raise NoDemo(f"{path} is not a demo state file: start the demo again") from None

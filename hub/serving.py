"""Serving the ASGI app with uvicorn on a port the hub has already bound.

The port is bound first, before anything is printed or prepared, so a port in use is one
clear line and a non-zero exit instead of a banner, tokens and then a traceback.
"""

from __future__ import annotations

import errno
import socket
from typing import Any


class PortUnavailable(Exception):
    """The port cannot be listened on; the message names it and the option that changes it."""


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (uvicorn's own options: reuse-address, backlog 2048)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise PortUnavailable(f"cannot listen on {host}:{port}: unknown host ({exc.strerror}); "
                              "choose another with --host") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortUnavailable(f"port {port} on {host} is already in use: stop what listens there, "
                                  "or choose another port with --port") from None
        raise PortUnavailable(f"cannot listen on {host}:{port} ({exc.strerror}): "
                              "choose another port with --port or host with --host") from None
    sock.set_inheritable(True)  # uvicorn's worker processes serve on it too
    return sock


def run(app: Any, sock: socket.socket, *, workers: int = 1, ws_max_size: int = 16 * 1024 * 1024) -> None:
    """Serve ``app`` on ``sock`` until SIGINT/SIGTERM; ``app`` is an import string when ``workers`` > 1.

    ``ws_max_size``: uvicorn itself closes a WebSocket (1009) on a larger frame.
    """
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    host, port = sock.getsockname()[:2]
    config = uvicorn.Config(app, host=host, port=port, workers=workers, factory=workers > 1,
                            log_config=None, access_log=False, ws_max_size=ws_max_size)
    if workers > 1:
        Multiprocess(config, sockets=[sock]).run()
        return
    server = uvicorn.Server(config)
    server.run(sockets=[sock])
    if not server.started:  # the app's start-up failed; uvicorn has logged why
        raise SystemExit(3)

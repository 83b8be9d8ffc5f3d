"""A graphql-transport-ws client over aiohttp, for the security tests of the socket."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import aiohttp

from hub.asgi import create_app
from hub.container import Hub
from tests.live.server import serving

CLOSED = (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING)


@contextlib.asynccontextmanager
async def served(hub: Hub, **changes: Any) -> AsyncIterator[str]:
    """The real app under uvicorn on a loopback port, its hub's settings changed by ``changes``."""
    the_hub = dataclasses.replace(hub, settings=hub.settings.model_copy(update=changes)) if changes else hub
    async with serving(create_app(the_hub.settings, the_hub)) as url:
        yield url


class Socket:
    def __init__(self, session: aiohttp.ClientSession, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.session = session
        self.ws = ws

    async def subscribe(self, id: str, query: str, **variables: Any) -> None:
        await self.ws.send_json({"id": id, "type": "subscribe", "payload": {"query": query, "variables": variables}})

    async def next_message(self, timeout: float = 15) -> dict[str, Any] | aiohttp.WSMessage:
        """The next protocol message as a dict, or the close frame.

        ``timeout`` is a bound only so a broken test fails instead of hanging; it stays under
        uvicorn's 20 s ping interval, since every ping restarts aiohttp's receive timeout.
        """
        message = await self.ws.receive(timeout=timeout)
        return message.json() if message.type == aiohttp.WSMsgType.TEXT else message

    async def until_done(self, id: str) -> list[dict[str, Any]]:
        """Messages for ``id`` up to its ``complete`` or ``error``."""
        got = []
        while True:
            message = await self.next_message()
            assert isinstance(message, dict), message
            if message.get("id") == id:
                got.append(message)
                if message["type"] in ("complete", "error"):
                    return got

    async def quiet(self, seconds: float = 1.0) -> list[dict[str, Any]]:
        got = []
        while True:
            try:
                message = await self.ws.receive(timeout=seconds)
            except asyncio.TimeoutError:
                return got
            got.append(message.json() if message.type == aiohttp.WSMsgType.TEXT else {"closed": message.data})

    async def close(self) -> None:
        await self.ws.close()
        await self.session.close()


@contextlib.asynccontextmanager
async def socket(url: str, token: str | None, protocols: tuple[str, ...] = ("graphql-transport-ws",),
                 init: bool = True, headers: dict[str, str] | None = None) -> AsyncIterator[Socket]:
    session = aiohttp.ClientSession()
    ws = await session.ws_connect(f"ws://{url}/graphql", protocols=protocols, headers=headers or {})
    s = Socket(session, ws)
    try:
        if init:
            await ws.send_json({"type": "connection_init",
                                "payload": {"Authorization": f"Bearer {token}"} if token else {}})
            ack = await s.next_message()
            assert isinstance(ack, dict) and ack["type"] == "connection_ack", ack
        yield s
    finally:
        await s.close()

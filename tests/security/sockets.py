"""A graphql-transport-ws client for security tests: every message as the server sent it."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp


class Socket:
    """One authenticated socket to a served hub; `start` sends any operation over it."""

    def __init__(self, session: aiohttp.ClientSession, ws: aiohttp.ClientWebSocketResponse) -> None:
        self._session = session
        self.ws = ws

    @classmethod
    async def open(cls, url: str, token: str) -> Socket:
        session = aiohttp.ClientSession()
        ws = await session.ws_connect(f"ws://{url}/graphql", protocols=["graphql-transport-ws"])
        await ws.send_json({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
        ack = await ws.receive_json(timeout=10)
        assert ack["type"] == "connection_ack", ack
        return cls(session, ws)

    async def start(self, op_id: str, query: str, **variables: Any) -> None:
        await self.ws.send_json({"id": op_id, "type": "subscribe", "payload": {"query": query, "variables": variables}})

    async def subscribe(self, op_id: str, query: str, **variables: Any) -> None:
        await self.start(op_id, query, **variables)
        await asyncio.sleep(0.2)  # let the server register the subscription before changes start

    async def received(self, quiet: float = 1.0) -> list[dict[str, Any]]:
        """Every message until the socket has been quiet for `quiet` seconds, as raw text and JSON."""
        got = []
        while True:
            try:
                message = await self.ws.receive(timeout=quiet)
            except asyncio.TimeoutError:
                return got
            if message.type != aiohttp.WSMsgType.TEXT:
                return got
            got.append({"raw": message.data, **message.json()})

    async def close(self) -> None:
        await self.ws.close()
        await self._session.close()

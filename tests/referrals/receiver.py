"""A real partner endpoint on 127.0.0.1 that verifies Standard Webhooks signatures and
answers from a script (status, headers, delay), recording everything it received.

A receiver can also be *held*: every request then sleeps until the test releases it, the
way a partner whose system answers after many seconds holds the hub's connections; the
receiver counts how many requests it held at once."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from standardwebhooks import Webhook, WebhookVerificationError


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    body: str = "ok"


@dataclass
class Received:
    webhook_id: str
    timestamp: str
    signature: str
    body: dict[str, Any]
    verified_with: list[int]  # indexes of the secrets that verify this request


class Receiver:
    def __init__(self, delay: float = 0.0) -> None:
        self.secrets: list[str] = []
        self.script: list[Reply] = []
        self.default = Reply(200, delay=delay)
        self.received: list[Received] = []
        self._runner: web.AppRunner | None = None
        self.url = ""
        self.held: asyncio.Event | None = None  # set: requests sleep until it is cleared by release()
        self.in_flight = 0
        self.max_in_flight = 0

    async def start(self) -> Receiver:
        app = web.Application()
        app.router.add_post("/webhooks/slrt", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/webhooks/slrt"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def hold(self) -> None:
        self.held = asyncio.Event()

    def release(self) -> None:
        if self.held is not None:
            self.held.set()

    async def _handle(self, request: web.Request) -> web.Response:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.held is not None:
                await self.held.wait()
            return await self._answer(request)
        finally:
            self.in_flight -= 1

    async def _answer(self, request: web.Request) -> web.Response:
        raw = await request.text()
        headers = dict(request.headers)
        verified = []
        for i, secret in enumerate(self.secrets):
            try:
                Webhook(secret).verify(raw, headers)
                verified.append(i)
            except WebhookVerificationError:
                pass
        self.received.append(Received(request.headers.get("webhook-id", ""), request.headers.get("webhook-timestamp", ""),
                                      request.headers.get("webhook-signature", ""), json.loads(raw), verified))
        reply = self.script.pop(0) if self.script else self.default
        if reply.delay:
            await asyncio.sleep(reply.delay)
        return web.Response(status=reply.status, headers=reply.headers, text=reply.body)

    def ids(self) -> list[str]:
        return [r.webhook_id for r in self.received]

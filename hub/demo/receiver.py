"""The demo's partner systems: one webhook endpoint per agency that verifies the signature,
logs what arrived, and then works the referral through the hub's GraphQL API with the
agency's own client credentials (accept, start, complete), as a real Dinas system would.

It runs on its own event loop in a daemon thread of the demo process.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass

import aiohttp
from aiohttp import web
from standardwebhooks import Webhook, WebhookVerificationError

log = logging.getLogger("slrt.demo.partner")

UPDATE = """mutation($input: UpdateReferralStatusInput!) {
  updateReferralStatus(input: $input) { referral { status } errors { code message } } }"""
STEPS = (("ACCEPTED", {"partnerReference": None}), ("IN_PROGRESS", {}),
         ("COMPLETED", {"outcome": "Bantuan disetujui dan disalurkan (aid approved and delivered)"}))


@dataclass
class DemoAgency:
    slug: str
    name: str
    secret: str
    client_id: str
    client_secret: str
    token: str | None = None
    handled: int = 0


class DemoPartners:
    def __init__(self, hub_url: str, delay: float = 3.0) -> None:
        self.hub_url = hub_url.rstrip("/")
        self.delay = delay
        self.base_url = ""
        self.agencies: dict[str, DemoAgency] = {}
        self._seen: set[str] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._http: aiohttp.ClientSession | None = None

    def url_for(self, slug: str) -> str:
        return f"{self.base_url}/partners/{slug}"

    def add(self, agency: DemoAgency) -> None:
        self.agencies[agency.slug] = agency

    def start_in_thread(self, host: str = "127.0.0.1", port: int = 0, timeout: float = 10.0) -> DemoPartners:
        ready = threading.Event()

        def serve() -> None:
            self._loop = asyncio.new_event_loop()
            self._loop.run_until_complete(self._start(host, port))
            ready.set()
            self._loop.run_forever()

        threading.Thread(target=serve, name="slrt-demo-partners", daemon=True).start()
        if not ready.wait(timeout):
            raise RuntimeError("the demo partner receiver did not start")
        return self

    async def _start(self, host: str, port: int) -> None:
        app = web.Application()
        app.router.add_post("/partners/{slug}", self._receive)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://{host}:{bound}"
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))

    async def _receive(self, request: web.Request) -> web.Response:
        agency = self.agencies.get(request.match_info["slug"])
        if agency is None:
            return web.Response(status=404)
        raw = await request.text()
        try:
            event = Webhook(agency.secret).verify(raw, dict(request.headers))
        except WebhookVerificationError:
            log.warning("%s: refused a webhook with a bad signature", agency.name)
            return web.Response(status=401)
        webhook_id = request.headers["webhook-id"]
        if webhook_id in self._seen:  # at-least-once delivery: de-duplicate on webhook-id
            return web.Response(status=200, text="duplicate")
        self._seen.add(webhook_id)
        referral = event["data"]["referral"]
        log.info("%s received %s: %s for case %s (%d subject(s))", agency.name, event["type"], referral["programme"],
                 referral["case"]["number"], len(referral["subjects"]))
        if event["type"] == "referral.requested":
            asyncio.get_running_loop().create_task(self._work(agency, referral["id"]))
        return web.Response(status=202, text="accepted")

    async def _work(self, agency: DemoAgency, referral_id: str) -> None:
        agency.handled += 1
        reference = f"{agency.slug.upper()}-2026-{agency.handled:04d}"
        for status, extra in STEPS:
            await asyncio.sleep(self.delay)
            values = {k: (reference if k == "partnerReference" else v) for k, v in extra.items()}
            errors = await self._update(agency, {"id": referral_id, "status": status, **values})
            if errors:
                log.warning("%s could not set %s: %s", agency.name, status, errors)
                return
            log.info("%s set referral %s to %s", agency.name, referral_id, status)

    async def _update(self, agency: DemoAgency, values: dict[str, object]) -> list[object]:
        assert self._http is not None
        for _ in range(2):  # a second go with a fresh token if the first one expired
            if agency.token is None:
                agency.token = await self._token(agency)
            async with self._http.post(f"{self.hub_url}/graphql", json={"query": UPDATE, "variables": {"input": values}},
                                       headers={"authorization": f"Bearer {agency.token}"}) as r:
                if r.status == 401:
                    agency.token = None
                    continue
                body = await r.json()
            return body.get("errors") or body["data"]["updateReferralStatus"]["errors"]
        return ["unauthenticated"]

    async def _token(self, agency: DemoAgency) -> str:
        assert self._http is not None
        async with self._http.post(f"{self.hub_url}/oauth/token", data={"grant_type": "client_credentials"},
                                   auth=aiohttp.BasicAuth(agency.client_id, agency.client_secret)) as r:
            r.raise_for_status()
            return str((await r.json())["access_token"])

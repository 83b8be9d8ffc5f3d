"""Two ``slrt-hub serve`` processes on one database: a partner disabled through one, and a client
revoked from the command line, are refused by the other within one reload of its revocation list
(SLRT_REVOCATION_CHECK_SECONDS); the other's open socket of that partner is closed."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import httpx

from auth.roles import Role
from hub.container import Hub
from hub.settings import Settings
from tests.access.helpers import WHO, make_client
from tests.ops.scrape import Scrape
from tests.ops.served import ServedHub
from tests.referrals.receiver import Receiver
from tests.referrals.scenario import REGISTER, partner_input
from tests.security.websocket import CLOSED, socket

CHECK_SECONDS = 2.0
DISABLE = """mutation($id: ID!, $reason: String!) { disablePartner(id: $id, reason: $reason) { errors { code } } }"""
UPDATES = "subscription { referralUpdates { id status } }"
RELOADS = "slrt_revocation_list_reloads_total"


async def _reloads(replica: ServedHub) -> float:
    async with httpx.AsyncClient(base_url=replica.url) as http:
        return Scrape((await http.get("/metrics")).text).value(RELOADS, outcome="ok")


async def _answer(replica: ServedHub, token: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=replica.url) as http:
        return await http.post("/graphql", json={"query": WHO}, headers={"authorization": f"Bearer {token}"})


async def _token(replica: ServedHub, client_id: str, secret: str) -> str:
    async with httpx.AsyncClient(base_url=replica.url) as http:
        response = await http.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret))
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


async def refusal_within_one_reload(replica: ServedHub, token: str) -> str:
    """Poll ``replica`` with ``token`` (called once the revocation has committed) until it is refused.

    A reload counted after this call's first look may have started before the commit; the one
    after it cannot have: once the count has grown by two, the next request must be refused.
    """
    first = await _reloads(replica)
    two_reloads_seen = False
    deadline = asyncio.get_running_loop().time() + 10 * CHECK_SECONDS + 60  # so a broken hub fails, not hangs
    while True:
        response = await _answer(replica, token)
        if response.status_code == 401:
            return str(response.json()["errors"][0]["extensions"]["reason"])
        assert response.status_code == 200, response.text
        assert not two_reloads_seen, "still accepted after a whole reload that began after the revocation"
        assert asyncio.get_running_loop().time() < deadline, "the revocation list is not reloading"
        two_reloads_seen = await _reloads(replica) >= first + 2
        await asyncio.sleep(0.05)


async def test_a_revocation_through_one_replica_is_refused_by_the_other(hub: Hub, settings: Settings,
                                                                        tmp_path: Path, receiver: Receiver) -> None:
    env = {"SLRT_REVOCATION_CHECK_SECONDS": str(CHECK_SECONDS), "SLRT_DELIVERY_EMBEDDED": "false"}
    a = ServedHub(settings, tmp_path / "a.log", **env)
    b = ServedHub(settings, tmp_path / "b.log", **env)
    await asyncio.gather(a.start(), b.start())
    try:
        admin = hub.issuer.issue(subject="admin", role=Role.ADMIN)
        async with httpx.AsyncClient(base_url=a.url, headers={"authorization": f"Bearer {admin}"}) as through_a:
            registered = (await through_a.post("/graphql", json={"query": REGISTER, "variables": {
                "input": partner_input("Dinas Sosial Kota Bekasi", receiver.url, ("PKH",))}})).json()
            partner = registered["data"]["registerPartner"]
            partner_token = await _token(b, partner["clientId"], partner["clientSecret"])
            service = await make_client(hub)
            service_token = await _token(a, service.client_id, service.client_secret)
            for replica in (a, b):
                for token in (partner_token, service_token):
                    assert (await _answer(replica, token)).status_code == 200

            async with socket(b.url.removeprefix("http://"), partner_token) as ws:
                await ws.subscribe("1", UPDATES)
                assert await ws.quiet(0.3) == []
                disabled = await through_a.post("/graphql", json={"query": DISABLE, "variables": {
                    "id": partner["partner"]["id"], "reason": "credentials leaked"}})
                assert disabled.json()["data"]["disablePartner"]["errors"] == []

                assert await refusal_within_one_reload(b, partner_token) == "partner_disabled"
                closed = await ws.next_message(timeout=CHECK_SECONDS + 10)
                assert not isinstance(closed, dict) and closed.type in CLOSED, closed
                assert (ws.ws.close_code, closed.extra) == (4403, "partner_disabled")
            async with httpx.AsyncClient(base_url=b.url) as http:
                again = await http.post("/oauth/token", data={"grant_type": "client_credentials"},
                                        auth=(partner["clientId"], partner["clientSecret"]))
            assert again.json()["error"] == "invalid_client"

        revoked = await asyncio.to_thread(subprocess.run, [
            sys.executable, "-c", "from hub.cli import main; main()", "client", "revoke", service.client_id],
            env=a.env, capture_output=True, text=True, timeout=120)
        assert revoked.returncode == 0, revoked.stderr
        refusals = await asyncio.gather(*(refusal_within_one_reload(r, service_token) for r in (a, b)))
        assert refusals == ["client_revoked", "client_revoked"]
    finally:
        await asyncio.gather(a.stop(), b.stop())

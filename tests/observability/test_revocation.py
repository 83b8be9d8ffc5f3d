"""Revocation in one process: a revoked client's and a disabled partner's tokens are refused with
their reason, their sockets closed, and no request reads the database to find out."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import event

from auth.principal import Actor
from auth.roles import Role
from hub.access.clients import ClientRegistry
from hub.access.revocations import RevocationList
from hub.container import Hub
from hub.referrals.models import Partner
from tests.access.helpers import WHO, basic, make_client, token_request
from tests.conftest import Api
from tests.ops.scrape import Scrape
from tests.referrals.scenario import UPDATE, wait_for
from tests.referrals.test_delivery import refer
from tests.security.websocket import CLOSED, served, socket

DISABLE = """mutation($id: ID!, $reason: String!) {
  disablePartner(id: $id, reason: $reason) { partner { id active disabledReason } errors { code message field } } }"""
ENABLE = """mutation($id: ID!) { enablePartner(id: $id) { partner { active disabledReason } errors { code } } }"""
UPDATES = "subscription { referralUpdates { id status } }"


async def _status(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/graphql", json={"query": WHO}, headers={"authorization": f"Bearer {token}"})


async def _refused(client: httpx.AsyncClient, token: str) -> str | None:
    """The 401's reason, or None while the token is accepted."""
    response = await _status(client, token)
    return response.json()["errors"][0]["extensions"]["reason"] if response.status_code == 401 else None


async def _client_token(client: httpx.AsyncClient, client_id: str, secret: str) -> str:
    response = await token_request(client, {"grant_type": "client_credentials"}, basic(client_id, secret))
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


async def test_a_revoked_clients_issued_token_is_refused_with_client_revoked(hub: Hub, client) -> None:
    issued = await make_client(hub)
    token = await _client_token(client, issued.client_id, issued.client_secret)
    assert (await _status(client, token)).status_code == 200

    assert await hub.clients.revoke(issued.client_id)
    await wait_for(lambda: _is_refused(client, token))  # PostgreSQL: the NOTIFY comes back to this process

    response = await _status(client, token)
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "UNAUTHENTICATED", "reason": "client_revoked"}
    assert "ADMIN" in error["message"] and error["message"].endswith(".")
    assert response.headers["www-authenticate"] == (
        'Bearer realm="slrt-hub", error="invalid_token", error_description="client_revoked"')
    other = await make_client(hub)  # other clients are untouched
    assert (await _status(client, await _client_token(client, other.client_id, other.client_secret))).status_code == 200


async def _is_refused(client: httpx.AsyncClient, token: str) -> bool:
    return await _refused(client, token) is not None


async def test_a_partner_disabled_by_an_admin_is_refused_and_gets_no_new_token_until_enabled(
        hub: Hub, client, as_role, flow, receiver, register) -> None:  # type: ignore[no-untyped-def]
    partner = await register(receiver)
    partner_id = partner["partner"]["id"]
    referral = await refer(as_role, flow)
    token = await _client_token(client, partner["clientId"], partner["clientSecret"])
    dinas = Api(client, token)
    accepted = await dinas(UPDATE, input={"id": referral["id"], "status": "ACCEPTED"})
    assert accepted["data"]["updateReferralStatus"]["referral"]["status"] == "ACCEPTED"
    admin = as_role(Role.ADMIN)

    disabled = (await admin(DISABLE, id=partner_id, reason="contract ended"))["data"]["disablePartner"]
    assert disabled["errors"] == []
    assert disabled["partner"] == {"id": partner_id, "active": False,
                                   "disabledReason": "disabled by an administrator: contract ended"}
    await wait_for(lambda: _is_refused(client, token))
    assert await _refused(client, token) == "partner_disabled"
    again = await token_request(client, {"grant_type": "client_credentials"},
                                basic(partner["clientId"], partner["clientSecret"]))
    assert again.json()["error"] == "invalid_client"

    enabled = (await admin(ENABLE, id=partner_id))["data"]["enablePartner"]
    assert enabled == {"partner": {"active": True, "disabledReason": None}, "errors": []}
    await wait_for(lambda: _accepted(client, token))
    moved = await dinas(UPDATE, input={"id": referral["id"], "status": "IN_PROGRESS"})
    assert moved["data"]["updateReferralStatus"]["referral"]["status"] == "IN_PROGRESS"
    assert (await token_request(client, {"grant_type": "client_credentials"},
                                basic(partner["clientId"], partner["clientSecret"]))).status_code == 200


async def _accepted(client: httpx.AsyncClient, token: str) -> bool:
    return (await _status(client, token)).status_code == 200


async def test_an_endpoint_disabled_by_delivery_failures_still_reports(hub: Hub, client, receiver, register) -> None:  # type: ignore[no-untyped-def]
    # A 410 or days of failure switch the webhook off, not the partner's access: it reports on.
    partner = await register(receiver)
    async with hub.sessions.begin() as session:
        row = await session.get(Partner, partner["partner"]["id"])
        assert row is not None
        row.active, row.disabled_reason = False, "the endpoint answered 410 Gone"
    token = await _client_token(client, partner["clientId"], partner["clientSecret"])
    await hub.revocations.reload()
    assert (await _status(client, token)).status_code == 200


async def test_disabling_is_for_admins_needs_a_reason_and_a_partner(hub: Hub, as_role, receiver, register) -> None:  # type: ignore[no-untyped-def]
    partner = await register(receiver)
    partner_id = partner["partner"]["id"]
    back = await as_role(Role.BACK_OFFICE, "3275")(DISABLE, id=partner_id, reason="x")
    assert back["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    admin = as_role(Role.ADMIN)
    empty = (await admin(DISABLE, id=partner_id, reason="  "))["data"]["disablePartner"]
    assert [(e["code"], e["field"]) for e in empty["errors"]] == [("INVALID_INPUT", ["reason"])]
    unknown = (await admin(DISABLE, id="no-such-partner", reason="x"))["data"]["disablePartner"]
    assert unknown["errors"][0]["code"] == "NOT_FOUND"
    async with hub.sessions() as session:  # nothing was written
        row = await session.get(Partner, partner_id)
        assert row is not None and row.active and row.access_revoked_at is None and row.disabled_reason is None


async def test_a_list_older_than_the_interval_is_reloaded_before_a_token_is_judged(hub: Hub) -> None:
    # No NOTIFY and no background loop here: only the age of the list makes it reload.
    now = [0.0]
    revocations = RevocationList(hub.sessions, check_seconds=30, clock=lambda: now[0])
    issued = await make_client(hub)
    actor = Actor(subject=issued.client_id, role=Role.BACK_OFFICE, scopes=frozenset(), area="3275",
                  client_id=issued.client_id)
    assert await revocations.check(actor) is None  # first check loads the list
    assert await ClientRegistry(hub.sessions).revoke(issued.client_id)  # no announcement
    now[0] = 29.0
    assert await revocations.check(actor) is None  # within the interval: the list in memory
    now[0] = 30.5
    assert (await revocations.check(actor)) == "client_revoked"


async def test_checking_tokens_reads_no_table_per_request(hub: Hub, client, as_role) -> None:  # type: ignore[no-untyped-def]
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    before = Scrape((await client.get("/metrics")).text)
    event.listen(hub.engine.sync_engine, "before_cursor_execute", record)
    try:
        supervisor = as_role(Role.SUPERVISOR, "327502")
        for _ in range(20):
            await supervisor("{ areas(parentCode: \"327502\") { code } }")
    finally:
        event.remove(hub.engine.sync_engine, "before_cursor_execute", record)
    after = Scrape((await client.get("/metrics")).text)
    reloads = after.sum("slrt_revocation_list_reloads_total") - before.sum("slrt_revocation_list_reloads_total")
    reads = [s for s in statements if "oauth_clients" in s or "access_revoked_at" in s]
    # only the list's own reloads (two statements each), never per request: 20 requests would
    # read at least 20 times. (At most, not exactly: a reload already running when the listener
    # was attached, a NOTIFY from an earlier test on PostgreSQL, counts without its statements.)
    assert len(reads) <= 2 * reloads
    assert reloads < 10


async def test_a_socket_of_a_disabled_partner_is_closed_at_the_next_check(
        hub: Hub, client, as_role, receiver, register) -> None:  # type: ignore[no-untyped-def]
    partner = await register(receiver)
    token = await _client_token(client, partner["clientId"], partner["clientSecret"])
    async with served(hub) as url, socket(url, token) as ws:
        await ws.subscribe("1", UPDATES)
        assert await ws.quiet(0.3) == []  # open and listening
        result = await as_role(Role.ADMIN)(DISABLE, id=partner["partner"]["id"], reason="compromised")
        assert result["data"]["disablePartner"]["errors"] == []
        closed = await ws.next_message(timeout=hub.settings.revocation_check_seconds + 10)
        assert not isinstance(closed, dict) and closed.type in CLOSED, closed
        assert (ws.ws.close_code, closed.extra) == (4403, "partner_disabled")


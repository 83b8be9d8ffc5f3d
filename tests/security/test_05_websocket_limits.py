"""Issue 11 item 5: a WebSocket gets no more than an HTTP caller would.

Against the real app under uvicorn: the token's end closes the socket (4403) and refuses
what comes after it; each ``subscribe`` spends the caller's HTTP allowance; the query
limits hold; frames are bounded by SLRT_MAX_REQUEST_BYTES; a socket runs at most
SLRT_WS_MAX_SUBSCRIPTIONS operations; the legacy ``graphql-ws`` subprotocol is not offered
and a socket that never authenticates is closed after SLRT_WS_INIT_TIMEOUT_SECONDS.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import httpx
import pytest

from auth.roles import Role
from auth.verifier import LEEWAY_SECONDS
from tests.access.tokens import good_claims, sign
from tests.cases.helpers import RECORD, VILLAGE_A, record_input
from tests.security.test_01_fragment_bomb import fragment_bomb
from tests.security.websocket import CLOSED, served, socket

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

PROGRAMMES = "{ programmes { code } }"
CASE_EVENTS = "subscription { caseEvents { action case { number } } }"


def ending_token(hub: Any, seconds_left: float) -> str:
    """A FACILITATOR token the hub accepts for about ``seconds_left`` more seconds (exp is past, within leeway)."""
    exp = int(time.time() + seconds_left) - LEEWAY_SECONDS
    claims = good_claims(hub.settings.issuer, hub.settings.oauth_audience, sub="fasilitator-ending", exp=exp,
                         iat=exp - 900, nbf=exp - 900)
    return sign(hub.keys.signing_key(), claims)


async def test_a_socket_is_closed_when_its_token_ends_and_nothing_runs_after(hub: Any, as_role: Any) -> None:
    token = ending_token(hub, 3)
    async with served(hub) as url, socket(url, token) as ws:
        await ws.subscribe("events", CASE_EVENTS)
        async with httpx.AsyncClient(base_url=f"http://{url}") as http:
            for _ in range(200):  # until HTTP refuses the token (a bound only so a broken test fails)
                answer = await http.post("/graphql", json={"query": PROGRAMMES}, headers={"authorization": f"Bearer {token}"})
                if answer.status_code == 401:
                    break
                await asyncio.sleep(0.1)
            assert answer.status_code == 401
        # HTTP refuses the token now; so does the socket, whatever arrives on it.
        with_suppressed_send = ws.subscribe("late", RECORD, input=record_input(1, VILLAGE_A))
        try:
            await with_suppressed_send
        except (ConnectionResetError, aiohttp.ClientConnectionError):
            pass  # already closed by the hub: just as refused
        message = await ws.next_message()
        while isinstance(message, dict):  # nothing but the close may answer "late"
            assert message.get("id") != "late", message
            message = await ws.next_message()
        assert message.type in CLOSED and ws.ws.close_code == 4403
    cases = await as_role(Role.FACILITATOR, VILLAGE_A)("{ cases { totalCount } }")
    assert cases["data"]["cases"]["totalCount"] == 0


async def test_each_subscribe_spends_the_callers_http_allowance(hub: Any) -> None:
    token = hub.issuer.issue(subject="sup-rate", role=Role.SUPERVISOR, area="3275")
    async with served(hub, rate_limit="3/minute") as url, socket(url, token) as ws:
        answers = []
        for i in range(5):
            await ws.subscribe(str(i), PROGRAMMES)
            answers.append((await ws.until_done(str(i)))[0])
        assert [a["type"] for a in answers] == ["next", "next", "next", "error", "error"]
        refused = answers[3]["payload"][0]
        assert refused["extensions"]["code"] == "RATE_LIMITED" and 1 <= refused["extensions"]["retryAfter"] <= 60
        async with httpx.AsyncClient(base_url=f"http://{url}") as http:  # one allowance for both transports
            answer = await http.post("/graphql", json={"query": PROGRAMMES}, headers={"authorization": f"Bearer {token}"})
        assert answer.status_code == 429
        other = hub.issuer.issue(subject="sup-other", role=Role.SUPERVISOR, area="3275")
        async with socket(url, other) as second:  # another caller keeps its own
            await second.subscribe("x", PROGRAMMES)
            assert (await second.until_done("x"))[0]["type"] == "next"


async def test_query_limits_hold_for_every_subscribe(hub: Any) -> None:
    token = hub.issuer.issue(subject="sup-limits", role=Role.SUPERVISOR, area="3275")
    deep = "subscription { caseEvents { case { household { members { household { members { name } } } } } } }"
    async with served(hub, query_max_depth=5) as url, socket(url, token) as ws:
        for id, query in (("deep", deep), ("bomb", fragment_bomb(40))):
            await ws.subscribe(id, query)
            [refused] = await ws.until_done(id)
            assert refused["type"] == "error" and refused["payload"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_a_frame_over_the_request_limit_closes_the_socket(hub: Any) -> None:
    token = hub.issuer.issue(subject="sup-frames", role=Role.SUPERVISOR, area="3275")
    async with served(hub, max_request_bytes=4096) as url, socket(url, token) as ws:
        await ws.subscribe("fits", PROGRAMMES, pad="x" * 3000)
        assert (await ws.until_done("fits"))[0]["type"] == "next"
        await ws.subscribe("big", PROGRAMMES, pad="x" * 5000)
        closed = await ws.next_message()
        assert not isinstance(closed, dict) and closed.type in CLOSED and ws.ws.close_code == 1009
        assert closed.extra == "frame larger than 4096 bytes"  # the app's check (this uvicorn allows 16 MiB)


async def test_a_socket_runs_at_most_the_configured_operations(hub: Any, as_role: Any) -> None:
    token = hub.issuer.issue(subject="sup-cap", role=Role.SUPERVISOR, area="3275")
    async with served(hub, ws_max_subscriptions=2) as url, socket(url, token) as ws:
        await ws.subscribe("1", CASE_EVENTS)
        await ws.subscribe("2", CASE_EVENTS)
        await ws.subscribe("3", CASE_EVENTS)
        [refused] = await ws.until_done("3")
        assert refused["type"] == "error" and refused["payload"][0]["extensions"]["code"] == "RATE_LIMITED"
        await ws.ws.send_json({"id": "1", "type": "complete"})
        await ws.subscribe("4", CASE_EVENTS)  # room again
        await asyncio.sleep(0.2)  # let the server register it before the change
        await as_role(Role.FACILITATOR, VILLAGE_A)(RECORD, input=record_input(2, VILLAGE_A))
        heard = await ws.quiet()
        assert sorted(m["id"] for m in heard if m.get("type") == "next") == ["2", "4"]


async def test_the_legacy_subprotocol_is_not_offered(hub: Any) -> None:
    async with served(hub) as url, socket(url, None, protocols=("graphql-ws",), init=False) as ws:
        assert ws.ws.protocol is None
        closed = await ws.next_message()
        assert not isinstance(closed, dict) and ws.ws.close_code == 4406


async def test_a_socket_that_never_authenticates_is_closed_after_the_init_timeout(hub: Any) -> None:
    async with served(hub, ws_init_timeout_seconds=1) as url, socket(url, None, init=False) as ws:
        closed = await ws.next_message()
        assert not isinstance(closed, dict) and ws.ws.close_code == 4408


async def test_slrt_hub_serve_refuses_the_frame_in_the_server_itself(hub: Any, tmp_path: Any) -> None:
    """`slrt-hub serve` as a real process sets uvicorn's ws_max_size to SLRT_MAX_REQUEST_BYTES."""
    from tests.ops.served import ServedHub

    served_hub = await ServedHub(hub.settings, tmp_path / "serve.log", SLRT_MAX_REQUEST_BYTES="4096").start()
    token = hub.issuer.issue(subject="sup-frames", role=Role.SUPERVISOR, area="3275")
    try:
        async with socket(served_hub.url.removeprefix("http://"), token) as ws:
            await ws.subscribe("big", PROGRAMMES, pad="x" * 5000)
            closed = await ws.next_message()
    finally:
        await served_hub.stop()
    assert not isinstance(closed, dict) and ws.ws.close_code == 1009
    # uvicorn's own refusal (ws_max_size): the frame never reached the app, whose reason differs
    assert "frame larger than" not in (closed.extra or "")

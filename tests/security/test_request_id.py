"""Issue 11, also harden: a caller-chosen ``x-request-id`` reaches logs and audit rows only
when harmless (8–64 characters of ``A-Za-z0-9._-``); anything else is replaced by an id of
the hub's own, over HTTP and on a WebSocket's handshake alike."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
import websockets

from auth.roles import Role
from hub.observability import request_id as request_ids
from hub.people.identity import mask_identity_numbers
from tests.cases.helpers import RECORD, record_input
from tests.security.websocket import served

HARMFUL = ["short", "x" * 65, "has space here", "<script>alert(1)</script>", "id;drop table audit_log",
           "trace-éèè-0001", "3275014101850001"]


def _generated(value: str) -> bool:
    return len(value) == 32 and all(c in "0123456789abcdef" for c in value)


@pytest.mark.parametrize("given", HARMFUL)
async def test_a_harmful_id_is_replaced_in_the_answer_and_the_log(client: httpx.AsyncClient, hub: Any, given: str,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    token = hub.issuer.issue(subject="sup-rid", role=Role.SUPERVISOR, area="3275")
    with caplog.at_level(logging.INFO, logger="slrt.request"):
        answer = await client.post("/graphql", json={"query": "{ programmes { code } }"},
                                   headers={"authorization": f"Bearer {token}",
                                            "x-request-id": given.encode()})
    assert answer.status_code == 200
    assert _generated(answer.headers["x-request-id"])
    logged = [r.request_id for r in caplog.records if r.name == "slrt.request"]
    assert logged == [answer.headers["x-request-id"]]


async def test_the_audit_row_carries_a_harmless_id_only(client: httpx.AsyncClient, hub: Any, as_role: Any) -> None:
    front = as_role(Role.FRONT_OFFICE, "3275")
    nik = (await front(RECORD, input=record_input(31, "3275021005")))["data"]["recordCase"]["case"]["subjects"][0]["nik"]
    ids = []
    for given in ("<script>x</script>", "partner-trace-0042"):
        answer = await client.post("/graphql", json={"query": "query($n: String!) { person(nik: $n) { nik } }",
                                                     "variables": {"n": nik}},
                                   headers={"authorization": f"Bearer {front.token}", "x-request-id": given})
        assert answer.json()["data"]["person"] is not None
        ids.append(answer.headers["x-request-id"])
    assert _generated(ids[0]) and ids[1] == "partner-trace-0042"
    log = await as_role(Role.AUDITOR)("query($n: String) { auditLog(nik: $n) { edges { node { requestId } } } }",
                                       n=nik)
    # newest first: the two reads, then the intake that showed the number to the front office
    assert [e["node"]["requestId"] for e in log["data"]["auditLog"]["edges"]][:2] == [ids[1], ids[0]]


async def test_a_websocket_gets_a_request_id_by_the_same_rule(hub: Any) -> None:
    async with served(hub) as url:
        seen = []
        for given in ("<script>x</script>", "partner-trace-0042"):
            async with websockets.connect(f"ws://{url}/graphql", subprotocols=["graphql-transport-ws"],
                                          additional_headers={"x-request-id": given}) as ws:
                seen.append(ws.response.headers["x-request-id"])
    assert _generated(seen[0]) and seen[1] == "partner-trace-0042"


def test_the_hubs_own_ids_never_look_like_an_identity_number() -> None:
    # About one uuid4 hex in a hundred holds a run of exactly 16 decimal digits, which the logs
    # and the response safety net mask as a NIK: an error's "quote request id …" would then not
    # find its log line (seen as a flake of tests/access/test_fuzz.py). 20,000 draws would hold
    # ~170 such ids.
    ids = [request_ids.new_request_id() for _ in range(20_000)]
    assert all(_generated(i) and mask_identity_numbers(i) == i for i in ids)
    assert len(set(ids)) == len(ids)

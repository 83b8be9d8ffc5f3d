"""A subscription sent over HTTP is refused in plain words (400, ``INVALID_INPUT``) and runs
nothing: it used to run its generator as a plain field, answer ``INTERNAL`` and log a traceback
(docs/security.md, known limits)."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from auth.roles import Role

SUBSCRIPTION = "subscription { caseEvents { action } }"


@pytest.mark.parametrize("method", ["POST", "GET"])
async def test_a_subscription_over_http_gets_a_clear_refusal(client: httpx.AsyncClient, hub: Any, method: str,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    token = hub.issuer.issue(subject="fo-sub-http", role=Role.FRONT_OFFICE, area="3275")
    headers = {"authorization": f"Bearer {token}"}
    with caplog.at_level(logging.INFO):
        if method == "POST":
            answer = await client.post("/graphql", json={"query": SUBSCRIPTION}, headers=headers)
        else:
            answer = await client.get("/graphql", params={"query": SUBSCRIPTION}, headers=headers)
    assert answer.status_code == 400, answer.text
    assert answer.json() == {"errors": [{"message": "subscriptions are served over a WebSocket at /graphql "
                                                    "(subprotocol graphql-transport-ws), not over HTTP",
                                         "extensions": {"code": "INVALID_INPUT"}}]}
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    # Queries and mutations by POST are unaffected.
    assert (await client.post("/graphql", json={"query": "{ programmes { code } }"}, headers=headers)).status_code == 200

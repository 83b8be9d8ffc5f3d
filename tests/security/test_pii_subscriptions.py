"""Issue 11, item 3: every message a transport sends passes the PII rule, not only HTTP responses.

Subscriptions and operations over graphql-transport-ws go through the same masking and
audit as an HTTP response: a clear number without its audit row never leaves the hub.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest

from auth.roles import Role
from hub.access.audit import AuditLog
from hub.asgi import create_app
from hub.container import Hub
from hub.db.engine import create_engine, create_session_factory
from tests.cases.helpers import RECORD, VILLAGE_A, record_input
from tests.live.server import serving
from tests.security.sockets import Socket

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

SIXTEEN = re.compile(r"(?<!\d)\d{16}(?!\d)")
NUMBERS = """subscription { caseEvents { action case { number
  household { kkNumber members { nik } } subjects { nik } } } }"""
TEXT = "subscription { caseEvents { action note case { complaint } } }"
A_NIK_IN_TEXT = "3275014101850001"


def _next(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m["payload"] for m in messages if m["type"] == "next"]


async def _record(as_role: Any, seed: int, **overrides: Any) -> dict[str, Any]:
    value = record_input(seed, VILLAGE_A, **overrides)
    result = await as_role(Role.FACILITATOR, VILLAGE_A, sub="fasilitator-1")(RECORD, input=value)
    assert result["data"]["recordCase"]["errors"] == [], result
    return value


async def test_a_subscriber_reading_numbers_gets_an_audit_row_for_exactly_those(
        hub: Hub, settings: Any, as_role: Any) -> None:
    front = as_role(Role.FRONT_OFFICE, "3275", sub="fo-subscriber")
    async with serving(create_app(settings, hub)) as url:
        socket = await Socket.open(url, front.token)
        try:
            await socket.subscribe("1", NUMBERS)
            value = await _record(as_role, 1)
            payloads = _next(await socket.received())
        finally:
            await socket.close()

    assert len(payloads) == 1 and "errors" not in payloads[0], payloads
    case = payloads[0]["data"]["caseEvents"]["case"]
    shown = {("KK", case["household"]["kkNumber"])} | {("NIK", m["nik"]) for m in case["household"]["members"]}
    sent = {("KK", value["household"]["kkNumber"])} | {("NIK", m["nik"]) for m in value["household"]["members"]}
    assert shown == sent  # FRONT_OFFICE holds pii:read: the numbers arrive in clear ...
    rows = (await hub.audit.page(200)).entries
    assert {(r.subject_kind.value, r.subject_number) for r in rows} == shown  # ... each with its audit row
    assert {(r.actor, r.operation) for r in rows} == {("fo-subscriber", "subscription caseEvents")}
    assert all(r.request_id for r in rows)


async def test_free_text_is_masked_for_a_subscriber_without_pii_read(hub: Hub, settings: Any, as_role: Any) -> None:
    supervisor = as_role(Role.SUPERVISOR, VILLAGE_A[:6])
    async with serving(create_app(settings, hub)) as url:
        socket = await Socket.open(url, supervisor.token)
        try:
            await socket.subscribe("1", TEXT)
            await _record(as_role, 2, complaint=f"Tetangga dengan NIK {A_NIK_IN_TEXT} juga butuh bantuan")
            messages = await socket.received()
        finally:
            await socket.close()

    payloads = _next(messages)
    assert [p["data"]["caseEvents"]["action"] for p in payloads] == ["RECORD"]
    assert "Tetangga dengan NIK 3275" in payloads[0]["data"]["caseEvents"]["case"]["complaint"]
    assert not any(SIXTEEN.search(m["raw"]) for m in messages), messages


async def test_a_query_over_the_socket_is_masked_and_audited_like_over_http(
        hub: Hub, settings: Any, as_role: Any) -> None:
    value = await _record(as_role, 3, complaint=f"NIK {A_NIK_IN_TEXT} tetangga")
    query = "{ cases(first: 5) { edges { node { complaint household { kkNumber } } } } }"
    async with serving(create_app(settings, hub)) as url:
        supervisor = await Socket.open(url, as_role(Role.SUPERVISOR, "3275").token)
        front = await Socket.open(url, as_role(Role.FRONT_OFFICE, "3275", sub="fo-socket").token)
        try:
            await supervisor.start("q", query)
            masked = await supervisor.received()
            await front.start("q", query)
            clear = await front.received()
        finally:
            await supervisor.close()
            await front.close()

    assert _next(masked) and not any(SIXTEEN.search(m["raw"]) for m in masked), masked
    assert value["household"]["kkNumber"] in _next(clear)[0]["data"]["cases"]["edges"][0]["node"]["household"]["kkNumber"]
    rows = (await hub.audit.page(50)).entries
    assert [(r.actor, r.subject_number, r.operation) for r in rows] == [
        ("fo-socket", value["household"]["kkNumber"], "query cases")]


async def test_a_message_whose_audit_row_cannot_be_written_is_withheld(
        hub: Hub, settings: Any, as_role: Any, tmp_path: Any) -> None:
    # A real audit log over a database that lacks the table: every write fails. The
    # broken hub shares the event bus, so it hears the changes the real hub makes.
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    broken = dataclasses.replace(hub, audit=AuditLog(create_session_factory(engine)))
    front = as_role(Role.FRONT_OFFICE, "3275")
    try:
        async with serving(create_app(settings, broken)) as url:
            socket = await Socket.open(url, front.token)
            try:
                await socket.subscribe("1", NUMBERS)
                value = await _record(as_role, 4)
                messages = await socket.received()
            finally:
                await socket.close()
    finally:
        await engine.dispose()

    payloads = _next(messages)
    assert len(payloads) == 1, messages
    assert payloads[0]["data"] is None
    assert [e["extensions"]["code"] for e in payloads[0]["errors"]] == ["INTERNAL"]
    numbers = [value["household"]["kkNumber"]] + [m["nik"] for m in value["household"]["members"]]
    assert not any(n in m["raw"] for m in messages for n in numbers)

"""caseEvents over graphql-transport-ws: a district supervisor hears its own district only."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from auth.roles import Role
from hub.asgi import create_app
from hub.container import Hub
from tests.cases.flow import document
from tests.cases.helpers import RECORD, record_input
from tests.conftest import requires_postgres
from tests.live.server import serving

DISTRICT_A, VILLAGE_A = "327502", "3275021005"
VILLAGE_B = "3275011002"  # Bekasi Timur
SUBSCRIBE = "subscription($area: ID) { caseEvents(areaCode: $area) { action toStatus case { number village { code } } } }"


async def _open(url: str, token: str | None, query: str, **variables: Any) -> tuple[Any, Any]:
    session = aiohttp.ClientSession()
    ws = await session.ws_connect(f"ws://{url}/graphql", protocols=["graphql-transport-ws"])
    await ws.send_json({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"} if token else {}})
    ack = await ws.receive(timeout=10)
    if ack.type != aiohttp.WSMsgType.TEXT or ack.json()["type"] != "connection_ack":
        await session.close()
        return None, ack
    await ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}})
    await asyncio.sleep(0.2)  # let the server register the subscription before changes start
    return session, ws


async def _drain(ws: Any, quiet: float = 1.0) -> list[dict[str, Any]]:
    got = []
    while True:
        try:
            message = await ws.receive_json(timeout=quiet)
        except asyncio.TimeoutError:
            return got
        if message["type"] == "next":
            got.append(message["payload"]["data"]["caseEvents"])


async def test_supervisor_receives_exactly_its_district(hub: Any, settings: Any, as_role: Any) -> None:
    supervisor = as_role(Role.SUPERVISOR, DISTRICT_A)
    async with serving(create_app(settings, hub)) as url:
        session, ws = await _open(url, supervisor.token, SUBSCRIBE)
        try:
            mine = await as_role(Role.FACILITATOR, VILLAGE_A)(RECORD, input=record_input(1, VILLAGE_A))
            theirs = await as_role(Role.FACILITATOR, VILLAGE_B)(RECORD, input=record_input(2, VILLAGE_B))
            case_a = mine["data"]["recordCase"]["case"]
            await as_role(Role.FACILITATOR, VILLAGE_A)(document("submitCase", {}), id=case_a["id"])
            case_b = theirs["data"]["recordCase"]["case"]
            await as_role(Role.FACILITATOR, VILLAGE_B)(document("submitCase", {}), id=case_b["id"])
            events = await _drain(ws)
        finally:
            await session.close()
    assert [(e["action"], e["case"]["number"]) for e in events] == [("RECORD", case_a["number"]),
                                                                  ("SUBMIT", case_a["number"])]


async def test_area_code_narrows_and_cannot_widen(hub: Any, settings: Any, as_role: Any) -> None:
    supervisor = as_role(Role.SUPERVISOR, DISTRICT_A)
    async with serving(create_app(settings, hub)) as url:
        session, ws = await _open(url, supervisor.token, SUBSCRIBE, area="32.75.01")  # another district
        try:
            await as_role(Role.FACILITATOR, VILLAGE_B)(RECORD, input=record_input(3, VILLAGE_B))
            await as_role(Role.FACILITATOR, VILLAGE_A)(RECORD, input=record_input(4, VILLAGE_A))
            events = await _drain(ws)
        finally:
            await session.close()
    assert events == []


async def test_socket_without_a_valid_token_is_refused(hub: Any, settings: Any) -> None:
    async with serving(create_app(settings, hub)) as url:
        for token in (None, "not-a-token"):
            session, reply = await _open(url, token, SUBSCRIBE)
            assert session is None
            assert reply.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING)


@requires_postgres
async def test_events_reach_subscribers_on_another_replica(hub: Any, settings: Any, as_role: Any) -> None:
    replica = await Hub.start(settings)  # a second API process's hub: its own bus, same database
    try:
        supervisor = as_role(Role.SUPERVISOR, DISTRICT_A)
        async with serving(create_app(settings, replica)) as url:
            session, ws = await _open(url, supervisor.token, SUBSCRIBE)
            try:
                # The change goes through the first hub; the subscriber listens on the replica.
                mine = await as_role(Role.FACILITATOR, VILLAGE_A)(RECORD, input=record_input(5, VILLAGE_A))
                events = await _drain(ws)
            finally:
                await session.close()
    finally:
        await replica.close()
    assert [e["case"]["number"] for e in events] == [mine["data"]["recordCase"]["case"]["number"]]


pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


REFERRALS = "subscription { referralUpdates { status programme { code } } }"


async def test_partner_hears_only_its_own_referrals_and_supervisor_hears_the_referral_events(
        hub: Any, settings: Any, as_role: Any) -> None:
    from tests.cases.flow import Flow
    from tests.referrals.receiver import Receiver

    receiver = await Receiver().start()
    try:
        admin = as_role(Role.ADMIN)
        register = """mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) {
            partner { id } errors { code message } } }"""
        ids = {}
        for name, code, sector in (("Dinas Kesehatan", "PBI_JK", "HEALTH"), ("Dinas Sosial", "PKH", "SOCIAL_ASSISTANCE")):
            result = await admin(register, input={"name": name, "sectors": [sector], "webhookUrl": receiver.url,
                                                  "programmes": [{"code": code, "name": code, "sector": sector,
                                                                  "level": "REGENCY"}]})
            ids[code] = result["data"]["registerPartner"]["partner"]["id"]
        flow = Flow(as_role)
        case_id = await flow.case_in("REVIEWED")
        dinkes = as_role(Role.PARTNER, sub="dinkes", partner_id=ids["PBI_JK"])
        supervisor = as_role(Role.SUPERVISOR, DISTRICT_A)
        async with serving(create_app(settings, hub)) as url:
            p_session, p_ws = await _open(url, dinkes.token, REFERRALS)
            s_session, s_ws = await _open(url, supervisor.token, SUBSCRIBE)
            try:
                back = as_role(Role.BACK_OFFICE, "3275")
                create = """mutation($input: CreateReferralInput!) { createReferral(input: $input) {
                    referral { id } errors { code } } }"""
                for code in ("PBI_JK", "PKH"):
                    made = await back(create, input={"caseId": case_id, "programmeCode": code, "reason": "eligible"})
                    assert made["data"]["createReferral"]["errors"] == [], made
                partner_events = []
                while True:
                    try:
                        message = await p_ws.receive_json(timeout=1.0)
                    except asyncio.TimeoutError:
                        break
                    if message["type"] == "next":
                        partner_events.append(message["payload"]["data"]["referralUpdates"])
                case_events = await _drain(s_ws)
            finally:
                await p_session.close()
                await s_session.close()
    finally:
        await receiver.stop()
    assert partner_events == [{"status": "REQUESTED", "programme": {"code": "PBI_JK"}}]
    assert [e["action"] for e in case_events] == ["REFER", "REFER"]

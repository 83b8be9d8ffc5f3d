"""Webhook delivery to a real local receiver that verifies every signature (SPEC section 5)."""

from __future__ import annotations

import socket
from datetime import timedelta

from auth.roles import Role
from hub.delivery.models import DeliveryState
from tests.referrals.receiver import Reply
from tests.referrals.scenario import CREATE, READ, REDELIVER, attempts, in_state, messages, wait_for


async def refer(as_role, flow, code: str = "PBI_JK") -> dict:
    case_id = await flow.case_in("REVIEWED")
    back = as_role(Role.BACK_OFFICE, "3275", sub="back-office-1")
    result = await back(CREATE, input={"caseId": case_id, "programmeCode": code, "reason": "Needs PBI-JK"})
    payload = result["data"]["createReferral"]
    assert payload["errors"] == [], payload
    return payload["referral"]


async def test_delivered_first_time_signed_with_the_partner_secret(hub, as_role, flow, receiver, register, worker):
    await register(receiver)
    referral = await refer(as_role, flow)
    w = worker()
    await wait_for(in_state(hub, DeliveryState.DELIVERED))
    await w.stop()
    [got] = receiver.received
    assert got.verified_with == [0]
    assert got.body["type"] == "referral.requested"
    assert got.body["data"]["referral"]["id"] == referral["id"]
    [message] = await messages(hub)
    assert got.webhook_id == message.id
    back = as_role(Role.BACK_OFFICE, "3275")
    read = (await back(READ, id=referral["id"]))["data"]["referral"]
    assert read["deliveryState"] == "DELIVERED"
    assert [(a["number"], a["statusCode"], a["responseBody"]) for a in read["deliveryAttempts"]] == [(1, 200, "ok")]


async def test_payload_carries_only_the_subjects_of_the_case(hub, as_role, flow, receiver, register, worker):
    await register(receiver)
    referral = await refer(as_role, flow)
    w = worker()
    await wait_for(in_state(hub, DeliveryState.DELIVERED))
    await w.stop()
    data = receiver.received[0].body["data"]
    back = as_role(Role.BACK_OFFICE, "3275")
    case = (await back("""query($id: ID!) { referral(id: $id) { case { number subjects { nik }
                            household { kkNumber members { nik } } } } }""", id=referral["id"]))["data"]["referral"]["case"]
    assert [s["nik"] for s in data["referral"]["subjects"]] == [s["nik"] for s in case["subjects"]]
    assert len(case["household"]["members"]) > len(data["referral"]["subjects"])
    assert data["referral"]["case"]["number"] == case["number"]
    assert data["referral"]["household"]["kkNumber"] == case["household"]["kkNumber"]
    assert data["callback"] == {"graphql": "http://hub.test/graphql", "token": "http://hub.test/oauth/token"}


async def test_503_three_times_then_200_makes_four_attempts_with_one_webhook_id(hub, as_role, flow, receiver,
                                                                                  register, worker):
    await register(receiver)
    receiver.script = [Reply(503), Reply(503), Reply(503)]
    referral = await refer(as_role, flow)
    w = worker()
    await wait_for(in_state(hub, DeliveryState.DELIVERED))
    await w.stop()
    assert len(receiver.received) == 4
    assert len(set(receiver.ids())) == 1
    assert all(r.verified_with == [0] for r in receiver.received)
    read = (await as_role(Role.BACK_OFFICE, "3275")(READ, id=referral["id"]))["data"]["referral"]
    assert [(a["number"], a["statusCode"]) for a in read["deliveryAttempts"]] == [(1, 503), (2, 503), (3, 503), (4, 200)]
    assert {a["messageId"] for a in read["deliveryAttempts"]} == set(receiver.ids())


async def test_400_is_dead_at_once_and_redelivery_sends_it_again(hub, as_role, flow, receiver, register, worker):
    await register(receiver)
    receiver.script = [Reply(400, body='{"error":"unknown programme"}')]
    referral = await refer(as_role, flow)
    w = worker()
    await wait_for(in_state(hub, DeliveryState.DEAD))
    [message] = await messages(hub)
    [attempt] = await attempts(hub, message.id)
    assert (attempt.status_code, attempt.response_body) == (400, '{"error":"unknown programme"}')
    back = as_role(Role.BACK_OFFICE, "3275")
    assert (await back(REDELIVER, id=referral["id"]))["data"]["redeliverReferral"]["errors"] == []
    await wait_for(in_state(hub, DeliveryState.DELIVERED))
    await w.stop()
    assert receiver.ids() == [message.id, message.id]
    read = (await back(READ, id=referral["id"]))["data"]["referral"]
    assert [(a["number"], a["statusCode"]) for a in read["deliveryAttempts"]] == [(1, 400), (2, 200)]


async def test_redelivery_of_a_message_that_is_not_dead_is_refused(hub, as_role, flow, receiver, register):
    await register(receiver)
    referral = await refer(as_role, flow)
    result = await as_role(Role.BACK_OFFICE, "3275")(REDELIVER, id=referral["id"])
    assert [e["code"] for e in result["data"]["redeliverReferral"]["errors"]] == ["INVALID_TRANSITION"]
    [message] = await messages(hub)
    assert message.state is DeliveryState.QUEUED


async def test_429_retry_after_is_honoured_within_twice_the_step(hub, as_role, flow, receiver, register, worker):
    await register(receiver)
    receiver.script = [Reply(429, headers={"Retry-After": "3600"})]
    await refer(as_role, flow)
    w = worker(delivery_schedule="0,0.4,0.4")
    await wait_for(in_state(hub, DeliveryState.DELIVERED))
    await w.stop()
    [message] = await messages(hub)
    first, second = await attempts(hub, message.id)
    assert first.status_code == 429 and second.status_code == 200
    # An hour asked for, 2 × 0.4 s granted: the schedule bounds what a partner may ask.
    gap = second.at - first.at
    assert timedelta(seconds=0.8) <= gap < timedelta(seconds=3600)


async def test_a_receiver_that_hangs_past_the_timeout_is_retried(hub, as_role, flow, receiver, register, worker):
    await register(receiver)
    receiver.script = [Reply(200, delay=3.0)]
    await refer(as_role, flow)
    w = worker(delivery_timeout_seconds=0.3)
    await wait_for(in_state(hub, DeliveryState.DELIVERED))
    await w.stop()
    [message] = await messages(hub)
    first, second = await attempts(hub, message.id)
    assert first.status_code is None and "timeout" in (first.error or "")
    assert second.status_code == 200
    assert receiver.ids() == [message.id, message.id]


async def test_a_refused_connection_is_retried_until_the_schedule_ends(hub, as_role, flow, receiver, register, worker):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    await register(receiver, url=f"http://127.0.0.1:{closed_port}/webhooks")
    await refer(as_role, flow)
    w = worker(delivery_schedule="0,0.02,0.02")
    await wait_for(in_state(hub, DeliveryState.DEAD))
    await w.stop()
    [message] = await messages(hub)
    tries = await attempts(hub, message.id)
    assert [a.number for a in tries] == [1, 2, 3]
    assert all(a.status_code is None and "Connect" in (a.error or "") for a in tries)


async def test_410_kills_the_message_and_disables_the_endpoint(hub, as_role, flow, receiver, register, worker):
    partner = await register(receiver, codes=("PBI_JK", "ADMINDUK"))
    receiver.script = [Reply(410)]
    await refer(as_role, flow, "PBI_JK")
    w = worker()
    await wait_for(in_state(hub, DeliveryState.DEAD))
    await refer(as_role, flow, "ADMINDUK")
    admin = as_role(Role.ADMIN)
    read = await admin("{ partners { id active disabledReason } }")
    [p] = read["data"]["partners"]
    assert p["active"] is False and "410" in p["disabledReason"]
    states = sorted(m.state.value for m in await messages(hub))
    assert states == ["DEAD", "QUEUED"]  # nothing goes to a disabled endpoint
    enabled = await admin("mutation($id: ID!) { enablePartner(id: $id) { partner { active } errors { code } } }",
                          id=partner["partner"]["id"])
    assert enabled["data"]["enablePartner"]["partner"]["active"] is True
    await wait_for(in_state(hub, DeliveryState.DELIVERED))
    await w.stop()
    assert len(receiver.received) == 2

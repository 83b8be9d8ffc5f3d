"""Partners: credentials from registerPartner, secret rotation with a grace period,
endpoints disabled after continuous failure, the SSRF guard, the lease rule."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from auth.roles import Role
from hub.db.base import utcnow
from hub.delivery import outbox
from hub.delivery.models import DeliveryMessage, DeliveryState
from hub.delivery.policy import AttemptOutcome, Verdict
from hub.referrals.endpoints import EndpointRefused, check_endpoint
from hub.referrals.models import Partner
from tests.conftest import Api
from tests.referrals.receiver import Reply
from tests.referrals.scenario import CREATE, UPDATE, in_state, messages, wait_for
from tests.referrals.test_delivery import refer

ROTATE = """mutation($id: ID!) { rotatePartnerSecret(id: $id) { secret clientId clientSecret errors { code } } }"""


async def test_the_partner_works_the_loop_with_its_own_client_credentials(hub, client, as_role, flow, receiver,
                                                                          register):
    partner = await register(receiver)
    assert partner["secret"].startswith("whsec_") and partner["clientId"] and partner["clientSecret"]
    referral = await refer(as_role, flow)
    token = await client.post("/oauth/token", data={"grant_type": "client_credentials"},
                              auth=(partner["clientId"], partner["clientSecret"]))
    assert token.status_code == 200, token.text
    dinas = Api(client, token.json()["access_token"])
    result = await dinas(UPDATE, input={"id": referral["id"], "status": "ACCEPTED"})
    assert result["data"]["updateReferralStatus"]["referral"]["status"] == "ACCEPTED"
    # The secrets are never readable again.
    listed = await as_role(Role.ADMIN)("{ partners { name clientId } }")
    assert "secret" not in str(listed).lower()


async def test_after_rotation_old_and_new_secret_both_sign_during_the_grace_period(hub, as_role, flow, receiver,
                                                                                    register, worker):
    partner = await register(receiver)
    rotated = await as_role(Role.ADMIN)(ROTATE, id=partner["partner"]["id"])
    payload = rotated["data"]["rotatePartnerSecret"]
    assert payload["errors"] == [] and payload["secret"] != partner["secret"]
    assert payload["clientId"] == partner["clientId"] and payload["clientSecret"] != partner["clientSecret"]
    receiver.secrets.append(payload["secret"])
    await refer(as_role, flow)
    w = worker()
    await wait_for(in_state(hub, DeliveryState.DELIVERED))
    assert receiver.received[0].verified_with == [0, 1]
    assert len(receiver.received[0].signature.split(" ")) == 2
    await w.stop()
    # Once the grace period is over only the new secret signs.
    async with hub.sessions.begin() as s:
        p = await s.get(Partner, partner["partner"]["id"])
        p.previous_secret_until = utcnow() - timedelta(seconds=1)
    await refer(as_role, flow)
    w = worker()
    await wait_for(in_state(hub, DeliveryState.DELIVERED, 2))
    await w.stop()
    assert receiver.received[1].verified_with == [1]


async def test_an_endpoint_failing_continuously_for_the_limit_is_disabled(hub, as_role, flow, receiver, register,
                                                                          worker):
    await register(receiver)
    receiver.default = Reply(503)
    await refer(as_role, flow)
    # 5 days in production; here a fraction of a second of continuous failure.
    w = worker(delivery_schedule=",".join(["0"] + ["0.05"] * 200), partner_disable_after_hours=0.3 / 3600)
    admin = as_role(Role.ADMIN)

    async def disabled() -> bool:
        return (await admin("{ partners { active } }"))["data"]["partners"][0]["active"] is False

    await wait_for(disabled)
    await w.stop()
    read = (await admin("{ partners { active disabledReason failingSince } }"))["data"]["partners"][0]
    assert "continuously" in read["disabledReason"] and read["failingSince"] is not None
    [message] = await messages(hub)
    assert message.state is DeliveryState.RETRYING  # kept, to go out once an ADMIN re-enables the endpoint


async def test_a_success_clears_the_failure_streak(hub, as_role, flow, receiver, register, worker):
    await register(receiver)
    receiver.script = [Reply(503)]
    await refer(as_role, flow)
    w = worker()
    await wait_for(in_state(hub, DeliveryState.DELIVERED))
    await w.stop()
    async with hub.sessions() as s:
        p = await s.scalar(select(Partner))
    assert p.active and p.failing_since is None


async def test_the_ssrf_guard_refuses_internal_addresses_unless_allowed():
    for url in ("https://127.0.0.1/hook", "https://10.1.2.3/hook", "https://169.254.169.254/latest",
                "https://[::1]/hook", "https://localhost/hook", "http://dinas.example/hook"):
        with pytest.raises(EndpointRefused):
            await check_endpoint(url, allow_private=False)
    await check_endpoint("http://127.0.0.1:9/hook", allow_private=True)


async def test_delivery_checks_the_address_again(hub, as_role, flow, receiver, register, worker):
    await register(receiver)
    await refer(as_role, flow)
    # The deployment no longer allows loopback: the same URL is refused at delivery time.
    w = worker(allow_private_webhooks=False, delivery_schedule="0,0.02")
    await wait_for(in_state(hub, DeliveryState.DEAD))
    await w.stop()
    assert receiver.received == []
    [message] = await messages(hub)
    assert "SSRF" in (message.last_error or "")


async def test_only_the_lease_holder_records_a_result(hub, as_role, flow, receiver, register):
    await register(receiver)
    await refer(as_role, flow)
    [first] = await outbox.claim(hub.engine, 10, timedelta(milliseconds=1), utcnow(), 8)
    await asyncio.sleep(0.01)
    [second] = await outbox.claim(hub.engine, 10, timedelta(seconds=60), utcnow(), 8)  # the lease expired
    assert first.id == second.id and first.lease_token != second.lease_token
    ok = AttemptOutcome(status_code=200, duration_ms=1)
    decision = outbox.Decision(Verdict.DELIVERED, None)
    assert await outbox.record(hub.engine, first, ok, decision, utcnow(), "late", timedelta(days=5)) is False
    assert await outbox.record(hub.engine, second, ok, decision, utcnow(), "holder", timedelta(days=5)) is True
    async with hub.sessions() as s:
        m = await s.scalar(select(DeliveryMessage))
    assert m.state is DeliveryState.DELIVERED and m.attempts == 1


async def test_a_claimed_message_is_not_claimed_again_while_leased(hub, as_role, flow, receiver, register):
    await register(receiver)
    await refer(as_role, flow)
    assert len(await outbox.claim(hub.engine, 10, timedelta(seconds=60), utcnow(), 8)) == 1
    assert await outbox.claim(hub.engine, 10, timedelta(seconds=60), utcnow(), 8) == []


async def test_create_referral_answers_before_delivery(hub, as_role, flow, receiver, register):
    await register(receiver)
    case_id = await flow.case_in("REVIEWED")
    back = as_role(Role.BACK_OFFICE, "3275")
    result = await back(CREATE, input={"caseId": case_id, "programmeCode": "PBI_JK", "reason": "r"})
    assert result["data"]["createReferral"]["referral"]["deliveryState"] == "QUEUED"
    assert receiver.received == []

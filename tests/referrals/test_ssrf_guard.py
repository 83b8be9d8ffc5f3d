"""The SSRF guard sees through IPv6 forms that carry an IPv4 address (issue 11, "also harden").

6to4, Teredo, ISATAP, NAT64 and IPv4-mapped/translated addresses reach the IPv4 address they
embed through a tunnel or a translator, so each is judged by that address as well: a webhook
URL of ``https://[2002:7f00:1::1]/`` is loopback in disguise. Checked through the same calls
the hub makes at registration (``check_endpoint``: real getaddrinfo) and at delivery (the
worker refuses before connecting).
"""

from __future__ import annotations

import pytest

from hub.delivery.models import DeliveryState
from hub.referrals.endpoints import EndpointRefused, address_allowed, check_endpoint
from tests.referrals.scenario import in_state, messages, wait_for
from tests.referrals.test_delivery import refer

# (address, what it reaches)
HIDDEN_INTERNAL = [
    ("2002:7f00:1::1", "6to4 of 127.0.0.1"),
    ("2002:a00:1::", "6to4 of 10.0.0.1"),
    ("2002:c0a8:101::1", "6to4 of 192.168.1.1"),
    ("2002:a9fe:a9fe::", "6to4 of 169.254.169.254 (cloud metadata)"),
    ("64:ff9b::7f00:1", "NAT64 of 127.0.0.1"),
    ("64:ff9b::a9fe:a9fe", "NAT64 of 169.254.169.254"),
    ("::ffff:127.0.0.1", "IPv4-mapped 127.0.0.1"),
    ("::ffff:10.1.2.3", "IPv4-mapped 10.1.2.3"),
    ("::ffff:0:7f00:1", "IPv4-translated 127.0.0.1"),
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", "Teredo, client 127.0.0.1"),
    ("2a00:1450::5efe:7f00:1", "ISATAP in a global prefix, 127.0.0.1"),
    ("2a00:1450::200:5efe:a00:1", "ISATAP in a global prefix, 10.0.0.1"),
]
# Refused even where private addresses are allowed: no legitimate use, or not judgeable.
ALWAYS_REFUSED = [
    ("::127.0.0.1", "IPv4-compatible (deprecated)"),
    ("::8.8.8.8", "IPv4-compatible (deprecated), public"),
    ("64:ff9b:1::808:808", "NAT64 local-use prefix"),
]
# Public addresses in the same forms stay usable (an IPv6-only hub reaches IPv4 partners by NAT64).
PUBLIC = [
    ("2002:808:808::1", "6to4 of 8.8.8.8"),
    ("64:ff9b::808:808", "NAT64 of 8.8.8.8"),
    ("::ffff:8.8.8.8", "IPv4-mapped 8.8.8.8"),
    ("2a00:1450::5efe:808:808", "ISATAP, 8.8.8.8"),
    ("2606:4700::1111", "plain global IPv6"),
]


@pytest.mark.parametrize(("address", "reaches"), HIDDEN_INTERNAL + ALWAYS_REFUSED)
async def test_an_embedded_internal_address_is_refused_at_registration(address: str, reaches: str) -> None:
    assert not address_allowed(address, allow_private=False), reaches
    with pytest.raises(EndpointRefused, match="loopback, private or reserved"):
        await check_endpoint(f"https://[{address}]/webhooks/slrt", allow_private=False)


@pytest.mark.parametrize(("address", "reaches"), ALWAYS_REFUSED)
def test_forms_that_hide_what_they_reach_are_refused_even_where_private_addresses_are_allowed(
        address: str, reaches: str) -> None:
    assert not address_allowed(address, allow_private=True), reaches


@pytest.mark.parametrize(("address", "reaches"), PUBLIC)
def test_the_same_forms_of_a_public_address_are_allowed(address: str, reaches: str) -> None:
    assert address_allowed(address, allow_private=False), reaches


async def test_numeric_host_spellings_of_loopback_are_resolved_and_refused() -> None:
    for host in ("2130706433", "0x7f000001", "0177.0.0.1", "127.1"):
        with pytest.raises(EndpointRefused):
            await check_endpoint(f"https://{host}/webhooks/slrt", allow_private=False)


async def test_delivery_refuses_a_6to4_address_of_loopback(hub, as_role, flow, receiver, register, worker):
    # Registered where private addresses were allowed; this deployment does not allow them.
    await register(receiver, url="https://[2002:7f00:1::1]:8443/webhooks/slrt")
    await refer(as_role, flow)
    w = worker(allow_private_webhooks=False, delivery_schedule="0,0.02")
    await wait_for(in_state(hub, DeliveryState.DEAD))
    await w.stop()
    [message] = await messages(hub)
    assert "SSRF" in (message.last_error or ""), message.last_error

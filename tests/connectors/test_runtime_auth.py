"""Outbound auth: API key header, OAuth2 client-credentials token fetched once and cached."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from connectors.sdk import ConnectorRuntime, ConnectorUnavailable, OAuth2ClientCredentials
from connectors.testing import ManualClock


async def test_api_key_is_sent_as_header(probe, upstream, http_session) -> None:
    settings = probe.settings_class.for_connector(
        "probe", base_url=upstream.base_url, auth="api_key", api_key="k-123", cache_ttl=0
    )
    await ConnectorRuntime(probe(settings), http_session).load_many(["3275010101900001"])
    assert upstream.auth_headers == ["k-123"]
    assert "k-123" not in repr(settings)


async def test_oauth2_token_is_cached_until_shortly_before_expiry(probe, upstream, http_session) -> None:
    clock = ManualClock()
    upstream.token_lifetime = 300
    auth = OAuth2ClientCredentials(
        http_session, f"{upstream.base_url}/token", "hub", SecretStr("s3cret"), "read", leeway=30, clock=clock
    )
    settings = probe.settings_class.for_connector("probe", base_url=upstream.base_url, cache_ttl=0)
    rt = ConnectorRuntime(probe(settings), http_session, auth=auth)
    for _ in range(3):
        await rt.load_many(["3275010101900001"])
    assert upstream.token_requests == 1
    assert upstream.auth_headers == ["Bearer token-1"] * 3
    clock.advance(271)  # within the 30 s leeway of expiry: fetch a new one
    await rt.load_many(["3275010101900001"])
    assert upstream.token_requests == 2
    assert upstream.auth_headers[-1] == "Bearer token-2"
    assert "s3cret" not in repr(auth)


async def test_oauth2_settings_build_a_working_client(probe, upstream, http_session) -> None:
    settings = probe.settings_class.for_connector(
        "probe",
        base_url=upstream.base_url,
        auth="oauth2",
        token_url=f"{upstream.base_url}/token",
        client_id="hub",
        client_secret="s3cret",
        cache_ttl=0,
    )
    rt = ConnectorRuntime(probe(settings), http_session)
    await rt.load_many(["3275010101900001"])
    await rt.load_many(["3275010101900002"])
    assert upstream.token_requests == 1
    assert "s3cret" not in repr(settings) + repr(rt)


async def test_token_endpoint_failure_makes_connector_unavailable(probe, http_session, upstream) -> None:
    settings = probe.settings_class.for_connector(
        "probe",
        base_url=upstream.base_url,
        auth="oauth2",
        token_url=f"{upstream.base_url}/nope",
        client_id="hub",
        client_secret="x",
        cache_ttl=0,
    )
    with pytest.raises(ConnectorUnavailable) as caught:
        await ConnectorRuntime(probe(settings), http_session).load_many(["3275010101900001"])
    assert caught.value.reason.startswith("token_http_")

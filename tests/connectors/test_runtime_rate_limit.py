"""The per-connector rate limit (aiolimiter) spaces upstream calls."""

from __future__ import annotations

import asyncio

from connectors.sdk import ConnectorRuntime


async def test_rate_limit_spaces_upstream_calls(probe, upstream, http_session) -> None:
    settings = probe.settings_class.for_connector(
        "probe", base_url=upstream.base_url, rate_limit=5, cache_ttl=0
    )
    rt = ConnectorRuntime(probe(settings), http_session)
    loop = asyncio.get_running_loop()
    started = loop.time()  # the limiter's own clock
    await asyncio.gather(*(rt.load_many([f"32750101019000{i:02d}"]) for i in range(10)))
    # 5 per second: the first 5 pass at once, the next 5 drip out over about a second.
    # Only a lower bound: a busy machine makes this slower, never faster, so it cannot flake.
    assert loop.time() - started >= 0.8
    assert upstream.calls == 10

"""``slrt-hub serve --workers 2`` as a real process: requests served by both workers appear summed
in one scrape, whichever worker answers it; the shared metrics directory lives as long as serve."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from auth.roles import Role
from hub.container import Hub
from hub.settings import Settings
from tests.ops.scrape import Scrape
from tests.ops.served import ServedHub

PROBE = "query Probe { areas(parentCode: \"327502\") { code } }"
AT_MOST = 400  # requests sent before giving up on seeing both workers serve


async def _probe(url: str, token: str) -> None:
    # a connection of its own each time, so the kernel hands it to either worker
    async with httpx.AsyncClient(base_url=url) as http:
        response = await http.post("/graphql", json={"query": PROBE}, headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 200 and "errors" not in response.json(), response.text


async def _scrape(url: str) -> Scrape:
    async with httpx.AsyncClient(base_url=url) as http:
        return Scrape((await http.get("/metrics")).text)


def _serving_pids(served: ServedHub) -> set[int]:
    return {line["pid"] for line in served.log_lines()
            if line["logger"] == "slrt.request" and line.get("path") == "/graphql"}


async def test_one_scrape_sums_the_requests_of_every_worker(hub: Hub, settings: Settings, tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    served = ServedHub(settings, tmp_path / "serve.log", serve_args=("--workers", "2"), TMPDIR=str(temp),
                       SLRT_DELIVERY_EMBEDDED="false")
    await served.start()
    try:
        [directory] = temp.glob("slrt-metrics-*")  # made for this start
        token = hub.issuer.issue(subject="supervisor-metrics", role=Role.SUPERVISOR, area="327502")
        sent = 0
        while len(_serving_pids(served)) < 2:
            assert sent < AT_MOST, "only one worker served requests"
            await asyncio.gather(*(_probe(served.url, token) for _ in range(10)))
            sent += 10
        await asyncio.sleep(0.2)  # the last requests' log lines and metrics are written after the answer

        for _ in range(6):  # whichever worker answers, the same sums
            scrape = await _scrape(served.url)
            assert scrape.value("slrt_graphql_requests_total", operation="Probe", type="query") == sent
            assert scrape.value("slrt_http_request_duration_seconds_count", method="POST", route="/graphql",
                                status="200") == sent
            # one breaker per worker, each CLOSED: the gauge counts workers in each state
            assert scrape.value("slrt_connector_breaker_state", connector="bpjs", state="CLOSED") == 2
            assert scrape.value("slrt_connector_breaker_state", connector="bpjs", state="OPEN") == 0
        assert directory.is_dir()
    finally:
        await served.stop()
    assert not list(temp.glob("slrt-metrics-*")), "the metrics directory outlived serve"

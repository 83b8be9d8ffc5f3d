"""The baseline of bench/delivery.py: a plain aiohttp POST loop, in a process of its own.

    python bench/plain_loop.py URL MESSAGES CONCURRENCY

It imports only what such a loop needs (aiohttp, standardwebhooks, uvloop when installed),
so it does not carry the hub's modules in its heap for the garbage collector to walk, as it
did when it ran inside the benchmark process. Each webhook is signed as any Standard
Webhooks sender must. Prints one JSON line: seconds and CPU seconds of the loop alone.
"""

from __future__ import annotations

import asyncio
import base64
import json
import sys
import time
from datetime import UTC, datetime

import aiohttp
from standardwebhooks import Webhook

SECRET = "whsec_" + base64.b64encode(b"bench-plain-loop-secret-32bytes!").decode()
# The same body as the outbox messages of bench/delivery.py.
BODY = json.dumps({"type": "referral.requested", "data": {"referral": {"id": "x" * 36, "reason": "r" * 200,
                                                                        "subjects": [{"nik": "3275" + "0" * 12}]}}})


async def plain_loop(url: str, n: int, concurrency: int) -> float:
    """POST n webhooks, ``concurrency`` in flight, with the worker's Standard Webhooks headers
    and a signer built once (the worker keeps one per endpoint)."""
    sem = asyncio.Semaphore(concurrency)
    signer = Webhook(SECRET)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        async def one(i: int) -> None:
            message_id, at = f"msg_{i}", datetime.now(UTC)
            headers = {"content-type": "application/json", "webhook-id": message_id,
                       "webhook-timestamp": str(int(at.timestamp())),
                       "webhook-signature": signer.sign(message_id, at, BODY)}
            async with sem, session.post(url, data=BODY.encode(), headers=headers) as r:
                await r.read()
                assert r.status == 200

        started = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(n)))
        return time.perf_counter() - started


async def main() -> None:
    url, n, concurrency = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    await plain_loop(url, min(n, 300), concurrency)  # warm-up, as the worker's (connections open)
    cpu = time.process_time()
    seconds = await plain_loop(url, n, concurrency)
    print(json.dumps({"seconds": seconds, "cpu": time.process_time() - cpu}))


if __name__ == "__main__":
    try:  # the same event loop as `slrt-hub worker`
        import uvloop

        uvloop.run(main())
    except ImportError:
        asyncio.run(main())

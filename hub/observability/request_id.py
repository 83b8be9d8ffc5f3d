"""The current request's id, carried across awaits so outbound calls can pass it on.

The HTTP edge sets it for each request; connector calls made while answering (DataLoader
batches are tasks created inside the request, so they inherit it) and webhook attempts
send it as ``x-request-id``. Partners and sector systems can then quote it, and one id
finds the hub's log line for the request that caused the call.
"""

from __future__ import annotations

import re
import secrets
from contextvars import ContextVar
from types import SimpleNamespace

import aiohttp

from hub.people.identity import mask_identity_numbers

HEADER = "x-request-id"
current: ContextVar[str | None] = ContextVar("slrt_request_id", default=None)
_SIXTEEN_DIGITS = re.compile(r"[0-9]{16}")


def new_request_id() -> str:
    """32 hex digits, never holding a run of exactly 16 decimal digits: about one uuid in a
    hundred does, and the log formatter and the response safety net would take that run for a
    NIK and mask it, so the id a caller quotes would not find its log line. Such a draw is
    drawn again. (Every webhook attempt draws one: the common case is one C-level search.)"""
    while True:
        candidate = secrets.token_hex(16)
        if _SIXTEEN_DIGITS.search(candidate) is None or mask_identity_numbers(candidate) == candidate:
            return candidate


async def _add_header(_session: aiohttp.ClientSession, _ctx: SimpleNamespace,
                      params: aiohttp.TraceRequestStartParams) -> None:
    request_id = current.get()
    # A header the caller set itself (a connector passing its own id) is kept.
    if request_id is not None and HEADER not in params.headers:
        params.headers[HEADER] = request_id


def outbound_trace_config() -> aiohttp.TraceConfig:
    """Give to every hub-owned ``aiohttp.ClientSession``: ``ClientSession(trace_configs=[...])``."""
    config = aiohttp.TraceConfig()
    config.on_request_start.append(_add_header)
    return config

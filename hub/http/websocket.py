"""The WebSocket side of ``/graphql``: a socket's lifecycle and limits (graphql-transport-ws).

What HTTP checks on every request, a socket checks on every operation:

- **token**: verified at ``connection_init`` (``HubGraphQL.on_ws_connect``), which must
  arrive within ``SLRT_WS_INIT_TIMEOUT_SECONDS`` (else close 4408). When the token's
  validity ends — the moment HTTP starts answering 401 for it, ``exp`` plus the verifier's
  leeway — the socket is closed with 4403 (reason ``token expired``), running subscriptions
  included, and any message arriving after that moment closes it the same way before it is
  acted on. The client reconnects with a fresh token. So is a socket whose client is revoked
  or whose partner is disabled (reason ``client_revoked``, ``partner_disabled``), as soon as
  this process's revocation list learns it (``hub.access.revocations``: within
  ``SLRT_REVOCATION_CHECK_SECONDS``).
- **rate**: every ``subscribe`` message spends one unit of the caller's allowance, the
  same ``CallerAllowance`` HTTP requests spend; over it, that operation gets an ``error``
  with ``RATE_LIMITED`` and ``retryAfter`` (seconds) and the socket stays open.
- **concurrency**: at most ``SLRT_WS_MAX_SUBSCRIPTIONS`` operations at once per socket;
  one more gets an ``error`` with ``RATE_LIMITED``.
- **query limits**: depth, aliases, tokens, cost and entities are the schema's own
  (``schema.extensions.limits``), so they apply to each ``subscribe`` as to each request.
- **frame size**: ``hub.http.limits.BodyLimit`` closes a socket with 1009 on a frame over
  ``SLRT_MAX_REQUEST_BYTES`` (and ``slrt-hub serve`` sets uvicorn's ``ws_max_size`` to it).

Only ``graphql-transport-ws`` is offered; the legacy ``graphql-ws`` subprotocol is not
(a client asking only for it is closed with 4406).
"""

from __future__ import annotations

import asyncio
import time
from contextlib import suppress
from datetime import timedelta
from typing import Any

from graphql import GraphQLError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler
from strawberry.subscriptions.protocols.graphql_transport_ws.types import Message, SubscribeMessage

from hub.access.revocations import RevocationList
from hub.http.limits import CallerAllowance

SUBPROTOCOLS = (GRAPHQL_TRANSPORT_WS_PROTOCOL,)
TOKEN_REFUSED = 4403  # graphql-transport-ws: Forbidden


def socket_options(init_timeout_seconds: float, max_operations: int) -> dict[str, Any]:
    """The strawberry view's WebSocket options (``strawberry.asgi.GraphQL`` arguments)."""
    return {"subscription_protocols": SUBPROTOCOLS,
            "connection_init_wait_timeout": timedelta(seconds=init_timeout_seconds),
            "max_subscriptions_per_connection": max_operations}


class HubTransportWS(BaseGraphQLTransportWSHandler[Any, None]):
    """graphql-transport-ws with the hub's per-operation rules (see the module docstring).

    The view gives it ``allowance`` (a ``CallerAllowance``); the caller is
    ``context.actor``, set when ``connection_init`` was accepted.
    """

    _expiry: asyncio.Task[None] | None = None

    async def handle_connection_init(self, message: Any) -> None:
        await super().handle_connection_init(message)
        if self.connection_acknowledged and self._expiry is None:
            self._expiry = asyncio.create_task(self._close_when_token_refused())

    async def handle_message(self, message: Message) -> None:
        if self.connection_acknowledged and (refused := self._token_refused()) is not None:
            await self._close_refused(refused)
            return
        await super().handle_message(message)

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        if not self.connection_acknowledged or message.get("id") in self.operations:
            await super().handle_subscribe(message)  # closes 4401 / 4409 as the protocol says
            return
        limit = self.max_subscriptions_per_connection
        if limit is not None and len(self.operations) >= limit:
            await self._refuse(message, f"this socket already runs {limit} operations; complete one first")
            return
        allowance: CallerAllowance = self.view.allowance  # type: ignore[attr-defined]  # HubGraphQL's
        wait = allowance.take(self.context.actor)
        if wait is not None:
            await self._refuse(message, f"too many requests; retry in {wait} s", retryAfter=wait)
            return
        await super().handle_subscribe(message)

    async def shutdown(self) -> None:
        if self._expiry is not None and self._expiry is not asyncio.current_task():
            self._expiry.cancel()
            with suppress(asyncio.CancelledError):
                await self._expiry
        await super().shutdown()

    def _revocations(self) -> RevocationList:
        return self.view.hub.revocations  # type: ignore[attr-defined, no-any-return]  # HubGraphQL's

    def _token_refused(self) -> str | None:
        """Why the socket's token is no longer accepted (the close reason), or None."""
        actor = self.context.actor
        valid_until = getattr(actor, "valid_until", None)
        if valid_until is not None and time.time() > valid_until:
            return "token expired"
        refusal = self._revocations().refusal(actor)
        return refusal.value if refusal is not None else None

    async def _close_when_token_refused(self) -> None:
        """Wake when the token ends or the revocation list changes; close once it is refused."""
        valid_until = getattr(self.context.actor, "valid_until", None)
        while (refused := self._token_refused()) is None:
            changed = asyncio.ensure_future(self._revocations().changed())
            try:
                timeout = None if valid_until is None else max(valid_until - time.time(), 0.05)
                await asyncio.wait({changed}, timeout=timeout)
            finally:
                changed.cancel()
        await self._close_refused(refused)

    async def _close_refused(self, reason: str) -> None:
        for operation_id in list(self.operations):  # no message goes out on a refused token
            await self.cleanup_operation(operation_id)
        with suppress(Exception):  # the client may be gone already
            await self.websocket.close(code=TOKEN_REFUSED, reason=reason)

    async def _refuse(self, message: SubscribeMessage, text: str, **extensions: Any) -> None:
        error = GraphQLError(text, extensions={"code": "RATE_LIMITED", **extensions})
        await self.send_message({"id": message["id"], "type": "error", "payload": [error.formatted]})

"""The ASGI application: the composition root where the hub meets its GraphQL schema.

Only this module and the CLI import ``schema``; the domain under ``hub/`` never does.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from strawberry.asgi import GraphQL

from hub.container import Hub
from hub.db.migrate import migrations_current
from hub.http.authentication import BearerAuthentication
from hub.http.request_log import RequestLog
from hub.settings import Settings
from schema import build_schema
from schema.context import Context


class HubGraphQL(GraphQL[Context, None]):
    def __init__(self, hub: Hub) -> None:
        super().__init__(build_schema(hub.settings.debug), graphql_ide="graphiql" if hub.settings.debug else None,
                         allow_queries_via_get=True)
        self.hub = hub

    async def get_context(self, request: Any, response: Any) -> Context:
        state = request.scope.get("state", {})
        return Context(hub=self.hub, actor=state["actor"], request_id=state.get("request_id", "-"),
                       request=request, response=response)


def create_app(settings: Settings, hub: Hub | None = None) -> Starlette:
    """The hub's ASGI app; a ready ``hub`` may be passed in (tests), else it starts with the app."""
    holder: dict[str, Hub] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        own = hub is None
        if own:
            holder["hub"] = await Hub.start(settings)
            graphql.start(holder["hub"])
        try:
            yield
        finally:
            if own:
                await holder["hub"].close()

    graphql = _LazyGraphQL(settings, hub)
    if hub is not None:
        holder["hub"] = hub
        graphql.start(hub)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        ok, detail = await migrations_current(holder["hub"].engine)
        return JSONResponse({"status": "ready" if ok else "not ready", "detail": detail}, status_code=200 if ok else 503)

    async def jwks(_: Request) -> Response:
        return JSONResponse(holder["hub"].keys.jwks(), headers={"cache-control": "public, max-age=300"})

    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/oauth/jwks.json", jwks),
        ],
        lifespan=lifespan,
        middleware=[Middleware(RequestLog), Middleware(_Auth, holder=holder, debug=settings.debug)],
    )
    return app


class _LazyGraphQL:
    """The GraphQL endpoint, built once the hub has started (the schema needs its settings)."""

    def __init__(self, settings: Settings, hub: Hub | None) -> None:
        self._app: HubGraphQL | None = None

    def start(self, hub: Hub) -> None:
        self._app = HubGraphQL(hub)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        assert self._app is not None, "the hub has not started"
        await self._app(scope, receive, send)


class _Auth:
    def __init__(self, app: Any, holder: dict[str, Hub], debug: bool) -> None:
        self.app = app
        self.holder = holder
        self.debug = debug
        self._inner: BearerAuthentication | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if self._inner is None:
            self._inner = BearerAuthentication(self.app, self.holder["hub"].verifier, allow_graphiql=self.debug)
        await self._inner(scope, receive, send)

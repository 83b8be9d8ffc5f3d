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
from starlette.routing import Route, WebSocketRoute
from cross_web import HTTPException
from strawberry.exceptions import ConnectionRejectionError
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET, UnsetType

from auth.principal import Actor
from auth.roles import Role
from auth.verifier import InvalidToken
from strawberry.asgi import GraphQL

from hub.console.demo_sign_in import demo_routes
from hub.console.site import ConsoleSite
from hub.container import Hub
from hub import heap
from hub.delivery.embedded import EmbeddedWorker
from hub.referrals.escalation import EscalationScanner
from hub.db.migrate import migrations_current
from hub.http import graphiql
from hub.http.authentication import BearerAuthentication
from hub.http.get_queries import SafeGetQueries
from hub.http.graphql_media import finish_response, shape_result
from hub.http.limits import BodyLimit, CallerAllowance, RateLimit
from hub.http.websocket import HubTransportWS, socket_options
from hub.http.oauth import TokenEndpoint, metadata
from hub.observability import multiprocess, outbox_gauges, tracing
from hub.observability.metrics import exposition
from hub.http.request_log import RequestLog
from hub.settings import Settings
from schema import build_schema
from schema.context import Context
from schema.extensions.limits import QueryLimits


NOBODY = Actor(subject="", role=Role.PARTNER, scopes=frozenset(), area=None, partner_id="")


SUBSCRIPTIONS_OVER_HTTP = ("subscriptions are served over a WebSocket at /graphql (subprotocol "
                           "graphql-transport-ws), not over HTTP")


class HubGraphQL(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = HubTransportWS

    def __init__(self, hub: Hub, allowance: CallerAllowance) -> None:
        s = hub.settings
        limits = QueryLimits(max_depth=s.query_max_depth, max_aliases=s.query_max_aliases, max_tokens=s.query_max_tokens,
                             max_cost=s.query_max_cost, default_list_size=s.query_default_list_size,
                             field_costs=s.query_field_costs, max_entities=s.max_entity_representations)
        super().__init__(build_schema(s.debug, limits, s.max_batch_operations,
                                      connectors=hub.connectors.enabled().values()),
                         graphql_ide="graphiql" if s.debug else None, allow_queries_via_get=True,
                         **socket_options(s.ws_init_timeout_seconds, s.ws_max_subscriptions))
        self.hub = hub
        self.allowance = allowance  # HTTP requests and WebSocket operations spend the same

    @property
    def graphql_ide_html(self) -> str:
        return graphiql.page()  # every asset from the hub itself, none from a CDN

    async def process_result(self, request: Any, result: Any) -> Any:
        # The PII rule already ran on `result` itself (schema/extensions/pii_guard.py), as it
        # does for every WebSocket message.
        return shape_result(request.scope, await super().process_result(request, result))

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        # GraphQL over HTTP: the media type and status `shape_result` chose for this request
        try:
            return finish_response(request.scope, await super().run(request, context, root_value))
        except HTTPException as refused:
            cause = refused.__cause__
            if isinstance(cause, InvalidOperationTypeError) and cause.operation_type is OperationType.SUBSCRIPTION:
                return JSONResponse({"errors": [{"message": SUBSCRIPTIONS_OVER_HTTP,
                                                 "extensions": {"code": "INVALID_INPUT"}}]}, status_code=400)
            raise

    async def get_context(self, request: Any, response: Any) -> Context:
        state = request.scope.get("state", {})
        # A websocket has no actor until its connection_init payload carries a token.
        return Context(hub=self.hub, actor=state.get("actor", NOBODY), request_id=state.get("request_id", "-"),
                       request=request, response=response)

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        params = context.connection_params or {}
        raw = str(params.get("Authorization") or params.get("authorization") or params.get("token") or "")
        token = raw.split(" ", 1)[1] if raw.lower().startswith("bearer ") else raw
        try:
            context.authenticate(await self.hub.verifier.verify(token.strip()))
        except InvalidToken as exc:
            raise ConnectionRejectionError({"message": str(exc)}) from exc
        return UNSET


def create_app(settings: Settings, hub: Hub | None = None, *, console_demo: bool = False) -> Starlette:
    """The hub's ASGI app; a ready ``hub`` may be passed in (tests), else it starts with the app.

    ``console_demo`` adds the console's demo sign-in; only ``slrt-hub demo`` asks for it, and it
    is refused outside a debug, development hub with the built-in issuer."""
    holder: dict[str, Hub] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        own = hub is None
        if own:
            holder["hub"] = await Hub.start(settings)
            graphql.start(holder["hub"])
            heap.settle_after_startup()  # a serving process, not a test's app around its own hub
        worker = EmbeddedWorker(holder["hub"].engine, settings).start() if own and settings.delivery_embedded else None
        scanner = (EscalationScanner(holder["hub"].escalations, settings.escalation_interval_seconds).start()
                   if own and settings.escalation_interval_seconds > 0 else None)
        try:
            yield
        finally:
            if scanner is not None:
                await scanner.stop()
            if worker is not None:
                await worker.stop()
            if own:
                await holder["hub"].close()
            multiprocess.process_exiting()
            tracing.flush()

    allowance = CallerAllowance(settings.rate_limit)
    graphql = _LazyGraphQL(allowance)
    if hub is not None:
        holder["hub"] = hub
        graphql.start(hub)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        ok, detail = await migrations_current(holder["hub"].engine)
        return JSONResponse({"status": "ready" if ok else "not ready", "detail": detail}, status_code=200 if ok else 503)

    async def metrics(_: Request) -> Response:
        try:
            await outbox_gauges.refresh(holder["hub"].sessions)
        except Exception:  # noqa: BLE001 - the other metrics still answer; /readyz reports the database
            pass
        body, content_type = exposition()
        return Response(body, media_type=content_type)

    async def jwks(_: Request) -> Response:
        return JSONResponse(holder["hub"].keys.jwks(), headers={"cache-control": "public, max-age=300"})

    async def token(request: Request) -> Response:
        the_hub = holder["hub"]
        return await TokenEndpoint(the_hub.clients, the_hub.issuer)(request)

    async def oauth_metadata(_: Request) -> Response:
        return JSONResponse(metadata(settings.issuer, settings.public_url),
                            headers={"cache-control": "public, max-age=300"})

    # With an external identity provider the hub issues no tokens of its own.
    issuer_routes = [] if settings.oauth_jwks_url else [
        Route("/oauth/token", token, methods=["POST"]),
        Route("/.well-known/oauth-authorization-server", oauth_metadata),
    ]

    console = ConsoleSite(settings, demo_sign_in=console_demo)
    demo_sign_in = demo_routes(settings, lambda: (holder["hub"].issuer, holder["hub"].areas,
                                                  holder["hub"].referral_reader)) if console_demo else []

    app = Starlette(
        routes=[
            *demo_sign_in,
            *console.routes(),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics),
            Route("/oauth/jwks.json", jwks),
            *issuer_routes,
            *([graphiql.assets_route()] if settings.debug else []),
        ],
        lifespan=lifespan,
        middleware=[*tracing.asgi_middleware(),  # outermost: the request's span holds all the rest
                    Middleware(RequestLog), Middleware(BodyLimit, max_bytes=settings.max_request_bytes),
                    Middleware(SafeGetQueries),
                    Middleware(_Auth, holder=holder, debug=settings.debug),
                    Middleware(RateLimit, allowance=allowance, token_limit=settings.token_rate_limit)],
    )
    return app


class _LazyGraphQL:
    """The GraphQL endpoint, built once the hub has started (the schema needs its settings)."""

    def __init__(self, allowance: CallerAllowance) -> None:
        self._app: HubGraphQL | None = None
        self._allowance = allowance

    def start(self, hub: Hub) -> None:
        self._app = HubGraphQL(hub, self._allowance)

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


def app_from_environment() -> Starlette:
    """For uvicorn's ``factory`` mode, which several worker processes need: settings from SLRT_*.

    Each worker is a fresh interpreter (spawned), so it sets up the JSON log lines itself.
    """
    from hub.observability.logs import configure_logging

    configure_logging()
    tracing.configure_from_environment("slrt-hub")
    return create_app(Settings())

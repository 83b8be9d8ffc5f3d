"""Real HTTP listeners on 127.0.0.1 for the tracing tests: servers that note the ``traceparent``
they receive, and an OTLP/HTTP trace receiver decoding what an exporter sends."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.trace.v1.trace_pb2 import Span


@dataclass
class Heard:
    """Requests an aiohttp app received: path and traceparent header."""

    requests: list[tuple[str, str | None]] = field(default_factory=list)

    @web.middleware
    async def middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        self.requests.append((request.path, request.headers.get("traceparent")))
        return await handler(request)


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}"


@dataclass
class ExportedSpan:
    service: str
    scope: str
    span: Span


@dataclass
class OtlpReceiver:
    """``POST /v1/traces`` as an OpenTelemetry Collector takes it (protobuf), every span kept."""

    spans: list[ExportedSpan] = field(default_factory=list)
    content_types: set[str] = field(default_factory=set)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v1/traces", self._traces)
        return app

    async def _traces(self, request: web.Request) -> web.Response:
        self.content_types.add(request.content_type)
        export = ExportTraceServiceRequest()
        export.ParseFromString(await request.read())
        for resource_spans in export.resource_spans:
            attributes = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
            for scope_spans in resource_spans.scope_spans:
                self.spans += [ExportedSpan(attributes.get("service.name", ""), scope_spans.scope.name, s)
                               for s in scope_spans.spans]
        return web.Response(body=b"", content_type="application/x-protobuf")

    def named(self, name: str) -> list[ExportedSpan]:
        return [s for s in self.spans if s.span.name == name]

"""Which OTEL_* settings turn tracing on: only an exporter endpoint or an explicit exporter;
the SDK's own off switches win."""

from __future__ import annotations

import pytest

from hub.observability.tracing import wanted

ENDPOINT = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}


@pytest.mark.parametrize(("env", "on"), [
    ({}, False),
    ({"OTEL_SERVICE_NAME": "slrt-hub", "OTEL_TRACES_SAMPLER": "always_on"}, False),  # no exporter named
    (ENDPOINT, True),
    ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, True),
    ({"OTEL_TRACES_EXPORTER": "console"}, True),
    ({**ENDPOINT, "OTEL_SDK_DISABLED": "true"}, False),
    ({**ENDPOINT, "OTEL_SDK_DISABLED": "TRUE"}, False),
    ({**ENDPOINT, "OTEL_TRACES_EXPORTER": "none"}, False),
    ({"OTEL_EXPORTER_OTLP_ENDPOINT": ""}, False),  # compose: set empty to turn it off
])
def test_tracing_is_on_only_when_an_exporter_is_named(env: dict[str, str], on: bool) -> None:
    assert wanted(env) is on

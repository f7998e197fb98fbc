"""With ``CPL_TRACING`` each request makes an OpenTelemetry span (the ``tracing`` extra)."""

from __future__ import annotations

import pytest

pytest.importorskip("opentelemetry.sdk")

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter


@pytest.fixture(scope="module")
def spans() -> InMemorySpanExporter:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    return exporter


async def test_a_request_makes_a_span(client_for, make_settings, spans) -> None:
    api = await client_for(make_settings(tracing=True))
    spans.clear()
    assert (await api.get("/health/live")).status_code == 200
    names = [span.name for span in spans.get_finished_spans()]
    assert any("/health/live" in name for name in names), names


async def test_no_spans_unless_asked(client_for, make_settings, spans) -> None:
    api = await client_for(make_settings())
    spans.clear()
    assert (await api.get("/health/live")).status_code == 200
    assert spans.get_finished_spans() == ()

"""Helpers for the dashboard tests: real OpenTelemetry SDK providers exporting OTLP/HTTP to a served
dashboard, a scripted voice turn across three services, the store's metrics, and OTLP JSON by hand."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.metrics import Counter, Histogram, MeterProvider, UpDownCounter
from opentelemetry.sdk.metrics.export import AggregationTemporality, PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import SpanKind, Status, StatusCode

MS = 1_000_000
DELTA = {
    Counter: AggregationTemporality.DELTA,
    Histogram: AggregationTemporality.DELTA,
    UpDownCounter: AggregationTemporality.DELTA,
}


@dataclass
class Providers:
    tracers: TracerProvider
    meters: MeterProvider

    def flush(self) -> None:
        self.tracers.force_flush()
        self.meters.force_flush()


@contextmanager
def exporting(url: str, service: str, *, delta: bool = False) -> Iterator[Providers]:
    """Tracer and meter providers of one service, exporting protobuf OTLP/HTTP to the dashboard at `url`."""
    resource = Resource.create({"service.name": service})
    tracers = TracerProvider(resource=resource)
    tracers.add_span_processor(SimpleSpanProcessor(OTLPSpanExporter(endpoint=f"{url}/v1/traces", timeout=5)))
    exporter = OTLPMetricExporter(
        endpoint=f"{url}/v1/metrics", timeout=5, preferred_temporality=DELTA if delta else None
    )
    reader = PeriodicExportingMetricReader(exporter, export_interval_millis=math.inf)
    meters = MeterProvider(resource=resource, metric_readers=[reader])
    try:
        yield Providers(tracers, meters)
    finally:
        meters.shutdown()
        tracers.shutdown()


@dataclass
class Served:
    app: FastAPI
    url: str

    def get(self, path: str, **params: object) -> dict[str, object]:
        response = httpx.get(f"{self.url}{path}", params=params, timeout=10)  # type: ignore[arg-type]
        response.raise_for_status()
        body: dict[str, object] = response.json()
        return body


def voice_turn(url: str, *, error: bool = False) -> str:
    """A customer's voice turn as three services export it; returns its trace id (hex)."""
    t0 = time.time_ns()
    with (
        exporting(url, "store_realtime") as store,
        exporting(url, "products_service") as products,
        exporting(url, "azure-openai-emulator") as emulator,
    ):
        st = store.tracers.get_tracer("store_realtime")
        pt = products.tracers.get_tracer("products_service")
        et = emulator.tracers.get_tracer("emulator")

        ends: list[tuple[Any, float]] = []

        def span(tracer: Any, name: str, parent: Any, start_ms: float, end_ms: float, **kw: Any) -> Any:
            context = trace.set_span_in_context(parent) if parent is not None else None
            started = tracer.start_span(name, context=context, start_time=t0 + int(start_ms * MS), **kw)
            ends.append((started, end_ms))
            return started

        turn = span(st, "voice turn", None, 0, 620, attributes={"session.id": "s-1", "turn": 1})
        tool = span(st, "tool search_products", turn, 40, 160, attributes={"tool": "search_products"})
        call = span(
            st, "GET", tool, 45, 150, kind=SpanKind.CLIENT, attributes={"http.url": "http://p/api/search"}
        )
        server = span(
            pt,
            "GET /api/products/search",
            call,
            50,
            145,
            kind=SpanKind.SERVER,
            attributes={"http.route": "/api/products/search", "http.status_code": 500 if error else 200},
        )
        embed = span(pt, "embeddings text-embedding-ada-002", server, 55, 80, kind=SpanKind.CLIENT)
        span(et, "POST /openai/deployments/{deployment}/embeddings", embed, 57, 78, kind=SpanKind.SERVER)
        span(pt, "SELECT products", server, 85, 120, kind=SpanKind.CLIENT, attributes={"db.system": "sqlite"})
        if error:
            server.set_status(Status(StatusCode.ERROR, "upstream unavailable"))
        turn.add_event("first audio", timestamp=t0 + 380 * MS)
        for started, end_ms in reversed(ends):
            started.end(end_time=t0 + int(end_ms * MS))
        for providers in (store, products, emulator):
            providers.flush()
        return format(turn.get_span_context().trace_id, "032x")


def store_metrics(providers: Providers, *, scale: int = 1) -> None:
    """What store_realtime records for a few sessions and turns (known values)."""
    meter = providers.meters.get_meter("store_realtime")
    first_audio = meter.create_histogram("store.turn.first_audio", unit="ms")
    played = meter.create_histogram("store.turn.first_audio_played", unit="ms")
    tool = meter.create_histogram("store.tool.duration", unit="ms")
    tokens = meter.create_counter("store.tokens", unit="{token}")
    cost = meter.create_counter("store.cost", unit="{currency}")
    active = meter.create_up_down_counter("store.sessions.active")
    started = meter.create_counter("store.sessions.started")
    for value in range(10, 101, 10):
        first_audio.record(value * scale)
        played.record(value * scale + 20)
    for value in (30, 40, 50, 60):
        tool.record(value, {"tool": "search_products", "ok": True})
    tool.record(400, {"tool": "product_details", "ok": False})
    tokens.add(1200, {"direction": "input"})
    tokens.add(300, {"direction": "output"})
    cost.add(0.03, {"currency": "USD"})
    started.add(3)
    active.add(3)
    active.add(-1)


def http_requests(providers: Providers, *, stable: bool) -> None:
    """FastAPI instrumentation's request histogram, in either HTTP semantic-convention version."""
    meter = providers.meters.get_meter("opentelemetry.instrumentation.fastapi")
    if stable:
        histogram = meter.create_histogram(
            "http.server.request.duration",
            unit="s",
            explicit_bucket_boundaries_advisory=[
                0.005,
                0.01,
                0.025,
                0.05,
                0.075,
                0.1,
                0.25,
                0.5,
                0.75,
                1,
                2.5,
            ],
        )
        for value, status in ((0.010, 200), (0.020, 200), (0.030, 200), (0.900, 503)):
            attributes = {"http.route": "/api/products", "http.request.method": "GET"}
            histogram.record(value, {**attributes, "http.response.status_code": status})
    else:
        histogram = meter.create_histogram("http.server.duration", unit="ms")
        for value, status in ((5, 200), (15, 200), (25, 404), (35, 200)):
            attributes = {
                "http.target": "/realtime/session",
                "http.method": "POST",
                "http.status_code": status,
            }
            histogram.record(value, attributes)


def otlp_json_span(trace_id: str, span_id: str, name: str, service: str, **extra: Any) -> dict[str, Any]:
    """An ExportTraceServiceRequest in OTLP JSON with one span (hex ids, int values as strings)."""
    now = time.time_ns()
    span = {
        "traceId": trace_id,
        "spanId": span_id,
        "name": name,
        "kind": 2,
        "startTimeUnixNano": str(now),
        "endTimeUnixNano": str(now + 25 * MS),
        "attributes": [
            {"key": "http.status_code", "value": {"intValue": "200"}},
            {"key": "ratio", "value": {"doubleValue": 0.5}},
            {"key": "tags", "value": {"arrayValue": {"values": [{"stringValue": "a"}, {"boolValue": True}]}}},
            {"key": "raw", "value": {"bytesValue": "AAE="}},
            {
                "key": "nested",
                "value": {"kvlistValue": {"values": [{"key": "k", "value": {"intValue": "7"}}]}},
            },
            {"key": "empty", "value": {}},
        ],
        "status": {"code": 1},
        **extra,
    }
    return {
        "resourceSpans": [
            {
                "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": service}}]},
                "scopeSpans": [{"scope": {"name": "handmade"}, "spans": [span]}],
            }
        ]
    }

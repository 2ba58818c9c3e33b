"""Real OTLP from the OpenTelemetry SDK's own exporters (protobuf over HTTP) into a served dashboard."""

from __future__ import annotations

from typing import Any

import pytest

from tests.orchestrator.dashboard.dashboard_support import (
    Served,
    exporting,
    http_requests,
    store_metrics,
    voice_turn,
)


def test_a_trace_across_services_keeps_parents_and_offsets(served: Served) -> None:
    with exporting(served.url, "service A") as a, exporting(served.url, "service B") as b:
        with (
            a.tracers.get_tracer("a").start_as_current_span("checkout") as parent,
            b.tracers.get_tracer("b").start_as_current_span("reserve stock") as child,
        ):
            pass
        a.flush()
        b.flush()
    trace_id = format(parent.get_span_context().trace_id, "032x")

    listed = served.get("/api/traces")
    assert [t["trace_id"] for t in listed["traces"]] == [trace_id]  # type: ignore[index]
    summary = listed["traces"][0]  # type: ignore[index]
    assert summary["services"] == ["service A", "service B"]
    assert summary["root"] == "checkout" and summary["span_count"] == 2 and not summary["error"]

    detail = served.get(f"/api/traces/{trace_id}")
    spans: dict[str, Any] = {s["name"]: s for s in detail["spans"]}  # type: ignore[attr-defined]
    assert spans["checkout"]["parent_id"] is None and spans["checkout"]["service"] == "service A"
    assert spans["reserve stock"]["parent_id"] == format(parent.get_span_context().span_id, "016x")
    assert spans["reserve stock"]["service"] == "service B"
    assert spans["reserve stock"]["depth"] == 1
    assert spans["checkout"]["start_ms"] == 0.0
    assert (
        0.0 <= spans["reserve stock"]["start_ms"] <= spans["reserve stock"]["end_ms"] <= detail["duration_ms"]
    )
    assert child.get_span_context().trace_id == parent.get_span_context().trace_id


def test_a_voice_turn_is_one_trace_of_three_services(served: Served) -> None:
    trace_id = voice_turn(served.url, error=True)
    detail = served.get(f"/api/traces/{trace_id}")
    assert detail["services"] == ["azure-openai-emulator", "products_service", "store_realtime"]
    assert detail["span_count"] == 7 and detail["error"] is True
    assert detail["duration_ms"] == pytest.approx(620, abs=0.01)
    spans = {s["name"]: s for s in detail["spans"]}  # type: ignore[attr-defined]
    search = spans["GET /api/products/search"]
    assert (search["start_ms"], search["end_ms"], search["kind"]) == (50.0, 145.0, "server")
    assert search["status"] == {"code": "error", "message": "upstream unavailable"}
    assert search["attributes"]["http.status_code"] == 500
    assert spans["POST /openai/deployments/{deployment}/embeddings"]["depth"] == 5
    assert spans["voice turn"]["events"] == [{"name": "first audio", "offset_ms": 380.0, "attributes": {}}]
    assert served.get("/api/traces", service="azure-openai-emulator")["count"] == 1
    assert served.get("/api/traces", service="nobody")["traces"] == []


@pytest.mark.parametrize("delta", [False, True], ids=["cumulative", "delta"])
def test_store_metrics_become_percentiles_counts_and_totals(served: Served, delta: bool) -> None:
    with exporting(served.url, "store_realtime", delta=delta) as store:
        store_metrics(store)
        store.flush()
        store.flush()  # a second export of the same (cumulative) totals must not count twice
        store_metrics(store)
        store.flush()
    m: dict[str, Any] = served.get("/api/metrics/summary")

    first = m["first_audio"]  # 10, 20, …, 100 ms twice; SDK buckets 0,5,10,25,50,75,100,250…
    assert first["count"] == 20 and first["mean_ms"] == pytest.approx(55)
    assert first["p50_ms"] == pytest.approx(50, abs=5)  # true median 55; bucket (25, 50] interpolated
    assert first["p95_ms"] == pytest.approx(95.8, abs=1)  # true p95 100; in bucket (75, 100]
    assert m["first_audio_played"]["p50_ms"] == pytest.approx(75, abs=10)

    tools = {t["tool"]: t for t in m["tools"]}
    assert tools["search_products"]["count"] == 8 and tools["search_products"]["failures"] == 0
    assert 25 <= tools["search_products"]["p50_ms"] <= 50
    assert tools["product_details"]["failures"] == 2 and tools["product_details"]["p95_ms"] == 400

    assert m["tokens"]["total"] == 3000 and m["tokens"]["by_direction"] == {"input": 2400, "output": 600}
    assert m["tokens"]["per_session"] == 500 and m["tokens"]["per_session_source"] == "store.sessions.started"
    assert m["cost"]["total"] == pytest.approx(0.06) and m["cost"]["currency"] == "USD"
    assert m["cost"]["per_session"] == pytest.approx(0.01)
    assert m["sessions"] == {**m["sessions"], "active": 4, "started": 6}
    assert any(v == 4 for _, v in m["sessions"]["series"][0]["points"])


def test_http_metrics_in_both_semantic_convention_versions(served: Served) -> None:
    with (
        exporting(served.url, "products_service") as products,
        exporting(served.url, "store_realtime") as store,
    ):
        http_requests(products, stable=True)
        http_requests(store, stable=False)
        products.flush()
        store.flush()
    routes = {
        (r["service"], r["method"], r["route"]): r
        for r in served.get("/api/metrics/summary")["http"]["routes"]
    }

    stable = routes[("products_service", "GET", "/api/products")]  # seconds, converted to ms
    assert stable["requests"] == 4 and stable["errors"] == 1 and stable["error_rate"] == 0.25
    assert stable["requests_per_s"] == pytest.approx(4 / 60)
    assert 10 <= stable["p50_ms"] <= 30 and stable["p95_ms"] > 500
    old = routes[("store_realtime", "POST", "/realtime/session")]  # ms; a 404 is not an error
    assert old["requests"] == 4 and old["errors"] == 0
    assert 10 <= old["p50_ms"] <= 25


def test_fastapi_instrumentation_shows_per_route(served: Served) -> None:
    """What the services' own instrumentation exports (metric names, route attributes), end to end."""
    from fastapi import FastAPI, HTTPException
    from fastapi.testclient import TestClient
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    app = FastAPI()

    @app.get("/api/products/{product_id}")
    async def product(product_id: int) -> dict[str, int]:
        if product_id == 0:
            raise HTTPException(503, "down")
        return {"id": product_id}

    with exporting(served.url, "products_service") as products:
        FastAPIInstrumentor.instrument_app(
            app, tracer_provider=products.tracers, meter_provider=products.meters
        )
        with TestClient(app) as client:
            for product_id in (1, 2, 3, 0):
                client.get(f"/api/products/{product_id}")
        products.flush()
    rows = served.get("/api/metrics/summary")["http"]["routes"]  # type: ignore[index]
    assert [(r["service"], r["method"], r["route"], r["requests"], r["errors"]) for r in rows] == [
        ("products_service", "GET", "/api/products/{product_id}", 4, 1)
    ]
    traces = served.get("/api/traces", service="products_service")["traces"]  # type: ignore[index]
    assert len(traces) == 4 and sum(t["error"] for t in traces) == 1


def test_log_records_from_the_sdk_keep_their_trace(served: Served) -> None:
    import logging

    from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
    from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
    from opentelemetry.sdk._logs.export import SimpleLogRecordProcessor
    from opentelemetry.sdk.resources import Resource

    provider = LoggerProvider(resource=Resource.create({"service.name": "store_realtime"}))
    provider.add_log_record_processor(
        SimpleLogRecordProcessor(OTLPLogExporter(endpoint=f"{served.url}/v1/logs"))
    )
    logger = logging.getLogger("test.dashboard.logs")
    logger.propagate = False
    logger.addHandler(LoggingHandler(logger_provider=provider))
    try:
        with exporting(served.url, "store_realtime") as store:
            with store.tracers.get_tracer("t").start_as_current_span("voice turn") as span:
                logger.warning("upstream reconnect %d", 2)
            trace_id = format(span.get_span_context().trace_id, "032x")
    finally:
        provider.shutdown()
        logger.handlers.clear()
    [record] = served.get("/api/logs", service="store_realtime")["logs"]  # type: ignore[index]
    assert record["body"] == "upstream reconnect 2" and record["severity"] == "WARN"
    assert record["trace_id"] == trace_id
    assert served.get("/api/logs", trace_id=trace_id)["logs"] == [record]

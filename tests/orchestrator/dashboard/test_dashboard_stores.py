"""The bounded stores and the arithmetic behind the metrics views."""

from __future__ import annotations

import json
import time

import pytest
from fastapi.testclient import TestClient

from orchestrator.dashboard import DashboardSettings, create_app
from orchestrator.dashboard.histogram import HistogramAgg, percentile
from orchestrator.dashboard.logstore import LogStore
from orchestrator.dashboard.metricstore import MetricStore
from orchestrator.dashboard.records import (
    GaugeData,
    HistogramData,
    LogRecord,
    MetricPoint,
    SpanRecord,
    SumData,
)
from orchestrator.dashboard.summary import summary
from orchestrator.dashboard.traces import TraceStore
from tests.orchestrator.dashboard.dashboard_support import otlp_json_span

NS = 1_000_000_000
NOW = 1_800_000_000.0


def _span(trace: int, span: int, parent: int | None = None) -> SpanRecord:
    return SpanRecord(
        trace_id=f"{trace:032x}",
        span_id=f"{span:016x}",
        parent_id=None if parent is None else f"{parent:016x}",
        name=f"span {span}",
        kind="internal",
        service="svc",
        scope="",
        start_ns=trace * NS + span,
        end_ns=trace * NS + span + 10,
        attributes={},
    )


def test_the_oldest_traces_go_when_more_arrive_than_the_cap() -> None:
    app = create_app(settings=DashboardSettings(max_traces=100))
    with TestClient(app) as client:
        ids = [f"{i + 1:032x}" for i in range(150)]
        for trace_id in ids:
            body = json.dumps(otlp_json_span(trace_id, "00f067aa0ba902b7", "op", "svc"))
            assert client.post(
                "/v1/traces", content=body, headers={"Content-Type": "application/json"}
            ).is_success
        listed = client.get("/api/traces", params={"limit": 5000}).json()
        assert listed["count"] == 100 and len(listed["traces"]) == 100 and listed["span_count"] == 100
        assert {t["trace_id"] for t in listed["traces"]} == set(ids[50:])
        assert client.get(f"/api/traces/{ids[0]}").status_code == 404
        assert client.get(f"/api/traces/{ids[-1]}").status_code == 200
        assert client.get("/api/stats").json()["traces"] == 100


def test_the_span_caps_hold_in_all_and_per_trace() -> None:
    store = TraceStore(max_traces=100, max_spans=10, max_spans_per_trace=4)
    for trace in range(1, 6):
        store.add_all(_span(trace, s, s - 1 if s > 1 else None) for s in range(1, 4))
    assert store.span_count == 9 and len(store) == 3
    assert [t["trace_id"] for t in store.summaries()] == [f"{t:032x}" for t in (5, 4, 3)]
    store.add_all(_span(5, s, 1) for s in range(10, 20))
    assert store.detail(f"{5:032x}")["span_count"] == 4  # type: ignore[index]
    assert store.dropped_spans == 9 and store.span_count <= 10


def test_depths_survive_missing_parents_and_cycles() -> None:
    store = TraceStore()
    store.add_all(
        [_span(1, 1), _span(1, 2, 1), _span(1, 3, 2), _span(1, 4, 99), _span(1, 5, 6), _span(1, 6, 5)]
    )
    depths = {s["span_id"][-1]: s["depth"] for s in store.detail(f"{1:032x}")["spans"]}  # type: ignore[index]
    assert depths["1"] == 0 and depths["2"] == 1 and depths["3"] == 2 and depths["4"] == 0
    assert {depths["5"], depths["6"]} == {0, 1}
    assert store.summaries()[0]["root"] == "span 1"


def test_logs_are_a_ring_buffer() -> None:
    logs = LogStore(max_logs=5)
    logs.add_all(LogRecord(i * NS, "svc", "INFO", 9, f"line {i}", {}) for i in range(12))
    assert len(logs) == 5
    assert [r["body"] for r in logs.recent()] == [f"line {i}" for i in range(11, 6, -1)]


def test_percentiles_interpolate_inside_buckets() -> None:
    hist = HistogramAgg((10.0, 20.0, 30.0), [0, 10, 10, 0], count=20)
    assert percentile(hist, 0.5) == pytest.approx(20.0)
    assert percentile(hist, 0.25) == pytest.approx(15.0)
    assert percentile(hist, 0.95) == pytest.approx(29.0)
    assert percentile(HistogramAgg((10.0,), [0, 4], count=4, min=12.0, max=18.0), 0.5) == pytest.approx(15.0)
    assert percentile(HistogramAgg((10.0,), [0, 0]), 0.5) is None


def test_merging_with_a_histogram_without_min_and_max_does_not_clamp() -> None:
    known = HistogramAgg((100.0, 1000.0), [10, 0, 0], sum=500.0, count=10, min=10.0, max=100.0)
    unknown = HistogramAgg((100.0, 1000.0), [0, 30, 0], sum=18000.0, count=30)
    known.add(unknown)
    assert (known.min, known.max) == (None, None)
    assert percentile(known, 0.5) == pytest.approx(100 + 900 * 10 / 30)


def _point(value: float | HistogramData | None, *, name: str = "c", t: float = NOW, start: int = 1,
           attrs: tuple[tuple[str, object], ...] = (), gauge: bool = False) -> MetricPoint:  # fmt: skip
    data = (
        value
        if isinstance(value, HistogramData)
        else GaugeData(float(value or 0))
        if gauge
        else SumData(float(value or 0), monotonic=True, cumulative=True)
    )
    return MetricPoint("svc", name, "ms", attrs, start, int(t * NS), data)  # type: ignore[arg-type]


def test_cumulative_counters_and_histograms_restart() -> None:
    store = MetricStore()
    for value, start in ((100, 1), (150, 1), (150, 1), (20, 2)):
        store.add(_point(value, start=start), NOW)
    assert store.series("c")[0].total == 170

    def hist(counts: tuple[int, ...]) -> HistogramData:
        return HistogramData((10.0,), counts, sum=sum(counts) * 5.0, count=sum(counts), cumulative=True)

    for counts, start in (((2, 0), 1), ((3, 1), 1), ((1, 0), 2)):
        store.add(_point(hist(counts), name="h", start=start), NOW)
    total = store.series("h")[0].total_hist
    assert total is not None and total.count == 5 and total.counts == [4, 1]


def test_old_points_and_slots_fall_out_and_series_are_capped() -> None:
    store = MetricStore(max_series=3, resolution_s=10, retention_s=60)
    store.add(_point(5, t=NOW - 120), NOW)
    assert len(store) == 0
    store.add(_point(5, t=NOW - 50, start=1), NOW)
    store.add(_point(8, t=NOW, start=1), NOW + 30)
    assert list(store.series("c")[0].slots) == [store.slot_of(NOW)]
    for i in range(5):
        store.add(_point(1, attrs=(("i", i),)), NOW)
    assert len(store) == 3


def test_stale_gauge_series_and_per_session_from_session_histograms() -> None:
    store = MetricStore()
    store.add(
        _point(0, name="products.index.size", gauge=True, attrs=(("index.kind", "none"),), t=NOW - 60), NOW
    )
    store.add(_point(40, name="products.index.size", gauge=True, attrs=(("index.kind", "flat"),)), NOW)
    cost = HistogramData((0.01, 0.1), (1, 1, 0), sum=0.06, count=2, cumulative=True)
    store.add(_point(cost, name="store.session.cost"), NOW)
    store.add(_point(0.06, name="store.cost", attrs=(("currency", "USD"),)), NOW)
    view = summary(store, NOW)
    assert view["index"]["size"] == 40 and view["index"]["by_kind"] == {"none": 0, "flat": 40}
    assert view["cost"]["per_session"] == pytest.approx(0.03)
    assert view["cost"]["per_session_source"] == "store.session.cost"
    assert view["tokens"]["per_session"] is None and view["sessions"]["active"] is None


def test_summary_of_nothing_is_well_formed() -> None:
    view = summary(MetricStore(), time.time())
    assert view["http"]["routes"] == [] and view["first_audio"]["p50_ms"] is None
    assert len(view["sessions"]["series"][0]["points"]) == 90 and view["window_s"] == 300

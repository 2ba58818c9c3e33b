"""A metric history built by hand (the SDK cannot backdate points), so the dashboard's charts have a
past to draw in the browser test."""

from __future__ import annotations

import bisect
import random
import time
from typing import Any

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.metrics.v1.metrics_pb2 import AGGREGATION_TEMPORALITY_DELTA

BOUNDS = (
    0.0,
    5.0,
    10.0,
    25.0,
    50.0,
    75.0,
    100.0,
    250.0,
    500.0,
    750.0,
    1000.0,
    2500.0,
    5000.0,
    7500.0,
    10000.0,
)


def history(minutes: int = 12, *, seed: int = 7) -> bytes:
    """An ExportMetricsServiceRequest (protobuf) with a point every 10 s over the last minutes."""
    rng = random.Random(seed)
    request = ExportMetricsServiceRequest()
    now = time.time_ns()
    times = [now - (minutes * 60 - i * 10) * 1_000_000_000 for i in range(minutes * 6)]

    def metrics_of(service: str) -> Any:
        resource = request.resource_metrics.add()
        resource.resource.attributes.add(key="service.name").value.string_value = service
        return resource.scope_metrics.add().metrics

    def histogram(metrics: Any, name: str, unit: str, attrs: dict[str, Any], draw: Any) -> None:
        metric = metrics.add(name=name, unit=unit)
        metric.histogram.aggregation_temporality = AGGREGATION_TEMPORALITY_DELTA
        for t in times:
            values = draw()
            point = metric.histogram.data_points.add(
                start_time_unix_nano=t - 10 * 1_000_000_000, time_unix_nano=t
            )
            point.explicit_bounds.extend(BOUNDS)
            counts = [0] * (len(BOUNDS) + 1)
            for v in values:
                counts[bisect.bisect_left(BOUNDS, v)] += 1
            point.bucket_counts.extend(counts)
            point.count, point.sum = len(values), float(sum(values))
            for key, value in attrs.items():
                item = point.attributes.add(key=key)
                if isinstance(value, int):
                    item.value.int_value = value
                else:
                    item.value.string_value = value

    store, products = metrics_of("store_realtime"), metrics_of("products_service")
    route = {"http.method": "GET", "http.target": "/api/products/search", "http.status_code": 200}
    histogram(
        products,
        "http.server.duration",
        "ms",
        route,
        lambda: [rng.gauss(35, 10) for _ in range(rng.randint(3, 12))],
    )
    histogram(
        products,
        "http.server.duration",
        "ms",
        {**route, "http.status_code": 503},
        lambda: [900.0] * rng.randint(0, 1),
    )
    histogram(
        store,
        "http.server.duration",
        "ms",
        {"http.method": "GET", "http.target": "/", "http.status_code": 200},
        lambda: [rng.uniform(1, 4) for _ in range(rng.randint(0, 3))],
    )
    histogram(
        store,
        "store.turn.first_audio",
        "ms",
        {},
        lambda: [rng.gauss(620, 90) for _ in range(rng.randint(0, 4))],
    )
    histogram(
        store,
        "store.tool.duration",
        "ms",
        {"tool": "recommend", "ok": "true"},
        lambda: [rng.gauss(180, 30) for _ in range(rng.randint(0, 2))],
    )
    active = store.add(name="store.sessions.active")
    active.sum.aggregation_temporality, active.sum.is_monotonic = 2, False  # cumulative up-down counter
    level = 0
    for t in times:
        level = max(0, level + rng.choice((-1, 0, 0, 1, 1)))
        active.sum.data_points.add(start_time_unix_nano=times[0], time_unix_nano=t, as_int=level)
    return bytes(request.SerializeToString())

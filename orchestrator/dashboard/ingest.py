"""Export*ServiceRequest messages into the dashboard's records (see records.py).

Every field is read defensively: an odd value becomes None or a string, never an exception.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any, Final

from orchestrator.dashboard.records import (
    GaugeData,
    HistogramData,
    LogRecord,
    MetricPoint,
    SpanEvent,
    SpanRecord,
    SumData,
)
from orchestrator.dashboard.values import Limits, any_value, attributes, scalar, service_of

__all__ = ["log_records", "metric_points", "span_records"]

_log = logging.getLogger(__name__)

_KINDS: Final = ("unspecified", "internal", "server", "client", "producer", "consumer")
_STATUS: Final = ("unset", "ok", "error")
_CUMULATIVE: Final = 2  # AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE
_MAX_EVENTS: Final = 128


def _hex(raw: bytes) -> str | None:
    return bytes(raw).hex() if raw and any(raw) else None


def _resources(batches: Any, scopes_field: str, limits: Limits) -> Iterator[tuple[str, str, Any]]:
    """(service name, scope name, scoped container) for each scope of each resource."""
    for batch in batches:
        service = service_of(attributes(batch.resource.attributes, limits))
        for scoped in getattr(batch, scopes_field):
            yield service, str(scoped.scope.name), scoped


def span_records(request: Any, limits: Limits) -> Iterator[SpanRecord]:
    for service, scope, scoped in _resources(request.resource_spans, "scope_spans", limits):
        for span in scoped.spans:
            trace_id, span_id = _hex(span.trace_id), _hex(span.span_id)
            if trace_id is None or span_id is None:
                continue
            start = int(span.start_time_unix_nano)
            events = tuple(
                SpanEvent(str(e.name), int(e.time_unix_nano) or start, attributes(e.attributes, limits))
                for e in list(span.events)[:_MAX_EVENTS]
            )
            code = int(span.status.code)
            yield SpanRecord(
                trace_id=trace_id,
                span_id=span_id,
                parent_id=_hex(span.parent_span_id),
                name=str(span.name),
                kind=_KINDS[span.kind] if 0 <= span.kind < len(_KINDS) else "unspecified",
                service=service,
                scope=scope,
                start_ns=start,
                end_ns=max(int(span.end_time_unix_nano), start),
                attributes=attributes(span.attributes, limits),
                status=_STATUS[code] if 0 <= code < len(_STATUS) else "unset",
                status_message=str(span.status.message)[: limits.max_value_chars],
                events=events,
                links=len(span.links),
            )


def log_records(request: Any, limits: Limits) -> Iterator[LogRecord]:
    for service, scope, scoped in _resources(request.resource_logs, "scope_logs", limits):
        for record in scoped.log_records:
            yield LogRecord(
                time_ns=int(record.time_unix_nano) or int(record.observed_time_unix_nano),
                service=service,
                severity=str(record.severity_text),
                severity_number=int(record.severity_number),
                body=any_value(record.body, limits),
                attributes=attributes(record.attributes, limits),
                trace_id=_hex(record.trace_id),
                span_id=_hex(record.span_id),
                scope=scope,
            )


def _number(point: Any) -> float:
    return float(point.as_int) if point.WhichOneof("value") == "as_int" else float(point.as_double)


def _key(point: Any, limits: Limits) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, scalar(v)) for k, v in attributes(point.attributes, limits).items()))


def _data_points(metric: Any) -> Iterator[tuple[Any, SumData | GaugeData | HistogramData]]:
    kind = metric.WhichOneof("data")
    if kind == "sum":
        cumulative = metric.sum.aggregation_temporality == _CUMULATIVE
        for p in metric.sum.data_points:
            yield p, SumData(_number(p), bool(metric.sum.is_monotonic), cumulative)
    elif kind == "gauge":
        for p in metric.gauge.data_points:
            yield p, GaugeData(_number(p))
    elif kind == "histogram":
        cumulative = metric.histogram.aggregation_temporality == _CUMULATIVE
        for p in metric.histogram.data_points:
            bounds = tuple(float(b) for b in p.explicit_bounds)
            counts = tuple(int(c) for c in p.bucket_counts)
            if len(counts) != len(bounds) + 1:  # malformed or no buckets: one bucket of everything
                bounds, counts = (), (int(p.count),)
            yield (
                p,
                HistogramData(
                    bounds=bounds,
                    counts=counts,
                    sum=float(p.sum),
                    count=int(p.count),
                    cumulative=cumulative,
                    min=float(p.min) if p.HasField("min") else None,
                    max=float(p.max) if p.HasField("max") else None,
                ),
            )
    else:
        _log.debug("metric %s of type %s is not kept", metric.name, kind)


def metric_points(request: Any, limits: Limits) -> Iterator[MetricPoint]:
    for service, _scope, scoped in _resources(request.resource_metrics, "scope_metrics", limits):
        for metric in scoped.metrics:
            for point, data in _data_points(metric):
                yield MetricPoint(
                    service=service,
                    name=str(metric.name),
                    unit=str(metric.unit),
                    attributes=_key(point, limits),
                    start_ns=int(point.start_time_unix_nano),
                    time_ns=int(point.time_unix_nano),
                    data=data,
                )

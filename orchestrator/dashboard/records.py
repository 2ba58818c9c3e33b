"""The dashboard's own records of spans, log lines and metric points, free of protobuf types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from orchestrator.dashboard.values import JSONValue, Scalar

__all__ = [
    "AttrKey",
    "GaugeData",
    "HistogramData",
    "LogRecord",
    "MetricPoint",
    "SpanEvent",
    "SpanRecord",
    "SumData",
]

AttrKey = tuple[tuple[str, Scalar], ...]


@dataclass(frozen=True)
class SpanEvent:
    name: str
    time_ns: int
    attributes: dict[str, JSONValue]


@dataclass(frozen=True)
class SpanRecord:
    trace_id: str
    span_id: str
    parent_id: str | None
    name: str
    kind: str
    service: str
    scope: str
    start_ns: int
    end_ns: int
    attributes: dict[str, JSONValue]
    status: Literal["unset", "ok", "error"] = "unset"
    status_message: str = ""
    events: tuple[SpanEvent, ...] = ()
    links: int = 0


@dataclass(frozen=True)
class LogRecord:
    time_ns: int
    service: str
    severity: str
    severity_number: int
    body: JSONValue
    attributes: dict[str, JSONValue]
    trace_id: str | None = None
    span_id: str | None = None
    scope: str = ""


@dataclass(frozen=True)
class SumData:
    value: float
    monotonic: bool
    cumulative: bool


@dataclass(frozen=True)
class GaugeData:
    value: float


@dataclass(frozen=True)
class HistogramData:
    bounds: tuple[float, ...]
    counts: tuple[int, ...]
    sum: float
    count: int
    cumulative: bool
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class MetricPoint:
    service: str
    name: str
    unit: str
    attributes: AttrKey
    start_ns: int
    time_ns: int
    data: SumData | GaugeData | HistogramData

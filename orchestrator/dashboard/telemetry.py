"""Everything the dashboard has received: traces, logs and metrics, each in its bounded store."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from google.protobuf.message import Message

from orchestrator.dashboard.ingest import log_records, metric_points, span_records
from orchestrator.dashboard.logstore import LogStore
from orchestrator.dashboard.metricstore import MetricStore
from orchestrator.dashboard.otlp import Signal
from orchestrator.dashboard.settings import DashboardSettings
from orchestrator.dashboard.summary import summary
from orchestrator.dashboard.traces import TraceStore
from orchestrator.dashboard.values import Limits

__all__ = ["Telemetry"]


class Telemetry:
    def __init__(self, settings: DashboardSettings, *, clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.clock = clock
        self.limits = Limits(settings.max_attributes, settings.max_value_chars)
        self.traces = TraceStore(
            max_traces=settings.max_traces,
            max_spans=settings.max_spans,
            max_spans_per_trace=settings.max_spans_per_trace,
        )
        self.logs = LogStore(max_logs=settings.max_logs)
        self.metrics = MetricStore(
            max_series=settings.max_series,
            resolution_s=settings.resolution_s,
            retention_s=settings.retention_s,
        )
        self.received: dict[Signal, int] = {"traces": 0, "metrics": 0, "logs": 0}

    def ingest(self, signal: Signal, request: Message) -> int:
        """Keeps what an Export*ServiceRequest holds; returns how many spans, points or records."""
        if signal == "traces":
            count = self.traces.add_all(span_records(request, self.limits))
        elif signal == "metrics":
            count = self.metrics.add_all(metric_points(request, self.limits), self.clock())
        else:
            count = self.logs.add_all(log_records(request, self.limits))
        self.received[signal] += count
        return count

    def metrics_summary(self, *, window_s: int = 300, chart_s: int = 900) -> dict[str, Any]:
        return summary(self.metrics, self.clock(), window_s=window_s, chart_s=chart_s)

    def stats(self) -> dict[str, Any]:
        return {
            "traces": len(self.traces),
            "spans": self.traces.span_count,
            "logs": len(self.logs),
            "series": len(self.metrics),
            "received": dict(self.received),
            "limits": {
                "max_traces": self.settings.max_traces,
                "max_spans": self.settings.max_spans,
                "max_logs": self.settings.max_logs,
                "max_series": self.settings.max_series,
                "resolution_s": self.settings.resolution_s,
                "retention_s": self.settings.retention_s,
                "max_body_bytes": self.settings.max_body_bytes,
            },
        }

"""Spans grouped by trace, in bounded memory: the oldest traces go first when a limit is reached."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from orchestrator.dashboard.records import SpanRecord

__all__ = ["TraceStore"]

_MS = 1_000_000


@dataclass
class _Trace:
    spans: dict[str, SpanRecord] = field(default_factory=dict)

    @property
    def start_ns(self) -> int:
        return min(s.start_ns for s in self.spans.values())

    @property
    def end_ns(self) -> int:
        return max(s.end_ns for s in self.spans.values())

    def root(self) -> SpanRecord:
        roots = [s for s in self.spans.values() if s.parent_id is None or s.parent_id not in self.spans]
        return min(roots or self.spans.values(), key=lambda s: (s.parent_id is not None, s.start_ns))


class TraceStore:
    """At most `max_traces` traces and `max_spans` spans; a trace keeps its first `max_spans_per_trace`."""

    def __init__(self, *, max_traces: int = 1_000, max_spans: int = 50_000, max_spans_per_trace: int = 2_000):
        self.max_traces = max_traces
        self.max_spans = max_spans
        self.max_spans_per_trace = max_spans_per_trace
        self._traces: OrderedDict[str, _Trace] = OrderedDict()
        self._span_count = 0
        self.dropped_spans = 0

    def __len__(self) -> int:
        return len(self._traces)

    @property
    def span_count(self) -> int:
        return self._span_count

    def add_all(self, spans: Iterable[SpanRecord]) -> int:
        count = 0
        for span in spans:
            self.add(span)
            count += 1
        return count

    def add(self, span: SpanRecord) -> None:
        trace = self._traces.get(span.trace_id)
        if trace is None:
            trace = self._traces[span.trace_id] = _Trace()
        if span.span_id not in trace.spans:
            if len(trace.spans) >= self.max_spans_per_trace:
                self.dropped_spans += 1
                return
            self._span_count += 1
        trace.spans[span.span_id] = span
        while len(self._traces) > self.max_traces or self._span_count > self.max_spans:
            _, evicted = self._traces.popitem(last=False)
            self._span_count -= len(evicted.spans)

    def summaries(self, *, service: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Newest first (by start time), optionally only traces `service` took part in."""
        traces = [
            (trace_id, t)
            for trace_id, t in self._traces.items()
            if service is None or any(s.service == service for s in t.spans.values())
        ]
        traces.sort(key=lambda item: item[1].start_ns, reverse=True)
        return [self._summary(trace_id, t) for trace_id, t in traces[: max(limit, 0)]]

    def services(self) -> list[str]:
        return sorted({s.service for t in self._traces.values() for s in t.spans.values()})

    def detail(self, trace_id: str) -> dict[str, Any] | None:
        trace = self._traces.get(trace_id.lower())
        if trace is None:
            return None
        start = trace.start_ns
        depths = _depths(trace)
        spans = sorted(trace.spans.values(), key=lambda s: (s.start_ns, depths[s.span_id]))
        return {
            **self._summary(trace_id.lower(), trace),
            "spans": [_span_view(s, start, depths[s.span_id]) for s in spans],
        }

    @staticmethod
    def _summary(trace_id: str, trace: _Trace) -> dict[str, Any]:
        root = trace.root()
        spans = trace.spans.values()
        return {
            "trace_id": trace_id,
            "root": root.name,
            "root_service": root.service,
            "services": sorted({s.service for s in spans}),
            "span_count": len(trace.spans),
            "start": trace.start_ns / 1e9,
            "duration_ms": (trace.end_ns - trace.start_ns) / _MS,
            "error": any(s.status == "error" for s in spans),
        }


def _depths(trace: _Trace) -> dict[str, int]:
    depths: dict[str, int] = {}
    for span_id in trace.spans:
        chain, current = [], trace.spans.get(span_id)
        while current is not None and current.span_id not in depths and current.span_id not in chain:
            chain.append(current.span_id)
            current = trace.spans.get(current.parent_id) if current.parent_id else None
        base = depths.get(current.span_id, -1) if current is not None else -1
        for offset, link in enumerate(reversed(chain)):
            depths[link] = base + 1 + offset
    return depths


def _span_view(span: SpanRecord, trace_start_ns: int, depth: int) -> dict[str, Any]:
    return {
        "span_id": span.span_id,
        "parent_id": span.parent_id,
        "depth": depth,
        "service": span.service,
        "scope": span.scope,
        "name": span.name,
        "kind": span.kind,
        "start_ms": (span.start_ns - trace_start_ns) / _MS,
        "end_ms": (span.end_ns - trace_start_ns) / _MS,
        "duration_ms": (span.end_ns - span.start_ns) / _MS,
        "attributes": span.attributes,
        "status": {"code": span.status, "message": span.status_message},
        "events": [
            {"name": e.name, "offset_ms": (e.time_ns - trace_start_ns) / _MS, "attributes": e.attributes}
            for e in span.events
        ],
        "links": span.links,
    }

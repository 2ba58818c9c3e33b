"""Reading metric series over a time range: counts, rates, levels and percentiles, and chart points."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from orchestrator.dashboard.histogram import HistogramAgg, percentile
from orchestrator.dashboard.metricstore import Series

__all__ = [
    "Point",
    "Range",
    "count",
    "hist_points",
    "hist_rate_points",
    "latency",
    "level_now",
    "level_points",
    "merged",
    "rate_points",
    "to_ms",
    "total",
]

Point = tuple[float, float | None]

_TO_MS = {"s": 1000.0, "ms": 1.0, "us": 0.001, "µs": 0.001, "ns": 0.000_001}


@dataclass(frozen=True)
class Range:
    """Slots first..last inclusive, each `resolution_s` long."""

    first: int
    last: int
    resolution_s: int

    @property
    def seconds(self) -> int:
        return (self.last - self.first + 1) * self.resolution_s

    def slots(self) -> range:
        return range(self.first, self.last + 1)


def to_ms(unit: str) -> float:
    return _TO_MS.get(unit.strip(), 1.0)


def count(series: Sequence[Series], span: Range) -> float:
    return sum(s.counted(span.first, span.last) for s in series)


def total(series: Sequence[Series]) -> float:
    return sum(s.total for s in series)


def merged(series: Sequence[Series], span: Range, *, in_ms: bool = False) -> HistogramAgg | None:
    """The histograms of all `series` over `span`, merged (converted to ms first when asked)."""
    out: HistogramAgg | None = None
    for s in series:
        hist = s.histogram(span.first, span.last)
        if hist is None:
            continue
        if in_ms:
            hist = hist.scaled(to_ms(s.unit))
        if out is None:
            out = HistogramAgg(hist.bounds)
        if out.bounds == hist.bounds or out.count == 0:
            out.add(hist)
        else:
            _merge_unlike(out, hist)
    return out


def _merge_unlike(into: HistogramAgg, other: HistogramAgg) -> None:
    """Different bucket layouts: each of `other`'s buckets moves into `into`'s bucket of its upper bound."""
    for i, n in enumerate(other.counts):
        edge = other.bounds[i] if i < len(other.bounds) else float("inf")
        j = next((k for k, b in enumerate(into.bounds) if edge <= b), len(into.bounds))
        into.counts[j] += n
    into.merge_extremes(other)
    into.sum += other.sum
    into.count += other.count


def latency(hist: HistogramAgg | None) -> dict[str, float | int | None]:
    if hist is None or hist.count == 0:
        return {"count": 0, "p50_ms": None, "p95_ms": None, "mean_ms": None}
    return {
        "count": hist.count,
        "p50_ms": percentile(hist, 0.5),
        "p95_ms": percentile(hist, 0.95),
        "mean_ms": hist.mean(),
    }


def level_now(series: Sequence[Series], resolution_s: int) -> float | None:
    """The sum of the current values of levels; series not updated with the newest are stale."""
    if not series:
        return None
    newest = max(s.last_ns for s in series)
    fresh = [s for s in series if s.last_ns >= newest - resolution_s * 1_000_000_000]
    return sum(s.level for s in fresh)


def rate_points(series: Sequence[Series], span: Range) -> list[Point]:
    """Per second, for each slot of `span`."""
    return [
        (slot * span.resolution_s, sum(s.counted(slot, slot) for s in series) / span.resolution_s)
        for slot in span.slots()
    ]


def hist_rate_points(series: Sequence[Series], span: Range) -> list[Point]:
    """Histogram observations (requests) per second, for each slot of `span`."""
    return [
        (slot * span.resolution_s, sum(s.observed(slot, slot) for s in series) / span.resolution_s)
        for slot in span.slots()
    ]


def level_points(series: Sequence[Series], span: Range) -> list[Point]:
    columns = [s.levels(span.first, span.last) for s in series]
    out: list[Point] = []
    for i, slot in enumerate(span.slots()):
        values = [column[i] for column in columns if column[i] is not None]
        out.append((slot * span.resolution_s, sum(v for v in values if v is not None) if values else None))
    return out


def hist_points(series: Sequence[Series], span: Range, q: float, *, in_ms: bool = True) -> list[Point]:
    """The q-quantile in each slot (None where nothing was recorded)."""
    out: list[Point] = []
    for slot in span.slots():
        hist = merged(series, Range(slot, slot, span.resolution_s), in_ms=in_ms)
        out.append((slot * span.resolution_s, percentile(hist, q) if hist else None))
    return out

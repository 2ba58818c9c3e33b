"""Explicit-bucket histograms: adding, differencing cumulative points, and percentiles."""

from __future__ import annotations

from dataclasses import dataclass, field

from orchestrator.dashboard.records import HistogramData

__all__ = ["HistogramAgg", "percentile"]


@dataclass
class HistogramAgg:
    """Bucket counts over `bounds` (bucket i holds values in (bounds[i-1], bounds[i]]), sum, count."""

    bounds: tuple[float, ...]
    counts: list[int] = field(default_factory=list)
    sum: float = 0.0
    count: int = 0
    min: float | None = None
    max: float | None = None

    def __post_init__(self) -> None:
        if len(self.counts) != len(self.bounds) + 1:
            self.counts = [0] * (len(self.bounds) + 1)

    @classmethod
    def of(cls, data: HistogramData) -> HistogramAgg:
        return cls(data.bounds, list(data.counts), data.sum, data.count, data.min, data.max)

    def add(self, other: HistogramAgg) -> None:
        """Adds `other`; bounds that changed replace what was there (the old buckets cannot be merged)."""
        if other.bounds != self.bounds:
            self.bounds, self.counts, self.sum, self.count = other.bounds, [0] * len(other.counts), 0.0, 0
            self.min = self.max = None
        self.counts = [a + b for a, b in zip(self.counts, other.counts, strict=True)]
        self.merge_extremes(other)
        self.sum += other.sum
        self.count += other.count

    def merge_extremes(self, other: HistogramAgg) -> None:
        """Min and max of both; unknown when either side (with values) does not know its own."""
        if other.count == 0:
            return
        if self.count == 0:
            self.min, self.max = other.min, other.max
            return
        self.min = None if self.min is None or other.min is None else min(self.min, other.min)
        self.max = None if self.max is None or other.max is None else max(self.max, other.max)

    def since(self, earlier: HistogramAgg) -> HistogramAgg | None:
        """What was added after `earlier` (both cumulative), or None when this one restarted."""
        if earlier.bounds != self.bounds or self.count < earlier.count:
            return None
        counts = [a - b for a, b in zip(self.counts, earlier.counts, strict=True)]
        if any(c < 0 for c in counts):
            return None
        added = self.count - earlier.count
        return HistogramAgg(self.bounds, counts, self.sum - earlier.sum, added, self.min, self.max)

    def scaled(self, factor: float) -> HistogramAgg:
        """The same histogram in another unit (seconds to milliseconds: factor 1000)."""
        return HistogramAgg(
            tuple(b * factor for b in self.bounds),
            list(self.counts),
            self.sum * factor,
            self.count,
            None if self.min is None else self.min * factor,
            None if self.max is None else self.max * factor,
        )

    def mean(self) -> float | None:
        return self.sum / self.count if self.count else None


def percentile(hist: HistogramAgg, q: float) -> float | None:
    """The q-quantile (0..1), interpolating linearly inside the bucket that holds it.

    Bucket edges are narrowed to the smallest and largest values seen when the point carries them
    (so the open first and last buckets have ends); without them the first bucket starts at 0 (or
    its bound when that is negative) and the last one is taken as its lower bound.
    """
    total = sum(hist.counts)
    if total <= 0:
        return None
    rank = q * total
    seen = 0
    for i, count in enumerate(hist.counts):
        if count <= 0 or seen + count < rank:
            seen += count
            continue
        lower, upper = _edges(hist, i)
        value = lower + (upper - lower) * max(rank - seen, 0.0) / count
        return _clamp(value, hist.min, hist.max)
    return _clamp(hist.bounds[-1] if hist.bounds else hist.max or 0.0, hist.min, hist.max)


def _edges(hist: HistogramAgg, i: int) -> tuple[float, float]:
    """Bucket i's edges, narrowed to [min, max] when those are known (the open ends need them)."""
    bounds = hist.bounds
    lower = bounds[i - 1] if 0 < i <= len(bounds) else None
    upper = bounds[i] if i < len(bounds) else None
    if hist.min is not None and (lower is None or hist.min > lower):
        lower = hist.min
    if hist.max is not None and (upper is None or hist.max < upper):
        upper = hist.max
    if lower is None:
        lower = min(0.0, upper) if upper is not None else 0.0
    if upper is None or upper < lower:
        upper = lower
    return lower, upper


def _clamp(value: float, low: float | None, high: float | None) -> float:
    if low is not None:
        value = max(value, low)
    if high is not None:
        value = min(value, high)
    return value

"""Metric time series at a fixed resolution, for a fixed retention, in a bounded number of series.

A series is one (service, metric, attribute set). Points land in slots of `resolution_s` seconds:
- counters (monotonic sums) keep the amount added in each slot, and a running total;
- levels (gauges, up-down counters) keep the last value seen in each slot;
- histograms keep the bucket counts, sum and count added in each slot.
Cumulative points (the Python SDK's default) are differenced against the series' previous point;
a new start time or a smaller value means the producer restarted, and the point counts in full.
The first cumulative point of a series counts in full too (the dashboard normally starts first).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from orchestrator.dashboard.histogram import HistogramAgg
from orchestrator.dashboard.records import AttrKey, GaugeData, HistogramData, MetricPoint, SumData

__all__ = ["MetricStore", "Series", "SeriesKind"]

SeriesKind = Literal["counter", "level", "histogram"]
_NS = 1_000_000_000


@dataclass
class Series:
    service: str
    name: str
    attributes: AttrKey
    kind: SeriesKind
    unit: str = ""
    slots: dict[int, float | HistogramAgg] = field(default_factory=dict)
    total: float = 0.0
    total_hist: HistogramAgg | None = None
    level: float = 0.0
    last_ns: int = 0
    run_start_ns: int = -1
    previous: float | HistogramAgg | None = None

    def _between(self, first: int, last: int) -> list[tuple[int, float | HistogramAgg]]:
        if last - first < len(self.slots):
            return [(slot, self.slots[slot]) for slot in range(first, last + 1) if slot in self.slots]
        return sorted(((k, v) for k, v in self.slots.items() if first <= k <= last), key=lambda kv: kv[0])

    def counted(self, first: int, last: int) -> float:
        """What a counter added in slots first..last (inclusive)."""
        return sum(v for _, v in self._between(first, last) if isinstance(v, float))

    def observed(self, first: int, last: int) -> int:
        """How many values a histogram recorded in slots first..last."""
        return sum(v.count for _, v in self._between(first, last) if isinstance(v, HistogramAgg))

    def histogram(self, first: int, last: int) -> HistogramAgg | None:
        """A histogram's slots first..last, merged."""
        merged: HistogramAgg | None = None
        for _, value in self._between(first, last):
            if isinstance(value, HistogramAgg):
                if merged is None:
                    merged = HistogramAgg(value.bounds)
                merged.add(value)
        return merged

    def levels(self, first: int, last: int) -> list[float | None]:
        """A level's value in each slot first..last: the last one seen then or before."""
        earlier = [k for k in self.slots if k < first]
        current = self.slots[max(earlier)] if earlier else None
        out: list[float | None] = []
        for slot in range(first, last + 1):
            current = self.slots.get(slot, current)
            out.append(current if isinstance(current, float) else None)
        return out


class MetricStore:
    def __init__(self, *, max_series: int = 500, resolution_s: int = 10, retention_s: int = 3_600) -> None:
        self.max_series = max_series
        self.resolution_s = resolution_s
        self.retention_slots = max(retention_s // resolution_s, 1)
        self._series: OrderedDict[tuple[str, str, AttrKey], Series] = OrderedDict()

    def __len__(self) -> int:
        return len(self._series)

    def slot_of(self, time_s: float) -> int:
        return int(time_s // self.resolution_s)

    def add_all(self, points: Iterable[MetricPoint], now_s: float) -> int:
        count = 0
        for point in points:
            self.add(point, now_s)
            count += 1
        return count

    def add(self, point: MetricPoint, now_s: float) -> None:
        time_ns = min(point.time_ns, int(now_s * _NS)) if point.time_ns else int(now_s * _NS)
        slot = time_ns // (self.resolution_s * _NS)
        newest = self.slot_of(now_s)
        if slot <= newest - self.retention_slots:
            return
        series = self._series_for(point)
        series.unit = point.unit or series.unit
        series.last_ns = max(series.last_ns, time_ns)
        data = point.data
        if isinstance(data, HistogramData):
            self._add_histogram(series, slot, point.start_ns, data)
        elif isinstance(data, SumData) and data.monotonic:
            self._add_count(series, slot, point.start_ns, data)
        else:
            self._add_level(series, slot, data)
        for old in [s for s in series.slots if s <= newest - self.retention_slots]:
            del series.slots[old]

    def series(self, names: str | Iterable[str], service: str | None = None) -> list[Series]:
        wanted = {names} if isinstance(names, str) else set(names)
        return [
            s for s in self._series.values() if s.name in wanted and (service is None or s.service == service)
        ]

    def services(self) -> list[str]:
        return sorted({s.service for s in self._series.values()})

    def _series_for(self, point: MetricPoint) -> Series:
        data = point.data
        kind: SeriesKind = (
            "histogram"
            if isinstance(data, HistogramData)
            else "counter"
            if isinstance(data, SumData) and data.monotonic
            else "level"
        )
        key = (point.service, point.name, point.attributes)
        series = self._series.get(key)
        if series is None or series.kind != kind:
            series = Series(point.service, point.name, point.attributes, kind)
            self._series[key] = series
            while len(self._series) > self.max_series:
                self._series.popitem(last=False)
        self._series.move_to_end(key)
        return series

    @staticmethod
    def _add_count(series: Series, slot: int, start_ns: int, data: SumData) -> None:
        amount = data.value
        if data.cumulative:
            previous = series.previous
            if start_ns == series.run_start_ns and isinstance(previous, float) and data.value >= previous:
                amount = data.value - previous
            series.run_start_ns, series.previous = start_ns, data.value
        series.total += amount
        current = series.slots.get(slot, 0.0)
        series.slots[slot] = (current if isinstance(current, float) else 0.0) + amount

    @staticmethod
    def _add_level(series: Series, slot: int, data: SumData | GaugeData) -> None:
        if isinstance(data, SumData) and not data.cumulative:
            series.level += data.value
        else:
            series.level = data.value
        series.slots[slot] = series.level

    @staticmethod
    def _add_histogram(series: Series, slot: int, start_ns: int, data: HistogramData) -> None:
        point = HistogramAgg.of(data)
        delta: HistogramAgg | None = point
        if data.cumulative:
            previous = series.previous
            if start_ns == series.run_start_ns and isinstance(previous, HistogramAgg):
                delta = point.since(previous) or point
            series.run_start_ns, series.previous = start_ns, point
        if delta is None or delta.count == 0:
            return
        if series.total_hist is None:
            series.total_hist = HistogramAgg(delta.bounds)
        series.total_hist.add(delta)
        current = series.slots.get(slot)
        if not isinstance(current, HistogramAgg):
            current = series.slots[slot] = HistogramAgg(delta.bounds)
        current.add(delta)

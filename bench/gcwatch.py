"""Garbage-collector pauses in this process, and keeping a big heap out of the collector's way."""

from __future__ import annotations

import gc
import time
from collections import defaultdict

__all__ = ["GcPauses", "settle_heap"]


def settle_heap() -> None:
    """Collect, then freeze what is left so later collections do not walk it (the load generator
    must not pause for the catalog it generated)."""
    gc.collect()
    gc.freeze()


class GcPauses:
    """Garbage-collector pauses while active: with 100k products in memory a full collection is slow."""

    def __init__(self) -> None:
        self.pauses_ms: dict[int, list[float]] = defaultdict(list)
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.pauses_ms[info["generation"]].append((time.perf_counter() - self._started) * 1000)

    def __enter__(self) -> GcPauses:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *_: object) -> None:
        gc.callbacks.remove(self)

    def summary(self) -> dict[str, dict[str, float]]:
        return {
            f"gen{g}": {"count": len(p), "max_ms": round(max(p), 2), "total_ms": round(sum(p), 1)}
            for g, p in sorted(self.pauses_ms.items())
        }

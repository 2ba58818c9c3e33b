"""HTTP load on POST /api/v1/search: closed loop (fixed concurrency) or open loop (fixed rate)."""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import httpx
import psutil

from bench.gcwatch import GcPauses, settle_heap
from bench.procs import ServiceProcess

__all__ = ["percentile", "run_load", "run_plan", "summarize"]


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def summarize(latencies_ms: Sequence[float]) -> dict[str, float]:
    return {
        "p50_ms": percentile(latencies_ms, 50),
        "p90_ms": percentile(latencies_ms, 90),
        "p99_ms": percentile(latencies_ms, 99),
        "mean_ms": statistics.fmean(latencies_ms) if latencies_ms else float("nan"),
        "max_ms": max(latencies_ms, default=float("nan")),
    }


class _Recorder:
    def __init__(self) -> None:
        self.latencies_ms: list[float] = []
        self.statuses: Counter[str] = Counter()
        self.hits: list[int] = []
        self.gc: dict[str, dict[str, float]] = {}
        self.slowest: list[tuple[float, float]] = []
        self.t0 = time.time()

    async def send(self, client: httpx.AsyncClient, body: dict[str, Any], started: float) -> None:
        try:
            response = await client.post("/api/v1/search", json=body)
        except httpx.HTTPError as exc:
            self.statuses[type(exc).__name__] += 1
            return
        elapsed = (time.perf_counter() - started) * 1000
        self.slowest.append((round(elapsed, 1), round(time.time() - self.t0, 3)))
        self.statuses[str(response.status_code)] += 1
        if response.status_code == 200:
            self.latencies_ms.append(elapsed)
            self.hits.append(len(response.json()["items"]))


async def _closed(client: httpx.AsyncClient, bodies: list[dict[str, Any]], concurrency: int) -> _Recorder:
    recorder, feed = _Recorder(), iter(bodies)

    async def worker() -> None:
        for body in feed:
            await recorder.send(client, body, time.perf_counter())

    async with asyncio.TaskGroup() as group:
        for _ in range(concurrency):
            group.create_task(worker())
    return recorder


async def _open(
    client: httpx.AsyncClient, bodies: list[dict[str, Any]], rate: float, max_in_flight: int
) -> _Recorder:
    """Requests scheduled every 1/rate s; latency counts from the scheduled time (no coordinated omission)."""
    recorder, slots = _Recorder(), asyncio.Semaphore(max_in_flight)
    start = time.perf_counter()

    async def one(body: dict[str, Any], due: float) -> None:
        async with slots:
            await recorder.send(client, body, due)

    async with asyncio.TaskGroup() as group:
        for n, body in enumerate(bodies):
            due = start + n / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            group.create_task(one(body, due))
    return recorder


def _cpu(processes: Sequence[ServiceProcess]) -> list[float]:
    """CPU seconds of each process, this load generator, and the whole machine (busy, not idle)."""
    me, machine = psutil.Process().cpu_times(), psutil.cpu_times()
    busy = (
        machine.user
        + machine.system
        + sum(getattr(machine, f, 0.0) for f in ("nice", "irq", "softirq", "steal"))
    )
    return [*(p.cpu_seconds() for p in processes), me.user + me.system, busy]


async def _run(
    url: str,
    warm: list[dict[str, Any]],
    bodies: list[dict[str, Any]],
    concurrency: int,
    rate: float | None,
    processes: Sequence[ServiceProcess],
) -> tuple[_Recorder, float, list[float]]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60.0) as client:
        await _closed(client, warm, concurrency)
        settle_heap()
        cpu0, started = _cpu(processes), time.perf_counter()
        with GcPauses() as pauses:
            if rate is None:
                recorder = await _closed(client, bodies, concurrency)
            else:
                recorder = await _open(client, bodies, rate, concurrency)
        wall, cpu1 = time.perf_counter() - started, _cpu(processes)
        recorder.gc = pauses.summary()
        return recorder, wall, [b - a for a, b in zip(cpu0, cpu1, strict=True)]


def run_load(
    service: ServiceProcess,
    emulator: ServiceProcess,
    queries: Sequence[str],
    *,
    mode: str,
    requests: int,
    concurrency: int,
    rate: float | None = None,
    offset: int = 0,
) -> dict[str, Any]:
    """Fire `requests` searches; latency percentiles, req/s, and each process's CPU while it ran."""
    picked = itertools.islice(itertools.cycle(queries), offset, offset + requests + concurrency * 2)
    bodies = [{"query": q, "top_k": 5, "mode": mode} for q in picked]
    warm, measured = bodies[: concurrency * 2], bodies[concurrency * 2 :]
    recorder, wall, deltas = asyncio.run(
        _run(service.url, warm, measured, concurrency, rate, (service, emulator))
    )
    ok = len(recorder.latencies_ms)
    cpu = dict(zip(("service", "emulator", "loadgen", "machine"), deltas, strict=True))
    cpu["other_processes"] = max(0.0, cpu.pop("machine") - sum(cpu.values()))
    return {
        "mode": mode,
        "concurrency": concurrency,
        "offered_rate": rate,
        "requests": requests,
        "ok": ok,
        "statuses": dict(recorder.statuses),
        "mean_hits": statistics.fmean(recorder.hits) if recorder.hits else 0.0,
        "wall_s": wall,
        "rps": ok / wall if wall else float("nan"),
        **summarize(recorder.latencies_ms),
        "cpu_s": cpu,
        "cpu_ms_per_request": {k: v * 1000 / max(1, ok) for k, v in cpu.items()},
        "cores_busy": {k: v / wall for k, v in cpu.items()},
        "loadgen_gc_pauses": recorder.gc,
        "slowest_ms_at_s": sorted(recorder.slowest, reverse=True)[:8],
        "started_unix": recorder.t0,
    }


def run_plan(
    service: ServiceProcess,
    emulator: ServiceProcess,
    queries: Sequence[str],
    *,
    concurrency: int,
    requests: int,
    rate: float,
    log: Callable[[str], None],
) -> dict[str, Any]:
    """Semantic at `concurrency`, at 1 and at an offered `rate`; keyword and hybrid with fewer requests.
    Each run takes fresh queries from `queries`."""
    c, n = concurrency, requests
    plan: list[tuple[str, str, int, int, float | None]] = [
        ("semantic", "semantic", n, c, None),
        ("semantic_c1", "semantic", min(300, n), 1, None),
        ("semantic_open", "semantic", n, c, rate),
        ("keyword", "keyword", max(100, n // 4), c, None),
        ("hybrid", "hybrid", max(100, n // 4), c, None),
    ]
    results, offset = {}, 0
    for name, mode, count, conc, offered in plan:
        log(f"load {name}: {count} requests, concurrency {conc}, rate {offered or 'closed loop'}")
        result = run_load(
            service,
            emulator,
            queries,
            mode=mode,
            requests=count,
            concurrency=conc,
            rate=offered,
            offset=offset,
        )
        offset += count + conc * 2
        log(
            f"  p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, {result['rps']:.0f} req/s, "
            f"{result['statuses']}"
        )
        results[name] = result
    return results

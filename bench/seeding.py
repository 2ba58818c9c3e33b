"""Seeding through the real HTTP path: POST /api/v1/admin/import in chunks, embeddings by the emulator."""

from __future__ import annotations

import json
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import psutil

from bench.procs import ADMIN_KEY, ServiceProcess

__all__ = ["seed"]


def _busy() -> float:
    machine = psutil.cpu_times()
    extra = sum(getattr(machine, f, 0.0) for f in ("nice", "irq", "softirq", "steal"))
    return float(machine.user + machine.system + extra)


def seed(
    service: ServiceProcess,
    emulator: ServiceProcess,
    products: list[dict[str, Any]],
    *,
    chunk: int,
    in_flight: int = 1,
) -> dict[str, Any]:
    """Import every product; products/s overall, per-chunk request times, and CPU of both services."""
    chunks = [products[i : i + chunk] for i in range(0, len(products), chunk)]
    done, lock, times = [0], threading.Lock(), [0.0] * len(chunks)
    headers = {"X-Staff-Key": ADMIN_KEY, "content-type": "application/json"}
    cpu0 = (service.cpu_seconds(), emulator.cpu_seconds(), _busy())
    started = time.perf_counter()

    def post(client: httpx.Client, n: int) -> None:
        body = json.dumps(chunks[n]).encode()
        sent = time.perf_counter()
        response = client.post("/api/v1/admin/import", content=body, headers=headers)
        times[n] = time.perf_counter() - sent
        if response.status_code != 200:
            raise RuntimeError(f"import chunk {n} answered {response.status_code}: {response.text[:500]}")
        report = response.json()
        if report["embedded"] != len(chunks[n]):
            raise RuntimeError(f"import chunk {n} embedded {report['embedded']} of {len(chunks[n])}")
        with lock:
            done[0] += len(chunks[n])
            elapsed = time.perf_counter() - started
            print(
                f"\r[bench] seeded {done[0]:,}/{len(products):,} ({done[0] / elapsed:,.0f}/s, "
                f"last chunk {times[n]:.1f}s)   ",
                end="",
                file=sys.stderr,
                flush=True,
            )

    with httpx.Client(base_url=service.url, timeout=1800.0) as client:
        pool = ThreadPoolExecutor(in_flight)
        try:
            for future in [pool.submit(post, client, n) for n in range(len(chunks))]:
                future.result()
        finally:  # on SIGTERM or a failed chunk, do not wait for the queued chunks
            pool.shutdown(wait=False, cancel_futures=True)
    wall = time.perf_counter() - started
    print(file=sys.stderr)
    cpu = {"service": service.cpu_seconds() - cpu0[0], "emulator": emulator.cpu_seconds() - cpu0[1]}
    cpu["other_processes"] = max(0.0, _busy() - cpu0[2] - cpu["service"] - cpu["emulator"])
    return {
        "products": len(products),
        "chunk": chunk,
        "in_flight": in_flight,
        "wall_s": wall,
        "products_per_s": len(products) / wall,
        "chunk_s": {
            "median": statistics.median(times),
            "max": max(times),
            "slowest_chunk": times.index(max(times)),
            "all": [round(t, 3) for t in times],
        },
        "cpu_s": cpu,
        "cores_busy": {k: v / wall for k, v in cpu.items()},
    }

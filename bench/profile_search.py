"""Where a semantic search spends its time: phase timers and a cProfile grouped by package.

The products service runs in this process (its own create_app, requests through httpx's ASGI
transport, so uvicorn's HTTP parsing is not included), against the emulator as a subprocess.
The emulator is profiled the same way, with a LocalEmbedder that times the model calls.
`python -m bench.profile_search --data-dir DIR` profiles a data folder a bench run kept.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import pstats
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import httpx

from bench.gcwatch import GcPauses
from bench.procs import ADMIN_KEY, start_emulator
from bench.queries import shopper_queries
from orchestrator.emulators.azure_openai.embedder import LocalEmbedder, Vectors

__all__ = ["by_package", "profile_emulator", "profile_service"]

T = TypeVar("T")
_MARKERS = ("site-packages/", "lib/python3.11/", "/work/main/")


def by_package(profile: cProfile.Profile, top: int = 12) -> dict[str, Any]:
    """Share of profiled own-time (tottime) per top-level package, and the costliest functions."""
    packages: dict[str, float] = defaultdict(float)
    functions: dict[str, float] = {}
    for (filename, line, name), row in pstats.Stats(profile).stats.items():  # type: ignore[attr-defined]
        package = "C builtins" if filename == "~" else Path(filename).name
        for marker in _MARKERS:
            if marker in filename:
                package = filename.split(marker, 1)[1].split("/", 1)[0].removesuffix(".py")
                break
        packages[package] += row[2]
        functions[f"{package}:{name[:60]}" + (f":{line}" if line else "")] = row[2]
    whole = sum(packages.values()) or 1.0

    def shares(totals: dict[str, float]) -> dict[str, float]:
        ranked = sorted(totals.items(), key=lambda kv: -kv[1])[:top]
        return {k: round(v / whole, 4) for k, v in ranked}

    return {"packages": shares(packages), "functions": shares(functions)}


class _Phases:
    def __init__(self) -> None:
        self.ms: dict[str, list[float]] = defaultdict(list)

    def wrap(self, name: str, func: Callable[..., Awaitable[T]]) -> Callable[..., Awaitable[T]]:
        async def timed(*args: Any, **kwargs: Any) -> T:
            started = time.perf_counter()
            try:
                return await func(*args, **kwargs)
            finally:
                self.ms[name].append((time.perf_counter() - started) * 1000)

        return timed

    def wrap_sync(self, name: str, func: Callable[..., T]) -> Callable[..., T]:
        def timed(*args: Any, **kwargs: Any) -> T:
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.ms[name].append((time.perf_counter() - started) * 1000)

        return timed

    def medians(self) -> dict[str, float]:
        return {k: round(statistics.median(v), 3) for k, v in self.ms.items()}


async def _drive(
    client: httpx.AsyncClient, path: str, bodies: Sequence[dict[str, Any]], phases: _Phases
) -> None:
    for body in bodies:
        started = time.perf_counter()
        response = await client.post(path, json=body)
        response.raise_for_status()
        phases.ms["request_total"].append((time.perf_counter() - started) * 1000)


async def _profile_service(data_dir: Path, emulator_url: str, queries: list[str], n: int) -> dict[str, Any]:
    from products_service.app import create_app
    from products_service.settings import ProductsSettings

    settings = ProductsSettings(
        data_dir=data_dir,
        azure_openai_endpoint=emulator_url,
        azure_openai_api_key="bench-profile-key-0123456789",
        admin_key=ADMIN_KEY,
        log_level="WARNING",
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        catalog = app.state.runtime.catalog
        phases = _Phases()
        catalog.embedder.embed_query = phases.wrap(
            "embed_query (HTTP to emulator)", catalog.embedder.embed_query
        )
        if hasattr(catalog, "lookup"):  # products from memory (since acd3b75)
            catalog.lookup = phases.wrap_sync("product lookup (memory)", catalog.lookup)
        elif hasattr(catalog, "get_many"):  # products from the database
            catalog.get_many = phases.wrap("get_many (SQLite)", catalog.get_many)
        catalog.indexes.vector.search = phases.wrap_sync("vector index search", catalog.indexes.vector.search)
        bodies = [{"query": q, "top_k": 5, "mode": "semantic"} for q in queries[: 2 * n]]
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            await _drive(client, "/api/v1/search", bodies[:20], _Phases())
            floor = _Phases()
            for _ in range(n):
                started = time.perf_counter()
                (await client.get("/health")).raise_for_status()
                floor.ms["health"].append((time.perf_counter() - started) * 1000)
            phases.ms.clear()
            cpu0 = time.process_time()
            with GcPauses() as pauses:
                await _drive(client, "/api/v1/search", bodies[:n], phases)
            cpu_ms = (time.process_time() - cpu0) * 1000 / n
            medians = phases.medians()
            tracked = len(gc.get_objects())
            profile = cProfile.Profile(time.thread_time)
            profile.enable()
            await _drive(client, "/api/v1/search", bodies[n : 2 * n], _Phases())
            profile.disable()
        return {
            "requests": n,
            "index_kind": catalog.indexes.vector.kind,
            "phase_ms_p50": medians,
            "other_ms_p50": round(
                medians["request_total"] - sum(v for k, v in medians.items() if k != "request_total"), 3
            ),
            "in_process_cpu_ms_per_request": round(cpu_ms, 3),
            "health_request_ms_p50": floor.medians()["health"],
            "request_ms_max": round(max(phases.ms["request_total"]), 2),
            "gc_pauses": pauses.summary(),
            "gc_tracked_objects": tracked,
            "profile_cpu_share_event_loop_thread": by_package(profile),
        }


class _TimedEmbedder(LocalEmbedder):
    """The emulator's embedder, adding up the CPU its model and tokenizer calls use."""

    model_cpu_s = 0.0

    def embed(self, texts: Sequence[str], *, batch_size: int = 64) -> Vectors:
        started = time.thread_time()
        try:
            return super().embed(texts, batch_size=batch_size)
        finally:
            _TimedEmbedder.model_cpu_s += time.thread_time() - started

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        started = time.thread_time()
        try:
            return super().token_counts(texts)
        finally:
            _TimedEmbedder.model_cpu_s += time.thread_time() - started


async def _profile_emulator(queries: list[str], n: int, threads: int) -> dict[str, Any]:
    from orchestrator.emulators.azure_openai.app import create_app
    from orchestrator.emulators.azure_openai.settings import EmulatorSettings

    app = create_app(EmulatorSettings(log_level="WARNING"), embedder=_TimedEmbedder(intra_op_threads=threads))
    path = "/openai/deployments/text-embedding-ada-002/embeddings?api-version=2024-10-21"
    bodies = [{"input": [q], "encoding_format": "base64"} for q in queries[: 2 * n]]
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            await _drive(client, path, bodies[:20], _Phases())
            phases, model0, cpu0 = _Phases(), _TimedEmbedder.model_cpu_s, time.process_time()
            await _drive(client, path, bodies[:n], phases)
            cpu_ms = (time.process_time() - cpu0) * 1000 / n
            model_ms = (_TimedEmbedder.model_cpu_s - model0) * 1000 / n
            profile = cProfile.Profile(time.thread_time)
            profile.enable()
            await _drive(client, path, bodies[n : 2 * n], _Phases())
            profile.disable()
    return {
        "requests": n,
        "intra_op_threads": threads,
        "request_ms_p50": phases.medians()["request_total"],
        "in_process_cpu_ms_per_request": round(cpu_ms, 3),
        "model_and_tokenizer_cpu_ms_per_request": round(model_ms, 3),
        "profile_cpu_share_event_loop_thread": by_package(profile),
    }


def profile_service(data_dir: Path, emulator_url: str, requests: int = 300) -> dict[str, Any]:
    queries = shopper_queries(2 * requests + 20, seed=23, hand_written=False)
    return asyncio.run(_profile_service(data_dir, emulator_url, queries, requests))


def profile_emulator(requests: int = 300, threads: int = 2) -> dict[str, Any]:
    """threads: onnxruntime intra-op threads (the emulator's EMULATOR_EMBED_THREADS, default 2)."""
    queries = shopper_queries(2 * requests + 20, seed=29, hand_written=False)
    return asyncio.run(_profile_emulator(queries, requests, threads))


def main(argv: list[str] | None = None) -> int:
    import json

    parser = argparse.ArgumentParser(prog="python -m bench.profile_search", description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True, help="a data folder kept by bench.products")
    parser.add_argument("--emulator-url", help="a running emulator (default: start one)")
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args(argv)
    emulator = None if args.emulator_url else start_emulator(args.data_dir.parent)
    try:
        url = args.emulator_url
        if emulator is not None:
            emulator.wait_ready()
            url = emulator.url
        result = {
            "service": profile_service(args.data_dir, url, args.requests),
            "emulator": profile_emulator(args.requests),
            "emulator_1_thread": profile_emulator(args.requests, threads=1),
        }
    finally:
        if emulator is not None:
            emulator.stop()
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

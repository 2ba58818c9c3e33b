"""`python -m bench.products`: seed, index and search benchmarks of products_service over real HTTP."""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NoReturn

import httpx

from bench.catalog_gen import generate_products
from bench.load import run_plan
from bench.procs import ServiceProcess, start_emulator, start_products
from bench.queries import shopper_queries
from bench.report import machine, markdown, write_json
from bench.seeding import seed
from bench.vectors import embedding_parity, index_bench, read_vectors
from products_service.vector_index import IndexConfig

__all__ = ["main"]


def _log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.products", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=None, help="catalog sizes (10000 100000)")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--requests", type=int, default=None, help="semantic searches per size (2000)")
    parser.add_argument("--rate", type=float, default=300.0, help="offered req/s of the open-loop run")
    parser.add_argument("--chunk", type=int, default=2000, help="products per import request")
    parser.add_argument("--import-in-flight", type=int, default=1, help="import requests in flight")
    parser.add_argument("--recall-queries", type=int, default=200)
    parser.add_argument("--out", type=Path, default=Path("bench/results/products.json"))
    parser.add_argument("--keep", action="store_true", help="keep the data folders (printed at the end)")
    parser.add_argument("--no-profile", action="store_true", help="skip the in-process search profile")
    parser.add_argument("--service-env", nargs="*", default=[], help="extra KEY=VALUE for the service")
    parser.add_argument("--emulator-env", nargs="*", default=[], help="extra KEY=VALUE for the emulator")
    parser.add_argument("--quick", action="store_true", help="tiny smoke run (1,000 products, 200 requests)")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes = args.sizes or [1000]
        args.requests = args.requests or 200
        args.recall_queries = min(args.recall_queries, 50)
    args.sizes = args.sizes or [10_000, 100_000]
    args.requests = args.requests or 2000
    args.service_env = dict(kv.split("=", 1) for kv in args.service_env)
    args.emulator_env = dict(kv.split("=", 1) for kv in args.emulator_env)
    return args


def _stats(service: ServiceProcess) -> dict[str, Any]:
    response = httpx.get(f"{service.url}/api/v1/stats", timeout=30.0)
    response.raise_for_status()
    stats: dict[str, Any] = response.json()
    return stats


def _profile(data_dir: Path, emulator_url: str) -> Any:
    """bench.profile_search in a child process: it instruments httpx process-wide, as services do."""
    command = [sys.executable, "-m", "bench.profile_search", "--data-dir", str(data_dir)]
    done = subprocess.run(
        [*command, "--emulator-url", emulator_url],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
        cwd=Path(__file__).parent.parent,
    )
    if done.returncode != 0:
        _log(f"profile failed ({done.returncode}): {done.stderr[-2000:]}")
        return None
    return json.loads(done.stdout)


def _run_size(
    size: int, args: argparse.Namespace, emulator: ServiceProcess, workdir: Path, recall_vectors: Any
) -> dict[str, Any]:
    data_dir = workdir / f"n{size}"
    products = generate_products(size)
    service = start_products(data_dir, emulator.url, args.service_env)
    try:
        _log(f"{size:,}: service on {service.url}, ready in {service.wait_ready():.1f}s; seeding")
        seeded = seed(service, emulator, products, chunk=args.chunk, in_flight=args.import_in_flight)
        del products  # 100k dicts make the load generator's garbage collections pause for long
        stats = _stats(service)
        _log(f"{size:,}: seeded at {seeded['products_per_s']:.0f}/s; stats {stats}")
        stopping = time.perf_counter()
    except BaseException:
        service.stop(grace_s=5.0)  # interrupted: do not wait for an import in progress
        raise
    service.stop()
    stop_s = time.perf_counter() - stopping
    ids, matrix = read_vectors(data_dir / "products.db")
    parity = embedding_parity(data_dir / "products.db")
    _log(f"{size:,}: {len(ids):,} stored vectors (local/service cosine ≥ {parity:.5f}); timing index builds")
    index = index_bench(ids, matrix, recall_vectors, IndexConfig())
    _log(f"{size:,}: build flat {index['flat_build_s']:.2f}s, HNSW {index['hnsw_build_s']:.1f}s")
    _log(f"{size:,}: HNSW recall@10 {index['recall_at_k']:.4f}")
    service = start_products(data_dir, emulator.url, args.service_env)
    try:
        ready_s = service.wait_ready()
        restarted = _stats(service)
        restart = {"ready_s": ready_s, "index_kind": restarted["index_kind"], "rss_mb": service.rss_mb()}
        _log(f"{size:,}: restarted in {ready_s:.1f}s with a {restarted['index_kind']} index")
        loads = run_plan(
            service,
            emulator,
            args.load_queries,
            concurrency=args.concurrency,
            requests=args.requests,
            rate=args.rate,
            log=_log,
        )
    except BaseException:
        service.stop(grace_s=5.0)
        raise
    service.stop()
    profile = None
    if not args.no_profile:
        _log(f"{size:,}: profiling semantic search in-process")
        profile = _profile(data_dir, emulator.url)
    return {
        "seed": seeded,
        "stats_after_seed": stats,
        "shutdown_after_seed_s": stop_s,
        "embedding_parity_min_cosine": parity,
        "index": index,
        "restart": restart,
        "load": loads,
        "profile": profile,
    }


def _terminate(signum: int, _frame: object) -> NoReturn:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    from orchestrator.emulators.azure_openai.embedder import get_embedder

    recall_queries = shopper_queries(args.recall_queries)
    recall_vectors = get_embedder().embed(recall_queries)
    args.load_queries = shopper_queries(max(6000, args.requests * 4), seed=11, hand_written=False)
    results: dict[str, Any] = {
        "machine": machine(),
        "args": {k: v for k, v in vars(args).items() if k != "load_queries"},
    }
    results["sizes"] = {}
    workdir = Path(tempfile.mkdtemp(prefix="bench-products-"))
    emulator = start_emulator(workdir, args.emulator_env)
    try:
        _log(f"emulator on {emulator.url}, ready in {emulator.wait_ready():.1f}s; workdir {workdir}")
        for size in args.sizes:
            results["sizes"][str(size)] = _run_size(size, args, emulator, workdir, recall_vectors)
            write_json(args.out, results)
    finally:
        emulator.stop()
        if args.keep:
            _log(f"data kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    write_json(args.out, results)
    print(markdown(results))
    _log(f"results written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

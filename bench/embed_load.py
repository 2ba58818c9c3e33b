"""`python -m bench.embed_load`: the emulator's embeddings route under load, one or many inputs per request.

Shows what batching query embeddings would save: emulator CPU per text and texts/s at a given
concurrency and inputs per request, e.g.
`--batch 1 16 --concurrency 32 2 --emulator-env EMULATOR_EMBED_THREADS=1`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.load import percentile
from bench.procs import ServiceProcess, start_emulator
from bench.queries import shopper_queries

__all__ = ["main"]

_PATH = "/openai/deployments/text-embedding-ada-002/embeddings?api-version=2024-10-21"


async def _run(emulator: ServiceProcess, texts: list[str], batch: int, concurrency: int) -> dict[str, Any]:
    bodies = [
        {"input": texts[i : i + batch], "encoding_format": "base64"} for i in range(0, len(texts), batch)
    ]
    latencies: list[float] = []
    feed = iter(bodies)
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=emulator.url, limits=limits, timeout=60.0) as client:

        async def worker() -> None:
            for body in feed:
                started = time.perf_counter()
                response = await client.post(_PATH, json=body, headers={"api-key": "bench"})
                response.raise_for_status()
                latencies.append((time.perf_counter() - started) * 1000)

        for _ in range(3):
            await client.post(_PATH, json=bodies[0], headers={"api-key": "bench"})
        cpu0, started = emulator.cpu_seconds(), time.perf_counter()
        async with asyncio.TaskGroup() as group:
            for _ in range(concurrency):
                group.create_task(worker())
        wall, cpu = time.perf_counter() - started, emulator.cpu_seconds() - cpu0
    return {
        "inputs_per_request": batch,
        "concurrency": concurrency,
        "texts": len(texts),
        "texts_per_s": len(texts) / wall,
        "emulator_cpu_ms_per_text": cpu * 1000 / len(texts),
        "request_p50_ms": percentile(latencies, 50),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.embed_load", description=__doc__)
    parser.add_argument("--texts", type=int, default=1024)
    parser.add_argument("--batch", type=int, nargs="+", default=[1, 16])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[32])
    parser.add_argument("--emulator-env", nargs="*", default=[], help="extra KEY=VALUE for the emulator")
    args = parser.parse_args(argv)
    texts = shopper_queries(args.texts, seed=31, hand_written=False)
    env = dict(kv.split("=", 1) for kv in args.emulator_env)
    emulator = start_emulator(Path(tempfile.mkdtemp(prefix="bench-embed-")), env)
    results = []
    try:
        emulator.wait_ready()
        for batch in args.batch:
            for concurrency in args.concurrency:
                result = asyncio.run(_run(emulator, texts, batch, concurrency))
                print(json.dumps(result), file=sys.stderr)
                results.append(result)
    finally:
        emulator.stop()
    print(json.dumps({"emulator_env": env, "runs": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

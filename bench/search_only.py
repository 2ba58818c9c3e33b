"""`python -m bench.search_only --data-dir DIR`: the search load runs again on a kept data folder.

For trying service or emulator settings without seeding again (100k products take most of an hour):
`--service-env LOG_LEVEL=WARNING --emulator-env EMULATOR_EMBED_THREADS=1`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bench.load import run_plan
from bench.procs import start_emulator, start_products
from bench.queries import shopper_queries
from bench.report import machine

__all__ = ["main"]


def _log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search_only", description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=300.0)
    parser.add_argument("--query-seed", type=int, default=11)
    parser.add_argument("--service-env", nargs="*", default=[], help="extra KEY=VALUE for the service")
    parser.add_argument("--emulator-env", nargs="*", default=[], help="extra KEY=VALUE for the emulator")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)
    queries = shopper_queries(max(6000, args.requests * 4), seed=args.query_seed, hand_written=False)
    emulator_env = dict(kv.split("=", 1) for kv in args.emulator_env)
    service_env = dict(kv.split("=", 1) for kv in args.service_env)
    emulator = start_emulator(args.data_dir.parent, emulator_env)
    try:
        emulator.wait_ready()
        service = start_products(args.data_dir, emulator.url, service_env)
        try:
            ready_s = service.wait_ready()
            _log(f"service ready in {ready_s:.1f}s (env {service_env}, emulator env {emulator_env})")
            loads = run_plan(
                service,
                emulator,
                queries,
                concurrency=args.concurrency,
                requests=args.requests,
                rate=args.rate,
                log=_log,
            )
        finally:
            service.stop()
    finally:
        emulator.stop()
    result = {
        "machine": machine(),
        "service_env": service_env,
        "emulator_env": emulator_env,
        "ready_s": ready_s,
        "load": loads,
    }
    text = json.dumps(result, indent=1)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

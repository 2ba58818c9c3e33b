"""The machine description, the Markdown summary and the JSON file of a bench run."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

import psutil

__all__ = ["TARGETS", "machine", "markdown", "write_json"]

TARGETS = {
    "seed_products_per_s": 300.0,
    "p50_ms_10k": 15.0,
    "rps_10k": 300.0,
    "p50_ms_100k": 20.0,
    "recall_100k": 0.95,
}


def _git() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def machine() -> dict[str, Any]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
        "git": _git(),
    }


def _f(value: Any, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _size_rows(size: int, r: dict[str, Any]) -> list[str]:
    seed, idx, loads = r["seed"], r["index"], r["load"]
    rows = [
        f"| {size:,} | seeding via HTTP import | {_f(seed['products_per_s'])} products/s "
        f"({_f(seed['wall_s'])} s; emulator {_f(seed['cores_busy']['emulator'], 2)} cores, "
        f"service {_f(seed['cores_busy']['service'], 2)} cores, "
        f"other processes {_f(seed['cores_busy'].get('other_processes'), 2)} cores) |",
        f"| {size:,} | index build flat / HNSW | "
        f"{_f(idx['flat_build_s'], 3)} s / {_f(idx['hnsw_build_s'], 1)} s |",
        f"| {size:,} | HNSW recall@{idx['k']} (efSearch {idx['hnsw_params']['ef_search']}) | "
        f"{_f(idx['recall_at_k'], 4)} ({idx['queries']} queries) |",
        f"| {size:,} | in-process search p50 flat / HNSW | {_f(idx['flat_search_us_p50'], 0)} µs / "
        f"{_f(idx['hnsw_search_us_p50'], 0)} µs |",
        f"| {size:,} | service restart to /ready (index {r['restart']['index_kind']}) | "
        f"{_f(r['restart']['ready_s'])} s, RSS {_f(r['restart']['rss_mb'], 0)} MB |",
    ]
    for name, load in loads.items():
        rate = f", offered {load['offered_rate']:.0f}/s" if load["offered_rate"] else ""
        cpu = load["cpu_ms_per_request"]
        rows.append(
            f"| {size:,} | {name} (c={load['concurrency']}{rate}, n={load['ok']}) | "
            f"p50 {_f(load['p50_ms'])} / p90 {_f(load['p90_ms'])} / p99 {_f(load['p99_ms'])} ms, "
            f"{_f(load['rps'], 0)} req/s; CPU ms/req service {_f(cpu['service'], 2)}, "
            f"emulator {_f(cpu['emulator'], 2)}, loadgen {_f(cpu['loadgen'], 2)}; "
            f"other processes {_f(load['cores_busy'].get('other_processes'), 2)} cores |"
        )
    return rows


def _targets(results: dict[str, Any]) -> list[str]:
    out = []
    sizes = results["sizes"]
    seeds = [r["seed"]["products_per_s"] for r in sizes.values()]
    if seeds:
        worst = min(seeds)
        goal = TARGETS["seed_products_per_s"]
        out.append(f"- seeding ≥ {goal:.0f} products/s: {_f(worst)} → {_verdict(worst >= goal)}")
    for size, p50_key, extra in ((10_000, "p50_ms_10k", "rps_10k"), (100_000, "p50_ms_100k", "recall_100k")):
        r = sizes.get(str(size))
        if r is None:
            continue
        semantic = r["load"]["semantic"]
        p50 = semantic["p50_ms"]
        goal = TARGETS[p50_key]
        out.append(f"- {size:,} p50 ≤ {goal:.0f} ms at c=32: {_f(p50)} ms → {_verdict(p50 <= goal)}")
        if extra == "rps_10k":
            rps = semantic["rps"]
            out.append(f"- {size:,} ≥ 300 req/s at c=32: {_f(rps, 0)} → {_verdict(rps >= TARGETS[extra])}")
        else:
            recall = r["index"]["recall_at_k"]
            out.append(f"- {size:,} recall@10 ≥ 0.95: {_f(recall, 4)} → {_verdict(recall >= TARGETS[extra])}")
    return out


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        f"## products_service bench — {m['date']}",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, Python {m['python']}, "
        f"load average at start {m['load_avg_at_start']}, commit {m.get('git', '?')}",
        "",
        "| size | measure | result |",
        "|---:|---|---|",
    ]
    for size, r in results["sizes"].items():
        lines += _size_rows(int(size), r)
    lines += ["", "Targets:", *_targets(results)]
    return "\n".join(lines)


def write_json(path: Path, results: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1, default=str))

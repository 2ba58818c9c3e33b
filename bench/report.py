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

__all__ = ["TARGETS", "machine", "markdown", "number", "verdict", "write_json"]

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


def number(value: Any, digits: int = 1) -> str:
    """A figure for a Markdown table: thousands separated, "-" for none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _size_rows(size: int, r: dict[str, Any]) -> list[str]:
    seed, idx, loads = r["seed"], r["index"], r["load"]
    rows = [
        f"| {size:,} | seeding via HTTP import | {number(seed['products_per_s'])} products/s "
        f"({number(seed['wall_s'])} s; emulator {number(seed['cores_busy']['emulator'], 2)} cores, "
        f"service {number(seed['cores_busy']['service'], 2)} cores, "
        f"other processes {number(seed['cores_busy'].get('other_processes'), 2)} cores) |",
        f"| {size:,} | index build flat / HNSW | "
        f"{number(idx['flat_build_s'], 3)} s / {number(idx['hnsw_build_s'], 1)} s |",
        f"| {size:,} | HNSW recall@{idx['k']} (efSearch {idx['hnsw_params']['ef_search']}) | "
        f"{number(idx['recall_at_k'], 4)} ({idx['queries']} queries) |",
        f"| {size:,} | in-process search p50 flat / HNSW | {number(idx['flat_search_us_p50'], 0)} µs / "
        f"{number(idx['hnsw_search_us_p50'], 0)} µs |",
        f"| {size:,} | service restart to /ready (index {r['restart']['index_kind']}) | "
        f"{number(r['restart']['ready_s'])} s, RSS {number(r['restart']['rss_mb'], 0)} MB |",
    ]
    for name, load in loads.items():
        rate = f", offered {load['offered_rate']:.0f}/s" if load["offered_rate"] else ""
        cpu = load["cpu_ms_per_request"]
        rows.append(
            f"| {size:,} | {name} (c={load['concurrency']}{rate}, n={load['ok']}) | "
            f"p50 {number(load['p50_ms'])} / p90 {number(load['p90_ms'])} / p99 {number(load['p99_ms'])} ms, "
            f"{number(load['rps'], 0)} req/s; CPU ms/req service {number(cpu['service'], 2)}, "
            f"emulator {number(cpu['emulator'], 2)}, loadgen {number(cpu['loadgen'], 2)}; "
            f"other processes {number(load['cores_busy'].get('other_processes'), 2)} cores |"
        )
    return rows


def _targets(results: dict[str, Any]) -> list[str]:
    out = []
    sizes = results["sizes"]
    seeds = [r["seed"]["products_per_s"] for r in sizes.values()]
    if seeds:
        worst = min(seeds)
        goal = TARGETS["seed_products_per_s"]
        out.append(f"- seeding ≥ {goal:.0f} products/s: {number(worst)} → {verdict(worst >= goal)}")
    for size, p50_key, extra in ((10_000, "p50_ms_10k", "rps_10k"), (100_000, "p50_ms_100k", "recall_100k")):
        r = sizes.get(str(size))
        if r is None:
            continue
        semantic = r["load"]["semantic"]
        p50 = semantic["p50_ms"]
        goal = TARGETS[p50_key]
        out.append(f"- {size:,} p50 ≤ {goal:.0f} ms at c=32: {number(p50)} ms → {verdict(p50 <= goal)}")
        if extra == "rps_10k":
            rps = semantic["rps"]
            out.append(f"- {size:,} ≥ 300 req/s at c=32: {number(rps, 0)} → {verdict(rps >= TARGETS[extra])}")
        else:
            recall = r["index"]["recall_at_k"]
            out.append(
                f"- {size:,} recall@10 ≥ 0.95: {number(recall, 4)} → {verdict(recall >= TARGETS[extra])}"
            )
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

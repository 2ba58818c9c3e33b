"""`python -m orchestrator up` for real: every service on loopback, a voice turn, its trace on the dashboard.

Application Insights is pointed at a local receiver standing in for the ingestion endpoint, so the same
run checks that the custom spans and metrics reach it and that no secret appears in any telemetry.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.realtime_client import connect_store, send_speech
from tests.servers import free_port
from tests.telemetry_receiver import Received, otlp_receiver

ADMIN_KEY = "orchestrated-admin-key-0123456789"


class Orchestrator:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.process = subprocess.Popen(
            [sys.executable, "-m", "orchestrator", "up"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip())

    def wait_for(self, text: str, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while not any(text in line for line in self.lines):
            if self.process.poll() is not None:
                raise AssertionError("orchestrator exited:\n" + "\n".join(self.lines[-60:]))
            if time.monotonic() > deadline:
                raise AssertionError(f"no {text!r} after {timeout_s} s:\n" + "\n".join(self.lines[-60:]))
            time.sleep(0.2)


@pytest.fixture(scope="module")
def insights() -> Iterator[tuple[str, Received]]:
    with otlp_receiver() as receiver:
        yield receiver


@pytest.fixture(scope="module")
def running(
    tmp_path_factory: pytest.TempPathFactory, insights: tuple[str, Received]
) -> Iterator[Orchestrator]:
    ports = {name: free_port() for name in ("EMULATOR_PORT", "PRODUCTS_PORT", "STORE_PORT", "DASHBOARD_PORT")}
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AZURE_OPENAI", "OTEL_", "PRODUCTS_", "STORE_"))
    }
    env.update({name: str(port) for name, port in ports.items()})
    env.update(
        {
            "PRODUCTS_DATA_DIR": str(tmp_path_factory.mktemp("orchestrated")),
            "PRODUCTS_ADMIN_KEY": ADMIN_KEY,
            "APPLICATIONINSIGHTS_CONNECTION_STRING": (
                f"InstrumentationKey=00000000-0000-0000-0000-000000000002;IngestionEndpoint={insights[0]}/"
            ),
            "APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL": "true",
            "OTEL_TRACES_SAMPLER": "always_on",
            "OTEL_METRIC_EXPORT_INTERVAL": "2000",
            "OTEL_BSP_SCHEDULE_DELAY": "500",
        }
    )
    orchestrator = Orchestrator(env)
    try:
        orchestrator.wait_for("Ctrl-C stops everything", timeout_s=600)
        yield orchestrator
    finally:
        if orchestrator.process.poll() is None:
            orchestrator.process.send_signal(signal.SIGINT)
            try:
                orchestrator.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(orchestrator.process.pid, signal.SIGKILL)


def _url(orchestrator: Orchestrator, name: str) -> str:
    return f"http://127.0.0.1:{orchestrator.env[name]}"


def test_up_prints_the_urls_and_status_shows_every_service_ready(running: Orchestrator) -> None:
    text = "\n".join(running.lines)
    assert f"Store page         {_url(running, 'STORE_PORT')}/" in text
    assert f"Products API docs  {_url(running, 'PRODUCTS_PORT')}/docs" in text
    assert f"Ops dashboard      {_url(running, 'DASHBOARD_PORT')}/" in text
    prefixes = {line.split("│")[0].strip() for line in running.lines if "│" in line}
    assert {"orchestrator", "emulator", "products", "store"} <= prefixes
    done = subprocess.run(
        [sys.executable, "-m", "orchestrator", "status"],
        env=running.env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    rows = {line.split()[0]: line.split() for line in done.stdout.splitlines()[1:]}
    assert set(rows) == {"emulator", "products", "store"}
    assert all(row[1] == "ready" and row[2] == "healthy" for row in rows.values()), done.stdout


async def _voice_turn(store_url: str) -> None:
    async with connect_store(store_url) as rt:
        await rt.until("session.created")
        await send_speech(rt, "I need a waterproof jacket for hiking", tail_ms=1500)
        await rt.until("store.products", within_s=120)
        answer: list[dict[str, Any]] = []
        while not any(e["type"] == "response.audio.delta" for e in answer):
            answer += await rt.until("response.done", within_s=120)


def _find_voice_trace(dashboard: str, deadline_s: float) -> dict[str, Any]:
    deadline = time.monotonic() + deadline_s
    while True:
        listed = httpx.get(f"{dashboard}/api/traces", params={"limit": 200}, timeout=10).json()
        for summary in listed["traces"]:
            if {"store-realtime", "products", "azure-openai-emulator"} <= set(summary["services"]):
                trace = httpx.get(f"{dashboard}/api/traces/{summary['trace_id']}", timeout=10).json()
                names = {s["name"] for s in trace["spans"]}
                if "voice turn" in names and any(n.startswith("tool ") for n in names):
                    return trace
        assert time.monotonic() < deadline, [t["services"] for t in listed["traces"]][:20]
        time.sleep(1)


def test_one_voice_turn_is_one_trace_across_all_three_services(
    running: Orchestrator, insights: tuple[str, Received]
) -> None:
    asyncio.run(_voice_turn(_url(running, "STORE_PORT")))
    trace = _find_voice_trace(_url(running, "DASHBOARD_PORT"), deadline_s=60)
    spans = {s["span_id"]: s for s in trace["spans"]}
    by_service: dict[str, list[str]] = {}
    for span in spans.values():
        by_service.setdefault(span["service"], []).append(span["name"])
    assert "voice turn" in by_service["store-realtime"]
    assert any(n.startswith("tool search_products") for n in by_service["store-realtime"])
    assert any("/api/v1/search" in n for n in by_service["products"]), by_service["products"]
    assert any(
        n.lower().startswith(("select", "connect")) or "sqlite" in n.lower() for n in by_service["products"]
    )
    assert any("embeddings" in n for n in by_service["products"]), by_service["products"]
    assert any("embeddings" in n for n in by_service["azure-openai-emulator"])
    roots = [s for s in spans.values() if s["parent_id"] not in spans]
    assert [r["name"] for r in roots] == ["voice turn"]

    summary = httpx.get(f"{_url(running, 'DASHBOARD_PORT')}/api/metrics/summary", timeout=10).json()
    assert json.dumps(summary)  # the views exist; their figures are the dashboard's own tests' subject

    deadline = time.monotonic() + 60
    _, received = insights
    while True:
        items = received.track_items()
        names = {i["data"]["baseData"].get("name") for i in items if "baseData" in i.get("data", {})}
        metrics = {
            m["name"]
            for i in items
            if i["name"] == "Microsoft.ApplicationInsights.Metric"
            for m in i["data"]["baseData"]["metrics"]
        }
        if "voice turn" in names and "store.turn.first_audio" in metrics:
            break
        assert time.monotonic() < deadline, (sorted(n for n in names if n)[:40], sorted(metrics))
        time.sleep(1)
    roles = {i["tags"].get("ai.cloud.role") for i in items}
    assert {"store-realtime", "products", "azure-openai-emulator"} <= roles
    everything = json.dumps(items) + json.dumps(trace) + "\n".join(running.lines)
    assert ADMIN_KEY not in everything


def test_ctrl_c_stops_everything_and_leaves_no_process(running: Orchestrator) -> None:
    pids = [
        int(r["pid"])
        for r in httpx.get(f"{_url(running, 'DASHBOARD_PORT')}/api/resources", timeout=10).json()["resources"]
    ]
    running.process.send_signal(signal.SIGINT)
    assert running.process.wait(timeout=60) == 0
    assert any("all stopped" in line for line in running.lines)
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)

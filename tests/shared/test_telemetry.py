"""Telemetry across processes: OTLP export and one trace from the products service into the emulator."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from tests.conftest import SMALL_CATALOG, STAFF_KEY
from tests.services import service
from tests.telemetry_receiver import otlp_receiver


def test_one_trace_crosses_products_and_emulator(tmp_path: Path) -> None:
    with otlp_receiver() as (otlp_url, received):
        telemetry = {"OTEL_EXPORTER_OTLP_ENDPOINT": otlp_url, "OTEL_BSP_SCHEDULE_DELAY": "100"}
        with service("orchestrator.emulators.azure_openai", telemetry, "EMULATOR_PORT") as emulator:
            products_env = {
                **telemetry,
                "AZURE_OPENAI_ENDPOINT": emulator,
                "AZURE_OPENAI_API_KEY": "secret-key-never-exported",
                "PRODUCTS_ADMIN_KEY": STAFF_KEY,
                "PRODUCTS_DATA_DIR": str(tmp_path),
            }
            with service("products_service", products_env, "PRODUCTS_PORT") as products:
                headers = {"X-Staff-Key": STAFF_KEY}
                assert httpx.post(
                    f"{products}/api/v1/admin/import", json=SMALL_CATALOG, headers=headers
                ).is_success
                found = httpx.post(
                    f"{products}/api/v1/search", json={"query": "winter sleeping bag"}, timeout=30
                )
                assert found.status_code == 200
                assert httpx.get(f"{products}/api/v1/products", params={"limit": 2}).status_code == 200
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            spans = received.spans()
            search = [s for s in spans if s[0] == "products" and s[1] == "POST /api/v1/search"]
            listed = any(s[1] == "GET /api/v1/products" for s in spans)
            if (
                listed
                and search
                and any(s[0] == "azure-openai-emulator" and s[2] == search[0][2] for s in spans)
            ):
                break
            time.sleep(0.2)
    assert search, sorted({(s[0], s[1]) for s in spans})
    trace = [s for s in spans if s[2] == search[0][2]]
    services = {s[0] for s in trace}
    assert services == {"products", "azure-openai-emulator"}
    names = {s[1] for s in trace}
    assert "embeddings text-embedding-ada-002" in names
    assert any(n.startswith("POST /openai/deployments/") for n in names), names
    listing = [s for s in spans if s[0] == "products" and s[1] == "GET /api/v1/products"]
    assert listing, "the listing's trace arrived"
    listing_trace = {s[1] for s in spans if s[2] == listing[0][2]}
    assert any(n.startswith("SELECT ") for n in listing_trace), "the database query is part of the trace"
    everything = repr(spans)
    assert "secret-key-never-exported" not in everything and STAFF_KEY not in everything


PROBE = """
from opentelemetry import metrics, trace
from shared.settings import ServiceSettings
from shared.telemetry import configure_telemetry
configure_telemetry("probe-service", ServiceSettings())
with trace.get_tracer("probe").start_as_current_span("probe-span"):
    metrics.get_meter("probe").create_counter("probe.count").add(3)
trace.get_tracer_provider().force_flush()
metrics.get_meter_provider().force_flush()
"""


def run_probe(env: dict[str, str]) -> None:
    import os
    import subprocess
    import sys

    from tests.services import ROOT

    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**os.environ, "APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL": "true", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def test_application_insights_and_otlp_both_receive_spans_and_metrics() -> None:
    with otlp_receiver() as (url, received):
        run_probe(
            {
                "APPLICATIONINSIGHTS_CONNECTION_STRING": (
                    f"InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint={url}/"
                ),
                "OTEL_EXPORTER_OTLP_ENDPOINT": url,
                # Azure Monitor's default sampler is rate-limited and may drop a lone first trace.
                "OTEL_TRACES_SAMPLER": "always_on",
            }
        )
        time.sleep(0.5)
        items = received.track_items()
        otlp_spans = received.spans()
    dependencies = [i for i in items if i["name"] == "Microsoft.ApplicationInsights.RemoteDependency"]
    assert any(
        d["data"]["baseData"]["name"] == "probe-span" and d["tags"]["ai.cloud.role"] == "probe-service"
        for d in dependencies
    ), items
    metric_names = {
        m["name"]
        for i in items
        if i["name"] == "Microsoft.ApplicationInsights.Metric"
        for m in i["data"]["baseData"]["metrics"]
    }
    assert "probe.count" in metric_names
    assert not [i for i in items if i["name"] == "Microsoft.ApplicationInsights.Exception"]
    assert ("probe-service", "probe-span") in {(s[0], s[1]) for s in otlp_spans}

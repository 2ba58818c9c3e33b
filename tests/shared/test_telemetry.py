"""Telemetry across processes: OTLP export and one trace from the products service into the emulator."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from tests.conftest import SMALL_CATALOG, STAFF_KEY
from tests.otlp_receiver import otlp_receiver
from tests.services import service


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
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            spans = received.spans()
            search = [s for s in spans if s[0] == "products" and s[1] == "POST /api/v1/search"]
            if search and any(s[0] == "azure-openai-emulator" and s[2] == search[0][2] for s in spans):
                break
            time.sleep(0.2)
    assert search, sorted({(s[0], s[1]) for s in spans})
    trace = [s for s in spans if s[2] == search[0][2]]
    services = {s[0] for s in trace}
    assert services == {"products", "azure-openai-emulator"}
    names = {s[1] for s in trace}
    assert "embeddings text-embedding-ada-002" in names
    assert any(n.startswith("POST /openai/deployments/") for n in names), names
    assert any(n.startswith("SELECT ") for n in names), "the database query is part of the trace"
    everything = repr(spans)
    assert "secret-key-never-exported" not in everything and STAFF_KEY not in everything

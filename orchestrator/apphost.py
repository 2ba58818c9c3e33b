"""The whole store, declared: which services run, how they find each other, what waits for what.

The Python counterpart of eShopLite's AppHost `Program.cs`; `docker-compose.yml` mirrors it (a test keeps
the two in step).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from orchestrator.model import Service, System

__all__ = ["AI_DEFAULTS", "EMULATOR_KEY", "describe"]

AI_DEFAULTS = {
    "AI_ChatDeploymentName": "gpt-4o-mini",
    "AI_RealtimeDeploymentName": "gpt-4o-mini-realtime-preview",
    "AI_embeddingsDeploymentName": "text-embedding-ada-002",
}
# The emulator listens on loopback only and accepts any key there; services still send one, as to Azure.
EMULATOR_KEY = "local-emulator-key"


def describe(env: Mapping[str, str], *, data_dir: Path, admin_key: str, dashboard_url: str) -> System:
    system = System()
    system.share({name: env.get(name, default) for name, default in AI_DEFAULTS.items()})
    system.share({"OTEL_EXPORTER_OTLP_ENDPOINT": env.get("OTEL_EXPORTER_OTLP_ENDPOINT") or dashboard_url})
    if env.get("APPLICATIONINSIGHTS_CONNECTION_STRING"):
        system.share(
            {"APPLICATIONINSIGHTS_CONNECTION_STRING": env["APPLICATIONINSIGHTS_CONNECTION_STRING"]},
            secret=True,
        )

    ai: list[Service] = []
    if not env.get("AZURE_OPENAI_ENDPOINT") and not env.get("ConnectionStrings__openai"):
        emulator = system.add(
            Service(
                "emulator",
                "orchestrator.emulators.azure_openai",
                _port(env, "EMULATOR_PORT", 8089),
                "EMULATOR_PORT",
            )
        )
        system.share({"AZURE_OPENAI_ENDPOINT": emulator.url})
        system.share({"AZURE_OPENAI_API_KEY": EMULATOR_KEY}, secret=True)
        ai.append(emulator)

    products = system.add(
        Service(
            "products",
            "products_service",
            _port(env, "PRODUCTS_PORT", 8081),
            "PRODUCTS_PORT",
            links={"Products API docs": "/docs"},
        )
    )
    products.with_env(PRODUCTS_SEED_IF_EMPTY="true", PRODUCTS_DATA_DIR=str(data_dir))
    products.with_secret("PRODUCTS_ADMIN_KEY", admin_key).wait_for(*ai)

    store = system.add(
        Service(
            "store", "store_realtime", _port(env, "STORE_PORT", 8080), "STORE_PORT", links={"Store page": "/"}
        )
    )
    store.reference(products, as_env="PRODUCTS_URL").wait_for(products, *ai)
    return system


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name}={value!r} is not a port number") from None

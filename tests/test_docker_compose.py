"""docker-compose.yml is checked with Debian's docker-compose (no Docker engine runs here)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SECRETS = {"POSTGRES_PASSWORD": "pw", "PRODUCTS_ADMIN_KEY": "0123456789abcdef0", "AZURE_OPENAI_API_KEY": "k"}


def compose(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in SECRETS and not k.startswith("AI_")}
    return subprocess.run(
        ["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "--profile", "emulator", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def config() -> dict[str, Any]:
    done = compose("config", env=SECRETS)
    assert done.returncode == 0, done.stderr
    import yaml

    loaded: dict[str, Any] = yaml.safe_load(done.stdout)
    return loaded


def test_compose_file_is_valid_and_wires_the_services() -> None:
    services = config()["services"]
    assert set(services) >= {"postgres", "emulator", "products", "store", "aspire-dashboard"}
    products = services["products"]
    assert products["command"] == ["python", "-m", "products_service"]
    assert services["emulator"]["command"] == ["python", "-m", "orchestrator.emulators.azure_openai"]
    env = products["environment"]
    assert env["AI_ChatDeploymentName"] == "gpt-4o-mini"
    assert env["AI_RealtimeDeploymentName"] == "gpt-4o-mini-realtime-preview"
    assert env["AI_embeddingsDeploymentName"] == "text-embedding-ada-002"
    assert env["DATABASE_URL"].startswith("postgresql+asyncpg://store:pw@postgres:5432/")
    assert env["AZURE_OPENAI_ENDPOINT"] == "http://emulator:8089"
    assert all("healthcheck" in services[name] for name in ("postgres", "emulator", "products", "store"))
    assert all(p.startswith("127.0.0.1:") for s in services.values() for p in map(str, s.get("ports", [])))


@pytest.mark.parametrize("missing", sorted(SECRETS))
def test_secrets_must_be_given(missing: str) -> None:
    done = compose("config", env={k: v for k, v in SECRETS.items() if k != missing})
    assert done.returncode != 0
    assert missing in done.stderr


def test_image_runs_as_a_non_root_user() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "\nUSER store\n" in dockerfile


# Where the containers differ from the orchestrator's processes by design: the emulator is the endpoint
# (it takes EMULATOR_API_KEY instead of a client key), and OTLP goes to the Aspire dashboard container.
_BY_DESIGN = {"emulator": {"AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY"}}


def test_containers_mirror_the_orchestrators_description() -> None:
    from orchestrator.apphost import describe

    system = describe({}, data_dir=Path("/data"), admin_key="x" * 20, dashboard_url="http://dashboard")
    services = config()["services"]
    for service in system.services:
        container = services[service.name]
        assert container["command"] == ["python", "-m", service.module], service.name
        env = container["environment"]
        expected = set(system.env_of(service)) - _BY_DESIGN.get(service.name, set())
        assert expected <= set(env), f"{service.name} lacks {sorted(expected - set(env))}"
        assert env[service.port_env] == str(service.port)
        assert f"127.0.0.1:{service.port}:{service.port}" in [
            str(p).removesuffix("/tcp") for p in container["ports"]
        ]
        assert "healthcheck" in container and service.health in str(container["healthcheck"]["test"])
        for dependency in service.waits_for:
            if dependency.name in services and "profiles" not in services[dependency.name]:
                assert dependency.name in container["depends_on"], service.name

"""Emulator settings from the environment."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from orchestrator.emulators.azure_openai.settings import EmulatorSettings, parse_deployments


def test_defaults_serve_the_three_seed_deployments(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AI_ChatDeploymentName", "AI_embeddingsDeploymentName", "AI_RealtimeDeploymentName",
                 "EMULATOR_EXTRA_DEPLOYMENTS", "EMULATOR_API_KEY", "EMULATOR_PORT"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    settings = EmulatorSettings()

    assert settings.deployments == {
        "gpt-4o-mini": "chat",
        "text-embedding-ada-002": "embeddings",
        "gpt-4o-mini-realtime-preview": "realtime",
    }
    assert (settings.host, settings.port, settings.api_key) == ("127.0.0.1", 8089, None)
    assert settings.fault_rate_limit_every == settings.fault_error_rate_every == 0
    assert settings.fault_latency_ms == 0
    assert settings.fault_retry_after_s == 1.0


def test_environment_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMULATOR_EXTRA_DEPLOYMENTS", "gpt-4o=chat, text-embedding-3-small=embeddings")
    monkeypatch.setenv("EMULATOR_API_KEY", "local-key-123")
    monkeypatch.setenv("EMULATOR_PORT", "9999")
    monkeypatch.setenv("EMULATOR_FAULT_RATE_LIMIT_EVERY", "3")
    monkeypatch.setenv("EMULATOR_FAULT_RETRY_AFTER_S", "2.5")
    monkeypatch.setenv("EMULATOR_FAULT_LATENCY_MS", "40")
    monkeypatch.setenv("EMULATOR_FAULT_ERROR_EVERY", "5")
    settings = EmulatorSettings()

    assert settings.deployments["gpt-4o"] == "chat"
    assert settings.deployments["text-embedding-3-small"] == "embeddings"
    assert settings.api_key is not None and settings.api_key.get_secret_value() == "local-key-123"
    assert settings.port == 9999
    assert (settings.fault_rate_limit_every, settings.fault_retry_after_s) == (3, 2.5)
    assert (settings.fault_latency_ms, settings.fault_error_rate_every) == (40, 5)


@pytest.mark.parametrize("value", ["nameonly", "x=llm", "=chat"])
def test_bad_extra_deployments_are_refused(value: str) -> None:
    with pytest.raises(ValueError):
        parse_deployments(value)


def test_extra_deployment_cannot_change_a_seed_deployments_kind() -> None:
    with pytest.raises(ValidationError, match="already the chat deployment"):
        EmulatorSettings(chat_deployment="gpt-4o-mini", extra_deployments="gpt-4o-mini=embeddings")


def test_placeholder_key_is_refused_and_blank_means_none() -> None:
    with pytest.raises(ValidationError):
        EmulatorSettings(api_key="changeme")
    assert EmulatorSettings(api_key="  ").api_key is None


def test_listening_beyond_loopback_needs_a_key() -> None:
    with pytest.raises(ValidationError, match="EMULATOR_API_KEY"):
        EmulatorSettings(host="0.0.0.0", api_key=None)
    assert EmulatorSettings(host="0.0.0.0", api_key="a-real-key-123").host == "0.0.0.0"
    assert EmulatorSettings(host="::1", api_key=None).api_key is None


def test_realtime_sessions_live_as_long_as_azures_unless_a_fault_says_otherwise() -> None:
    settings = EmulatorSettings()
    assert (settings.realtime_session_limit_s(ga=False), settings.realtime_session_limit_s(ga=True)) == (
        1800,
        3600,
    )
    assert EmulatorSettings(fault_session_expire_s=2).realtime_session_limit_s(ga=True) == 2

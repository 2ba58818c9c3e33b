import pytest
from pydantic import ValidationError

from shared.settings import ServiceSettings, parse_connection_string


def test_defaults_match_design(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AI_ChatDeploymentName", "AI_RealtimeDeploymentName", "AI_embeddingsDeploymentName"):
        monkeypatch.delenv(name, raising=False)
    settings = ServiceSettings()
    assert settings.chat_deployment == "gpt-4o-mini"
    assert settings.realtime_deployment == "gpt-4o-mini-realtime-preview"
    assert settings.embeddings_deployment == "text-embedding-ada-002"


def test_ai_names_read_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AI_ChatDeploymentName", "chat-x")
    monkeypatch.setenv("AI_embeddingsDeploymentName", "emb-x")
    monkeypatch.setenv("AI_RealtimeDeploymentName", "rt-x")
    settings = ServiceSettings()
    assert (settings.chat_deployment, settings.embeddings_deployment, settings.realtime_deployment) == (
        "chat-x",
        "emb-x",
        "rt-x",
    )


def test_aspire_connection_string_supplies_endpoint_and_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AZURE_OPENAI_ENDPOINT", raising=False)
    monkeypatch.delenv("AZURE_OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("ConnectionStrings__openai", "Endpoint=https://res.openai.azure.com/;Key=abc123def")
    endpoint = ServiceSettings().openai_endpoint()
    assert endpoint is not None
    assert endpoint.url == "https://res.openai.azure.com"
    assert endpoint.api_key is not None and endpoint.api_key.get_secret_value() == "abc123def"


def test_explicit_variables_win_over_connection_string(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ConnectionStrings__openai", "Endpoint=https://a.example;Key=key-from-string")
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://b.example/")
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "explicit-key")
    endpoint = ServiceSettings().openai_endpoint()
    assert endpoint is not None and endpoint.url == "https://b.example"
    assert endpoint.api_key is not None and endpoint.api_key.get_secret_value() == "explicit-key"


def test_connection_string_without_key_means_entra_id() -> None:
    endpoint = ServiceSettings(openai_connection_string="Endpoint=https://a.example").openai_endpoint()
    assert endpoint is not None and endpoint.api_key is None


@pytest.mark.parametrize("bad", ["changeme", "<your-key>"])
def test_placeholder_secrets_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError, match="placeholder"):
        ServiceSettings(azure_openai_api_key=bad)


def test_connection_string_errors_are_clear() -> None:
    with pytest.raises(ValidationError, match="no Endpoint"):
        ServiceSettings(openai_connection_string="Key=abc")
    with pytest.raises(ValueError, match="has no '='"):
        parse_connection_string("Endpoint")


def test_secrets_do_not_print() -> None:
    settings = ServiceSettings(azure_openai_api_key="super-secret-value")
    assert "super-secret-value" not in repr(settings)
    assert "super-secret-value" not in str(settings.model_dump())

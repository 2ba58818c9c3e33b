"""Typed settings shared by every service, read from the environment (names as in DESIGN.md)."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["OpenAIEndpoint", "ServiceSettings", "parse_connection_string", "real_secret"]

_PLACEHOLDERS = {"changeme", "change-me", "changethis", "your-key", "<your-key>", "xxx", "secret"}


def real_secret(value: SecretStr | None) -> SecretStr | None:
    """A secret as configured: blank means unset, and a placeholder (`changeme`) is refused."""
    if value is None:
        return None
    secret = value.get_secret_value().strip()
    if not secret:
        return None
    if secret.lower() in _PLACEHOLDERS:
        raise ValueError("is a placeholder, not a real secret")
    return value


@dataclass(frozen=True)
class OpenAIEndpoint:
    url: str
    api_key: SecretStr | None


def parse_connection_string(value: str) -> dict[str, str]:
    """`Endpoint=https://...;Key=...` (Aspire's ConnectionStrings__openai) into its parts."""
    parts: dict[str, str] = {}
    for chunk in value.split(";"):
        if not chunk.strip():
            continue
        name, sep, val = chunk.partition("=")
        if not sep:
            raise ValueError(f"connection string part {name.strip()!r} has no '='")
        parts[name.strip().lower()] = val.strip()
    return parts


class ServiceSettings(BaseSettings):
    """Settings every service reads; each service subclasses it with its own."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True, env_file=None)

    chat_deployment: str = Field(
        "gpt-4o-mini", validation_alias=AliasChoices("AI_ChatDeploymentName", "chat_deployment")
    )
    realtime_deployment: str = Field(
        "gpt-4o-mini-realtime-preview",
        validation_alias=AliasChoices("AI_RealtimeDeploymentName", "realtime_deployment"),
    )
    embeddings_deployment: str = Field(
        "text-embedding-ada-002",
        validation_alias=AliasChoices("AI_embeddingsDeploymentName", "embeddings_deployment"),
    )
    azure_openai_endpoint: str | None = Field(
        None, validation_alias=AliasChoices("AZURE_OPENAI_ENDPOINT", "azure_openai_endpoint")
    )
    azure_openai_api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("AZURE_OPENAI_API_KEY", "azure_openai_api_key")
    )
    openai_connection_string: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("ConnectionStrings__openai", "openai_connection_string"),
    )
    azure_openai_api_version: str = Field(
        "2024-10-21",
        validation_alias=AliasChoices("AZURE_OPENAI_API_VERSION", "azure_openai_api_version"),
    )
    openai_timeout_s: float = Field(
        30.0, gt=0, validation_alias=AliasChoices("AZURE_OPENAI_TIMEOUT_S", "openai_timeout_s")
    )
    applicationinsights_connection_string: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices(
            "APPLICATIONINSIGHTS_CONNECTION_STRING", "applicationinsights_connection_string"
        ),
    )
    otel_exporter_otlp_endpoint: str | None = Field(
        None,
        validation_alias=AliasChoices("OTEL_EXPORTER_OTLP_ENDPOINT", "otel_exporter_otlp_endpoint"),
    )
    log_level: str = Field("INFO", validation_alias=AliasChoices("LOG_LEVEL", "log_level"))

    @field_validator("azure_openai_api_key", "openai_connection_string", mode="after")
    @classmethod
    def _refuse_placeholders(cls, value: SecretStr | None) -> SecretStr | None:
        return real_secret(value)

    @field_validator("openai_connection_string", mode="after")
    @classmethod
    def _connection_string_has_endpoint(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        if "endpoint" not in parse_connection_string(value.get_secret_value()):
            raise ValueError("has no Endpoint=...")
        return value

    def openai_endpoint(self) -> OpenAIEndpoint | None:
        """The Azure OpenAI endpoint and key: explicit variables win over the connection string."""
        url, key = self.azure_openai_endpoint, self.azure_openai_api_key
        if self.openai_connection_string is not None:
            parts = parse_connection_string(self.openai_connection_string.get_secret_value())
            url = url or parts.get("endpoint")
            if key is None and parts.get("key"):
                key = SecretStr(parts["key"])
        if not url:
            return None
        return OpenAIEndpoint(url=url.rstrip("/"), api_key=key)

"""The one place that builds the `openai` client: Azure with an api key, or Entra ID tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openai import AsyncAzureOpenAI

from shared.settings import ServiceSettings

if TYPE_CHECKING:
    import httpx2
    from azure.core.credentials_async import AsyncTokenCredential

__all__ = ["COGNITIVE_SERVICES_SCOPE", "ConfigurationError", "create_openai_client"]

COGNITIVE_SERVICES_SCOPE = "https://cognitiveservices.azure.com/.default"


class ConfigurationError(RuntimeError):
    """The service is missing configuration it cannot run without."""


def create_openai_client(
    settings: ServiceSettings,
    *,
    credential: AsyncTokenCredential | None = None,
    max_retries: int = 0,
    http_client: httpx2.AsyncClient | None = None,
) -> AsyncAzureOpenAI:
    """An `AsyncAzureOpenAI` for the configured endpoint.

    With no api key, bearer tokens come from `credential` (azure-identity's async
    `DefaultAzureCredential` unless one is given); the token provider caches each token and
    fetches a new one shortly before it expires.
    """
    endpoint = settings.openai_endpoint()
    if endpoint is None:
        raise ConfigurationError(
            "no Azure OpenAI endpoint: set AZURE_OPENAI_ENDPOINT or ConnectionStrings__openai"
        )
    if endpoint.api_key is not None:
        return AsyncAzureOpenAI(
            azure_endpoint=endpoint.url,
            api_version=settings.azure_openai_api_version,
            api_key=endpoint.api_key.get_secret_value(),
            timeout=settings.openai_timeout_s,
            max_retries=max_retries,
            http_client=http_client,
        )

    from azure.identity.aio import DefaultAzureCredential, get_bearer_token_provider

    token_credential = credential or DefaultAzureCredential()
    provider = get_bearer_token_provider(token_credential, COGNITIVE_SERVICES_SCOPE)
    return AsyncAzureOpenAI(
        azure_endpoint=endpoint.url,
        api_version=settings.azure_openai_api_version,
        azure_ad_token_provider=provider,
        timeout=settings.openai_timeout_s,
        max_retries=max_retries,
        http_client=http_client,
    )

import json
import time
from typing import Any

import httpx2
import pytest
from azure.core.credentials import AccessToken

from shared.openai_client import COGNITIVE_SERVICES_SCOPE, ConfigurationError, create_openai_client
from shared.settings import ServiceSettings

EMBEDDING_BODY = {
    "object": "list",
    "data": [{"object": "embedding", "index": 0, "embedding": [0.5, 0.5]}],
    "model": "m",
    "usage": {"prompt_tokens": 1, "total_tokens": 1},
}


class FakeCredential:
    """An async token credential that counts requests and issues short-lived tokens."""

    def __init__(self, lifetime_s: int) -> None:
        self.lifetime_s = lifetime_s
        self.scopes: list[tuple[str, ...]] = []

    async def get_token(self, *scopes: str, **_: Any) -> AccessToken:
        self.scopes.append(scopes)
        return AccessToken(f"token-{len(self.scopes)}", int(time.time()) + self.lifetime_s)

    async def close(self) -> None:
        pass

    async def __aenter__(self) -> "FakeCredential":
        return self

    async def __aexit__(self, *args: object) -> None:
        pass


def recording_client() -> tuple[httpx2.AsyncClient, list[httpx2.Request]]:
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, json=EMBEDDING_BODY)

    return httpx2.AsyncClient(transport=httpx2.MockTransport(handler)), seen


async def test_api_key_goes_in_the_api_key_header() -> None:
    http, seen = recording_client()
    settings = ServiceSettings(azure_openai_endpoint="https://res.example", azure_openai_api_key="k-123456")
    client = create_openai_client(settings, http_client=http)
    await client.embeddings.create(model="emb", input=["x"], encoding_format="float")
    request = seen[0]
    assert request.headers["api-key"] == "k-123456"
    assert "authorization" not in request.headers
    assert request.url.path == "/openai/deployments/emb/embeddings"
    assert request.url.params["api-version"] == settings.azure_openai_api_version
    assert json.loads(request.content)["input"] == ["x"]


async def test_without_key_entra_tokens_are_used_and_cached() -> None:
    http, seen = recording_client()
    credential = FakeCredential(lifetime_s=3600)
    client = create_openai_client(
        ServiceSettings(azure_openai_endpoint="https://res.example"), credential=credential, http_client=http
    )
    for _ in range(3):
        await client.embeddings.create(model="emb", input=["x"], encoding_format="float")
    assert [r.headers["authorization"] for r in seen] == ["Bearer token-1"] * 3
    assert credential.scopes == [(COGNITIVE_SERVICES_SCOPE,)]
    assert "api-key" not in seen[0].headers


async def test_tokens_near_expiry_are_refreshed_before_use() -> None:
    http, seen = recording_client()
    credential = FakeCredential(lifetime_s=60)
    client = create_openai_client(
        ServiceSettings(azure_openai_endpoint="https://res.example"), credential=credential, http_client=http
    )
    await client.embeddings.create(model="emb", input=["x"], encoding_format="float")
    await client.embeddings.create(model="emb", input=["x"], encoding_format="float")
    assert [r.headers["authorization"] for r in seen] == ["Bearer token-1", "Bearer token-2"]


def test_missing_endpoint_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AZURE_OPENAI_ENDPOINT", raising=False)
    monkeypatch.delenv("ConnectionStrings__openai", raising=False)
    with pytest.raises(ConfigurationError, match="AZURE_OPENAI_ENDPOINT"):
        create_openai_client(ServiceSettings())

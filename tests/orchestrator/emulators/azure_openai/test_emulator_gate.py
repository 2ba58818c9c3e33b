"""Keys, fault switches and the ops endpoints of the emulator, over real HTTP."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import openai
import pytest
from openai import AsyncAzureOpenAI

from orchestrator.emulators.azure_openai.app import create_app
from orchestrator.emulators.azure_openai.embedder import LocalEmbedder
from orchestrator.emulators.azure_openai.settings import EmulatorSettings

EMBEDDINGS = "text-embedding-ada-002"
KEY = "emulator-test-key-5f1c"
EMBED_PATH = f"/openai/deployments/{EMBEDDINGS}/embeddings"
API_VERSION = {"api-version": "2024-10-21"}

MakeClient = Callable[..., AsyncAzureOpenAI]


async def _embed(client: AsyncAzureOpenAI) -> None:
    await client.embeddings.create(model=EMBEDDINGS, input="tent")


async def test_wrong_key_is_refused_when_a_key_is_set(serve: Any, make_client: MakeClient) -> None:
    url = serve(api_key=KEY)

    with pytest.raises(openai.AuthenticationError) as caught:
        await _embed(make_client(url, api_key="not-the-key"))
    assert caught.value.code == "401"
    assert "Access denied due to invalid subscription key" in caught.value.message

    await _embed(make_client(url, api_key=KEY))
    await _embed(make_client(url, azure_ad_token=KEY))


async def test_key_in_query_or_bearer_header_is_accepted(serve: Any) -> None:
    url = serve(api_key=KEY)
    async with httpx.AsyncClient(base_url=url) as http:
        no_key = await http.post(EMBED_PATH, params=API_VERSION, json={"input": "tent"})
        in_query = await http.post(EMBED_PATH, params={**API_VERSION, "api-key": KEY}, json={"input": "tent"})
        bearer = await http.post(
            EMBED_PATH,
            params=API_VERSION,
            json={"input": "tent"},
            headers={"Authorization": f"Bearer {KEY}"},
        )
        health = await http.get("/health")

    assert no_key.status_code == 401
    assert in_query.status_code == 200
    assert bearer.status_code == 200
    assert health.status_code == 200


async def test_any_key_or_none_is_accepted_when_no_key_is_set(
    emulator_url: str, make_client: MakeClient
) -> None:
    await _embed(make_client(emulator_url, api_key="whatever-key"))
    async with httpx.AsyncClient(base_url=emulator_url) as http:
        response = await http.post(EMBED_PATH, params=API_VERSION, json={"input": "tent"})
    assert response.status_code == 200
    assert response.headers["x-request-id"]


async def test_rate_limit_fault_gives_429_with_retry_after(serve: Any, make_client: MakeClient) -> None:
    client = make_client(serve(fault_rate_limit_every=2, fault_retry_after_s=2))

    await _embed(client)
    with pytest.raises(openai.RateLimitError) as caught:
        await _embed(client)
    await _embed(client)

    assert caught.value.code == "429"
    assert caught.value.response.headers["retry-after"] == "2"
    assert caught.value.response.headers["retry-after-ms"] == "2000"
    assert "retry after 2 seconds" in caught.value.message


async def test_latency_fault_delays_each_request(serve: Any, make_client: MakeClient) -> None:
    client = make_client(serve(fault_latency_ms=300))
    await _embed(client)

    started = time.perf_counter()
    await _embed(client)
    assert time.perf_counter() - started >= 0.3


async def test_error_fault_gives_500(serve: Any, make_client: MakeClient) -> None:
    client = make_client(serve(fault_error_rate_every=1))

    with pytest.raises(openai.InternalServerError) as caught:
        await _embed(client)
    assert caught.value.type == "server_error"
    assert caught.value.status_code == 500


async def test_ops_endpoints_skip_faults_and_keys(serve: Any) -> None:
    url = serve(api_key=KEY, fault_error_rate_every=1, fault_latency_ms=2000)
    async with httpx.AsyncClient(base_url=url, timeout=1.0) as http:
        health = await http.get("/health")
        ready = await http.get("/ready")

    assert health.status_code == 200
    assert health.json()["service"] == "azure-openai-emulator"
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"embedder": "ok", "voice models": "ok"}


async def test_ready_is_503_before_startup(emulator_embedder: LocalEmbedder) -> None:
    app = create_app(EmulatorSettings(api_key=None), embedder=emulator_embedder)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as http:
        response = await http.get("/ready")

    assert response.status_code == 503
    assert response.json()["checks"]["startup"] == "starting"

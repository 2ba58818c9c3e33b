"""The embedder's batching, ordering, concurrency limit and retries (Retry-After honoured)."""

import asyncio
import json
import time

import httpx2
import numpy as np
import pytest
from openai import AsyncAzureOpenAI

from products_service.embedding import Embedder
from products_service.errors import UpstreamUnavailable


def client_with(handler) -> AsyncAzureOpenAI:  # type: ignore[no-untyped-def]
    return AsyncAzureOpenAI(
        azure_endpoint="http://aoai",
        api_key="k",
        api_version="2024-10-21",
        max_retries=0,
        http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(handler)),
    )


def embeddings_for(texts: list[str]) -> dict:
    return {
        "object": "list",
        "model": "m",
        "usage": {"prompt_tokens": 1, "total_tokens": 1},
        "data": [
            {"object": "embedding", "index": i, "embedding": [float(len(t)), 1.0, 0.0]}
            for i, t in reversed(list(enumerate(texts)))
        ],
    }


async def test_batches_keep_order_and_respect_concurrency() -> None:
    in_flight, peak, sizes = 0, 0, []

    async def handler(request: httpx2.Request) -> httpx2.Response:
        nonlocal in_flight, peak
        texts = json.loads(request.content)["input"]
        sizes.append(len(texts))
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.02)
        in_flight -= 1
        return httpx2.Response(200, json=embeddings_for(texts))

    embedder = Embedder(client_with(handler), "emb", batch_size=10, concurrency=2)
    texts = ["x" * n for n in range(1, 46)]
    done: list[int] = []
    vectors = await embedder.embed(texts, progress=done.append)
    assert sorted(sizes) == [5, 10, 10, 10, 10]
    assert peak == 2
    assert sum(done) == 45
    expected = np.array([[n, 1.0, 0.0] for n in range(1, 46)], dtype=np.float32)
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    np.testing.assert_allclose(vectors, expected, rtol=1e-6)
    assert embedder.embedded_count == 45


async def test_rate_limits_are_retried_after_the_server_says() -> None:
    answers = [
        httpx2.Response(
            429, headers={"retry-after": "0.3"}, json={"error": {"code": "429", "message": "slow"}}
        ),
        httpx2.Response(
            429, headers={"retry-after-ms": "100"}, json={"error": {"code": "429", "message": "s"}}
        ),
    ]
    calls: list[float] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        calls.append(time.monotonic())
        if answers:
            return answers.pop(0)
        return httpx2.Response(200, json=embeddings_for(json.loads(request.content)["input"]))

    vectors = await Embedder(client_with(handler), "emb").embed(["a", "b"])
    assert vectors.shape == (2, 3)
    assert len(calls) == 3
    assert calls[1] - calls[0] >= 0.29
    assert 0.09 <= calls[2] - calls[1] < 0.29


async def test_server_errors_give_up_with_a_clear_error() -> None:
    calls = 0

    def handler(request: httpx2.Request) -> httpx2.Response:
        nonlocal calls
        calls += 1
        return httpx2.Response(503, headers={"retry-after": "0"}, json={"error": {"message": "down"}})

    with pytest.raises(UpstreamUnavailable, match="failed after 3 attempts"):
        await Embedder(client_with(handler), "emb", max_retries=2).embed(["a"])
    assert calls == 3


async def test_client_errors_are_not_retried() -> None:
    calls = 0

    def handler(request: httpx2.Request) -> httpx2.Response:
        nonlocal calls
        calls += 1
        return httpx2.Response(404, json={"error": {"code": "DeploymentNotFound", "message": "no such"}})

    with pytest.raises(UpstreamUnavailable, match="refused"):
        await Embedder(client_with(handler), "emb").embed(["a"])
    assert calls == 1


async def test_emulator_rate_limit_fault_is_survived(emulator_settings, local_embedder) -> None:  # type: ignore[no-untyped-def]
    from orchestrator.emulators.azure_openai.app import create_app
    from tests.conftest import openai_client_for

    settings = emulator_settings.model_copy(update={"fault_rate_limit_every": 2, "fault_retry_after_s": 0.1})
    app = create_app(settings, embedder=local_embedder)
    async with app.router.lifespan_context(app):
        embedder = Embedder(openai_client_for(app), "text-embedding-ada-002", batch_size=4)
        vectors = await embedder.embed([f"product {i}" for i in range(16)])
    assert vectors.shape == (16, 384)

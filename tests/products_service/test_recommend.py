"""Recommendations: ranked by the chat deployment, or a flagged semantic fallback."""

import json

import httpx
import httpx2
from fastapi import FastAPI
from openai import AsyncAzureOpenAI

from products_service.settings import ProductsSettings
from tests.conftest import running_products
from tests.products_service.test_products_api import seed


async def test_model_ranks_with_reasons(products_client: httpx.AsyncClient) -> None:
    await seed(products_client)
    response = await products_client.post(
        "/api/v1/recommendations", json={"need": "a waterproof jacket for hiking in heavy rain", "top_k": 2}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ranked_by"] == "model" and body["fallback_reason"] is None
    assert len(body["items"]) == 2
    assert {i["product"]["sku"] for i in body["items"]} == {"RAIN-0001", "RAIN-0002"}
    reasons = {i["product"]["sku"]: i["reason"] for i in body["items"]}
    assert all(r.endswith(".") and ". " not in r for r in reasons.values())
    assert "waterproof" in reasons["RAIN-0001"].lower()


async def test_filters_limit_the_candidates(products_client: httpx.AsyncClient) -> None:
    await seed(products_client)
    body = (
        await products_client.post(
            "/api/v1/recommendations",
            json={"need": "a jacket for rain", "top_k": 3, "filters": {"category": "Sleeping Bags"}},
        )
    ).json()
    assert {i["product"]["category"] for i in body["items"]} == {"Sleeping Bags"}


def chat_failing(emulator: FastAPI, answer: httpx2.Response | None) -> AsyncAzureOpenAI:
    """Embeddings from the emulator; chat completions answered by `answer` (None: a network error)."""
    inner = httpx2.ASGITransport(app=emulator)

    class Transport(httpx2.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
            if request.url.path.endswith("/chat/completions"):
                if answer is None:
                    raise httpx2.ConnectError("boom", request=request)
                return answer
            return await inner.handle_async_request(request)

    http = httpx2.AsyncClient(transport=Transport(), base_url="http://emulator")
    return AsyncAzureOpenAI(
        azure_endpoint="http://emulator",
        api_key="k",
        api_version="2024-10-21",
        http_client=http,
        max_retries=0,
    )


def completion(content: str) -> httpx2.Response:
    return httpx2.Response(
        200,
        json={
            "id": "c",
            "object": "chat.completion",
            "created": 0,
            "model": "m",
            "choices": [
                {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}
            ],
        },
    )


async def test_fallback_is_flagged_when_the_model_fails(
    products_settings: ProductsSettings, emulator_app: FastAPI
) -> None:
    cases = {
        "down": None,
        "server error": httpx2.Response(500, json={"error": {"code": "server_error", "message": "x"}}),
        "not json": completion("I think the tent."),
        "invented id": completion(json.dumps({"picks": [{"id": 999, "reason": "Made up."}]})),
    }
    for label, answer in cases.items():
        settings = products_settings.model_copy(update={"data_dir": products_settings.data_dir / label})
        async with running_products(settings, chat_failing(emulator_app, answer)) as client:
            await seed(client)
            need = "a warm sleeping bag for winter"
            body = (await client.post("/api/v1/recommendations", json={"need": need, "top_k": 2})).json()
            plain = (
                await client.post("/api/v1/search", json={"query": need, "mode": "semantic", "top_k": 2})
            ).json()
        assert body["ranked_by"] == "semantic", label
        assert body["fallback_reason"], label
        assert [i["product"]["sku"] for i in body["items"]] == [i["product"]["sku"] for i in plain["items"]]
        assert {i["product"]["category"] for i in body["items"]} == {"Sleeping Bags"}, label


async def test_fallback_when_the_model_is_too_slow(
    products_settings: ProductsSettings, emulator_app: FastAPI
) -> None:
    import asyncio

    inner = httpx2.ASGITransport(app=emulator_app)

    class Slow(httpx2.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
            if request.url.path.endswith("/chat/completions"):
                await asyncio.sleep(5)
            return await inner.handle_async_request(request)

    client = AsyncAzureOpenAI(
        azure_endpoint="http://emulator",
        api_key="k",
        api_version="2024-10-21",
        http_client=httpx2.AsyncClient(transport=Slow()),
        max_retries=0,
    )
    settings = products_settings.model_copy(update={"recommend_timeout_s": 0.3})
    async with running_products(settings, client) as http:
        await seed(http)
        body = (await http.post("/api/v1/recommendations", json={"need": "rain jacket", "top_k": 1})).json()
    assert body["ranked_by"] == "semantic"
    assert "did not answer in 0.3s" in body["fallback_reason"]

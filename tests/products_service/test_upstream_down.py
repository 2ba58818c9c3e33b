"""When the embeddings deployment fails, writes are refused whole and searches say what happened."""

import httpx2
from openai import AsyncAzureOpenAI

from products_service.settings import ProductsSettings
from tests.conftest import SMALL_CATALOG, product, running_products


def failing_client(fail: dict[str, bool], emulator) -> AsyncAzureOpenAI:  # type: ignore[no-untyped-def]
    inner = httpx2.ASGITransport(app=emulator)

    class Transport(httpx2.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
            if fail["on"]:
                return httpx2.Response(503, json={"error": {"code": "server_error", "message": "down"}})
            return await inner.handle_async_request(request)

    return AsyncAzureOpenAI(
        azure_endpoint="http://emulator",
        api_key="k",
        api_version="2024-10-21",
        max_retries=0,
        http_client=httpx2.AsyncClient(transport=Transport()),
    )


async def test_embedding_outage(products_settings: ProductsSettings, emulator_app) -> None:  # type: ignore[no-untyped-def]
    fail = {"on": False}
    settings = products_settings.model_copy(update={"embed_max_retries": 1, "embed_max_backoff_s": 0.05})
    async with running_products(settings, failing_client(fail, emulator_app)) as client:
        assert (await client.post("/api/v1/admin/import", json=SMALL_CATALOG[:4])).status_code == 200
        fail["on"] = True

        refused = await client.post("/api/v1/admin/import", json=SMALL_CATALOG)
        assert refused.status_code == 503
        assert refused.json()["code"] == "upstream_unavailable"
        assert "failed after 2 attempts" in refused.json()["detail"]
        assert (await client.get("/api/v1/products")).json()["total"] == 4, (
            "nothing of the import was written"
        )

        created = await client.post(
            "/api/v1/products", json=product("NEW-1", "Mug", "Camp Kitchen", "A mug.")
        )
        assert created.status_code == 503
        first = (await client.get("/api/v1/products")).json()["items"][0]
        edit = await client.patch(f"/api/v1/products/{first['id']}", json={"description": "Changed."})
        assert edit.status_code == 503
        unchanged = (await client.get(f"/api/v1/products/{first['id']}")).json()
        assert unchanged["description"] == first["description"]

        semantic = await client.post("/api/v1/search", json={"query": "rain", "mode": "semantic"})
        assert semantic.status_code == 503
        hybrid = await client.post("/api/v1/search", json={"query": "rain shell", "mode": "hybrid"})
        assert hybrid.status_code == 200
        assert hybrid.json()["notice"].startswith("semantic search unavailable, keyword results only")
        assert hybrid.json()["items"][0]["product"]["sku"] == "RAIN-0001"
        stock_only = await client.patch(f"/api/v1/products/{first['id']}", json={"stock": 99})
        assert stock_only.status_code == 200, "a change that leaves the text alone needs no embedding"

        fail["on"] = False
        assert (await client.post("/api/v1/admin/import", json=SMALL_CATALOG)).status_code == 200
        assert (await client.get("/api/v1/products")).json()["total"] == 8

"""After any restart, the vector index and the database agree."""

import json
from pathlib import Path

import httpx
from openai import AsyncAzureOpenAI

from products_service.settings import ProductsSettings
from tests.conftest import SMALL_CATALOG, product, running_products


async def semantic_top(client: httpx.AsyncClient, query: str) -> str:
    body = (await client.post("/api/v1/search", json={"query": query, "mode": "semantic", "top_k": 1})).json()
    return body["items"][0]["product"]["sku"]


def meta(settings: ProductsSettings) -> dict:
    return json.loads((settings.index_dir / "meta.json").read_text())


async def test_clean_restart_loads_the_saved_index(
    products_settings: ProductsSettings, openai_client: AsyncAzureOpenAI
) -> None:
    async with running_products(products_settings, openai_client) as client:
        await client.post("/api/v1/admin/import", json=SMALL_CATALOG)
    saved = meta(products_settings)
    assert saved["count"] == 8 and saved["dimension"] == 384
    async with running_products(products_settings, openai_client) as client:
        stats = (await client.get("/api/v1/stats")).json()
        assert stats["embeddings_computed"] == 0, "nothing is re-embedded on a clean restart"
        assert stats["index_size"] == 8
        assert await semantic_top(client, "cold night sleeping bag") == "BAG-0001"


async def test_a_write_the_index_file_missed_is_recovered(
    products_settings: ProductsSettings, openai_client: AsyncAzureOpenAI
) -> None:
    async with running_products(products_settings, openai_client) as client:
        await client.post("/api/v1/admin/import", json=SMALL_CATALOG)
    stale = products_settings.index_dir / "stale"
    stale.mkdir()
    for name in ("vectors.faiss", "labels.npy", "meta.json"):
        (stale / name).write_bytes((products_settings.index_dir / name).read_bytes())
    async with running_products(products_settings, openai_client) as client:
        canoe = product(
            "CANOE-1", "Riverrun Canoe", "Kayaks & Paddling", "A canoe for paddling on calm lakes."
        )
        assert (await client.post("/api/v1/products", json=canoe)).status_code == 201
    for name in ("vectors.faiss", "labels.npy", "meta.json"):  # as if the process died before saving
        (products_settings.index_dir / name).write_bytes((stale / name).read_bytes())
    async with running_products(products_settings, openai_client) as client:
        stats = (await client.get("/api/v1/stats")).json()
        assert stats["index_size"] == 9 and stats["embeddings_computed"] == 0
        assert await semantic_top(client, "a boat to paddle across a lake") == "CANOE-1"


async def test_damaged_index_and_lost_embeddings_are_rebuilt(
    products_settings: ProductsSettings, openai_client: AsyncAzureOpenAI
) -> None:
    async with running_products(products_settings, openai_client) as client:
        await client.post("/api/v1/admin/import", json=SMALL_CATALOG)
    (products_settings.index_dir / "vectors.faiss").write_bytes(b"garbage")
    import sqlite3

    db = sqlite3.connect(Path(products_settings.data_dir) / "products.db")
    db.execute(
        "DELETE FROM product_embeddings WHERE product_id IN (SELECT id FROM products WHERE sku='LAMP-0001')"
    )
    db.commit()
    db.close()
    async with running_products(products_settings, openai_client) as client:
        stats = (await client.get("/api/v1/stats")).json()
        assert stats["index_size"] == 8
        assert stats["embeddings_computed"] == 1
        assert await semantic_top(client, "bright light to wear on my head") == "LAMP-0001"


async def test_changing_the_embedding_model_re_embeds_everything(
    products_settings: ProductsSettings, openai_client: AsyncAzureOpenAI, emulator_settings
) -> None:  # type: ignore[no-untyped-def]
    async with running_products(products_settings, openai_client) as client:
        await client.post("/api/v1/admin/import", json=SMALL_CATALOG)
    moved = products_settings.model_copy(update={"azure_openai_endpoint": "http://other-endpoint"})
    async with running_products(moved, openai_client) as client:
        stats = (await client.get("/api/v1/stats")).json()
        assert stats["embeddings_computed"] == 8
        assert stats["embedding_model"] == "text-embedding-ada-002@other-endpoint"

"""The same catalog on PostgreSQL (asyncpg): import, search, edit and restart."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from openai import AsyncAzureOpenAI

from products_service.settings import ProductsSettings
from tests.conftest import SMALL_CATALOG, running_products

PG_DSN = os.environ.get("TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/test")

pytestmark = pytest.mark.postgres


@pytest.fixture
async def pg_database() -> AsyncIterator[str]:
    try:
        admin = await asyncpg.connect(PG_DSN, timeout=3)
    except (OSError, asyncpg.PostgresError) as exc:
        pytest.skip(f"no PostgreSQL answers at {PG_DSN}: {exc}")
    name = f"voice_store_test_{uuid.uuid4().hex[:8]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        base = PG_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
        yield f"{base}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def test_catalog_on_postgres(
    pg_database: str, products_settings: ProductsSettings, openai_client: AsyncAzureOpenAI
) -> None:
    settings = products_settings.model_copy(update={"database_url": pg_database})
    async with running_products(settings, openai_client) as client:
        ready = await client.get("/ready")
        assert ready.status_code == 200, ready.text
        report = (await client.post("/api/v1/admin/import", json=SMALL_CATALOG)).json()
        assert report["created"] == 8
        bad = await client.post("/api/v1/admin/import", json=[SMALL_CATALOG[0], {"sku": "x"}])
        assert bad.status_code == 422
        cheap = (await client.get("/api/v1/products", params={"max_price": "60.00"})).json()
        assert cheap["total"] == 3
        pid = cheap["items"][0]["id"]
        patched = await client.patch(f"/api/v1/products/{pid}", json={"price": "12.34", "stock": 0})
        assert patched.json()["price"] == "12.34" and patched.json()["in_stock"] is False
        found = (
            await client.post("/api/v1/search", json={"query": "warm winter sleeping bag", "mode": "hybrid"})
        ).json()
        assert found["items"][0]["product"]["sku"] == "BAG-0001"
    async with running_products(settings, openai_client) as client:
        stats = (await client.get("/api/v1/stats")).json()
        assert stats["products"] == 8 and stats["index_size"] == 8 and stats["embeddings_computed"] == 0
        assert (await client.get(f"/api/v1/products/{pid}")).json()["price"] == "12.34"

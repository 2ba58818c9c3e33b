"""Search modes, filters and the default catalog's semantic reach."""

import json

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from products_service.settings import DEFAULT_CATALOG, ProductsSettings
from tests.products_service.test_products_api import seed


async def search(client: httpx.AsyncClient, **body: object) -> dict:
    response = await client.post("/api/v1/search", json=body)
    assert response.status_code == 200, response.text
    return response.json()


async def test_modes_rank_sensibly(products_client: httpx.AsyncClient) -> None:
    await seed(products_client)
    semantic = await search(products_client, query="something warm for sleeping in the snow", mode="semantic")
    assert semantic["items"][0]["product"]["sku"] == "BAG-0001"
    assert semantic["items"][0]["semantic_rank"] == 1
    keyword = await search(products_client, query="headlamp lumens", mode="keyword")
    assert keyword["items"][0]["product"]["sku"] == "LAMP-0001"
    assert keyword["items"][0]["keyword_rank"] == 1
    hybrid = await search(products_client, query="waterproof hiking boots", mode="hybrid", top_k=3)
    assert hybrid["items"][0]["product"]["sku"] == "BOOT-0001"
    scores = [i["score"] for i in hybrid["items"]]
    assert scores == sorted(scores, reverse=True) and scores[0] <= 2 / 61


async def test_filters_apply_to_every_mode(products_client: httpx.AsyncClient) -> None:
    await seed(products_client)
    for mode in ("semantic", "keyword", "hybrid"):
        result = await search(
            products_client,
            query="rain jacket",
            mode=mode,
            top_k=5,
            filters={"category": "Rain Jackets", "in_stock": True, "max_price": "200"},
        )
        assert [i["product"]["sku"] for i in result["items"]] == ["RAIN-0001"], mode
        priced = await search(
            products_client, query="gear", mode=mode, top_k=50, filters={"min_price": "150"}
        )
        assert all(float(i["product"]["price"]) >= 150 for i in priced["items"])


@pytest.fixture
async def full_catalog(products_client: httpx.AsyncClient) -> httpx.AsyncClient:
    rows = json.loads(DEFAULT_CATALOG.read_text())
    response = await products_client.post("/api/v1/admin/import", json=rows, timeout=120)
    assert response.status_code == 200, response.text[:500]
    return products_client


async def test_default_catalog_semantic_search_finds_what_keywords_miss(
    full_catalog: httpx.AsyncClient,
) -> None:
    query = "something to keep me dry on a trek"
    semantic = await search(full_catalog, query=query, mode="semantic", top_k=5)
    categories = [i["product"]["category"] for i in semantic["items"]]
    assert categories[0] == "Rain Jackets", categories
    assert categories.count("Rain Jackets") >= 3
    keyword = await search(full_catalog, query=query, mode="keyword", top_k=5)
    assert "Rain Jackets" not in [i["product"]["category"] for i in keyword["items"][:1]]
    hybrid = await search(full_catalog, query=query, mode="hybrid", top_k=5)
    assert hybrid["items"][0]["product"]["category"] == "Rain Jackets"
    warm = await search(full_catalog, query="a warm bag for winter camping", mode="semantic", top_k=3)
    assert all(i["product"]["category"] == "Sleeping Bags" for i in warm["items"])


async def test_prices_and_stock_come_from_the_database_not_a_stale_copy(
    products_client: httpx.AsyncClient, products_settings: ProductsSettings
) -> None:
    """Another replica (here: a plain SQL update) changed a product: search answers with the new values."""
    await seed(products_client)
    engine = create_async_engine(products_settings.effective_database_url)
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE products SET stock = 0, price = 9.50 WHERE sku = 'BOOT-0001'"))
    await engine.dispose()
    result = await search(products_client, query="waterproof hiking boots", mode="hybrid", top_k=3)
    boot = next(i["product"] for i in result["items"] if i["product"]["sku"] == "BOOT-0001")
    assert (boot["price"], boot["stock"], boot["in_stock"]) == ("9.50", 0, False)
    in_stock = await search(
        products_client, query="waterproof hiking boots", mode="hybrid", top_k=3, filters={"in_stock": True}
    )
    assert "BOOT-0001" not in [i["product"]["sku"] for i in in_stock["items"]]

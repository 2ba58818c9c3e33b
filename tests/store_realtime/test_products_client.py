"""ProductsClient against the real products app (emulator embeddings), and against failing transports."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from decimal import Decimal

import httpx
import pytest
from openai import AsyncAzureOpenAI

from products_service.settings import ProductsSettings
from store_realtime.products_client import (
    ProductCard,
    ProductNotFound,
    ProductsClient,
    ProductsRejected,
    ProductsTimeout,
    ProductsUnavailable,
)
from tests.conftest import SMALL_CATALOG, running_products


@pytest.fixture
async def catalog(
    products_settings: ProductsSettings, openai_client: AsyncAzureOpenAI
) -> AsyncIterator[tuple[ProductsClient, dict[str, int]]]:
    """A client into the seeded products app, and the catalog ids by sku."""
    running = running_products(products_settings, openai_client)
    async with running as staff:
        report = await staff.post("/api/v1/admin/import", json=SMALL_CATALOG)
        assert report.status_code == 200, report.text
        listing = (await staff.get("/api/v1/products", params={"limit": 50})).json()
        ids = {p["sku"]: p["id"] for p in listing["items"]}
        transport = httpx.ASGITransport(app=running.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://products") as http:
            yield ProductsClient("http://products/", http=http), ids


def client_answering(handler: object, *, timeout_s: float = 5.0) -> ProductsClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))  # type: ignore[arg-type]
    return ProductsClient("http://products", http=http, timeout_s=timeout_s)


async def test_search_returns_cards_with_exact_prices(catalog: tuple[ProductsClient, dict[str, int]]) -> None:
    client, ids = catalog
    cards = await client.search("waterproof rain shell for hiking")
    assert 1 <= len(cards) <= 5
    first = cards[0]
    assert isinstance(first, ProductCard)
    assert first.sku == "RAIN-0001" and first.id == ids["RAIN-0001"]
    assert first.price == Decimal("189.00") and isinstance(first.price, Decimal)
    assert (first.currency, first.category, first.brand) == ("USD", "Rain Jackets", "Northwind Gear")
    assert first.stock == 10 and first.in_stock is True and first.reason is None
    assert first.attributes == {"waterproof_rating_mm": 20000}
    public = first.public()
    assert public["price"] == "189.00" and public["id"] == first.id
    assert json.loads(json.dumps(public)) == public


async def test_search_filters_are_honoured(catalog: tuple[ProductsClient, dict[str, int]]) -> None:
    client, _ = catalog
    cheap = await client.search("sleeping bag", max_price=100, top_k=10)
    assert cheap and all(c.price <= 100 for c in cheap)
    assert "BAG-0002" in {c.sku for c in cheap} and "BAG-0001" not in {c.sku for c in cheap}
    bags = await client.search("something warm", category="sleeping bags", top_k=10)
    assert {c.sku for c in bags} == {"BAG-0001", "BAG-0002"}
    pricey = await client.search("jacket", min_price=Decimal("100.001"), in_stock=True, top_k=10)
    assert pricey and all(c.price >= Decimal("100.01") and c.in_stock for c in pricey)


async def test_recommend_gives_reasons(catalog: tuple[ProductsClient, dict[str, int]]) -> None:
    client, _ = catalog
    result = await client.recommend(
        "staying warm on a freezing winter night outdoors", max_price=400, top_k=2
    )
    assert result.ranked_by in {"model", "semantic"}
    assert 1 <= len(result.products) <= 2
    assert all(p.reason and p.price <= 400 for p in result.products)
    assert "BAG-0001" in {p.sku for p in result.products}
    assert result.products[0].public()["reason"] == result.products[0].reason


async def test_get_one_product_and_missing_ones(catalog: tuple[ProductsClient, dict[str, int]]) -> None:
    client, ids = catalog
    tent = await client.get(ids["TENT-0001"])
    assert tent.name == "Ridgeline 2P Tent" and tent.price == Decimal("299.00")
    assert tent.attributes == {"persons": 2}
    for missing in (999_999, 0, -3, 2**40):
        with pytest.raises(ProductNotFound) as caught:
            await client.get(missing)
        assert caught.value.product_id == missing


async def test_unreachable_service_is_unavailable() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(ProductsUnavailable, match="could not be reached: connection refused"):
        await client_answering(refuse).search("tents")


async def test_server_errors_carry_the_service_message() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        body = {"detail": "the embedding model could not be reached", "code": "upstream_unavailable"}
        return httpx.Response(503, json=body)

    with pytest.raises(ProductsUnavailable) as caught:
        await client_answering(down).recommend("winter camping")
    assert caught.value.status == 503 and "embedding model could not be reached" in caught.value.message
    assert not isinstance(caught.value, ProductsTimeout)


async def test_client_errors_are_rejections_and_foreign_404s_are_not_missing_products() -> None:
    def invalid(request: httpx.Request) -> httpx.Response:
        detail = [{"loc": ["body", "query"], "msg": "String should have at least 1 character"}]
        return httpx.Response(422, json={"detail": detail, "code": "invalid"})

    with pytest.raises(ProductsRejected, match="query: String should have at least 1 character"):
        await client_answering(invalid).search(" ")

    def elsewhere(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"detail": "Not Found"})

    with pytest.raises(ProductsUnavailable, match="answered 404"):
        await client_answering(elsewhere).get(5)


async def test_unreadable_answers_are_unavailable() -> None:
    def garbage(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/search"):
            return httpx.Response(200, text="<html>proxy error</html>")
        return httpx.Response(200, json={"id": "not a number"})

    client = client_answering(garbage)
    with pytest.raises(ProductsUnavailable, match="unreadable"):
        await client.search("tents")
    with pytest.raises(ProductsUnavailable, match="unexpected answer"):
        await client.get(1)


async def test_slow_service_times_out() -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return httpx.Response(200, json={"items": []})

    started = time.perf_counter()
    with pytest.raises(ProductsTimeout, match=r"within 0\.2 s"):
        await client_answering(slow, timeout_s=0.2).search("tents")
    assert time.perf_counter() - started < 1.5


async def test_request_body_and_price_rounding() -> None:
    seen: list[dict[str, object]] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append({"url": str(request.url), **json.loads(request.content)})
        return httpx.Response(200, json={"items": [], "ranked_by": "semantic"})

    client = client_answering(record)
    await client.search("tents", max_price=199.999, min_price=Decimal("10.001"), top_k=3)
    await client.recommend("camping", max_price=1e12)
    assert seen[0] == {
        "url": "http://products/api/v1/search",
        "query": "tents",
        "top_k": 3,
        "filters": {"max_price": "199.99", "min_price": "10.01"},
    }
    assert seen[1] == {
        "url": "http://products/api/v1/recommendations",
        "need": "camping",
        "top_k": 3,
        "filters": {},
    }

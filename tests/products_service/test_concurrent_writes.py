"""A write whose view of the catalog went stale before it committed re-embeds instead of leaving the
product's text and its vector apart."""

from typing import Any

import httpx

from products_service.catalog import Catalog
from products_service.embedding import content_hash, product_text
from products_service.schemas import ProductCreate, ProductUpdate
from tests.conftest import SMALL_CATALOG
from tests.products_service.test_products_api import seed


async def test_a_stale_view_of_the_catalog_is_detected_and_retried(
    products_client: httpx.AsyncClient,
) -> None:
    await seed(products_client)
    catalog: Catalog = products_client._transport.app.state.runtime.catalog  # type: ignore[attr-defined]
    row = ProductCreate.model_validate(SMALL_CATALOG[6])
    [product] = (
        await products_client.get("/api/v1/products", params={"category": "Headlamps & Lighting"})
    ).json()["items"]
    seen_before = await catalog._existing_by_sku([row.sku])

    await catalog.update(
        product["id"], ProductUpdate(description="A cast-iron skillet for campfire breakfasts.")
    )

    real = catalog._existing_by_sku
    calls: list[int] = []

    async def stale_first(skus: Any) -> Any:
        calls.append(1)
        return seen_before if len(calls) == 1 else await real(skus)

    catalog._existing_by_sku = stale_first  # type: ignore[method-assign]
    report, _ = await catalog.upsert_many([row])
    assert len(calls) == 2, "the first attempt was refused and the write tried again"
    assert report.embedded == 1

    assert catalog.indexes.content_hash(product["id"]) == content_hash(product_text(row.model_dump()))
    found = await products_client.post(
        "/api/v1/search",
        json={"query": "rechargeable headlamp red night mode", "mode": "semantic", "top_k": 1},
    )
    assert found.json()["items"][0]["product"]["id"] == product["id"]

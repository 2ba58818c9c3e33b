"""The eShopLite-compatible routes keep the original's shapes."""

import httpx

from tests.products_service.test_products_api import seed


async def test_legacy_crud_and_searches(products_client: httpx.AsyncClient) -> None:
    await seed(products_client)
    everything = (await products_client.get("/api/Product")).json()
    assert len(everything) == 8
    assert set(everything[0]) == {"id", "name", "description", "price", "imageUrl"}
    tent = next(p for p in everything if p["name"] == "Ridgeline 2P Tent")
    assert tent["imageUrl"] == "/images/products/TENT-0001.svg" or tent["imageUrl"] is None
    found = (await products_client.get("/api/Product/search/ridgeline")).json()
    assert found["response"] == "1 Products found for [ridgeline]"
    assert [p["id"] for p in found["products"]] == [tent["id"]]
    none = (await products_client.get("/api/Product/search/zzz")).json()
    assert none == {"response": "No products found for [zzz]", "products": []}
    ai = (await products_client.get("/api/aisearch/something to keep me dry in the rain")).json()
    assert len(ai["products"]) == 3
    assert {p["name"] for p in ai["products"][:2]} == {"Stormline Rain Shell", "Drizzle Packable Jacket"}

    updated = {**tent, "price": "279.00", "name": "Ridgeline 2P Tent (2025)"}
    response = await products_client.put(f"/api/Product/{tent['id']}", json=updated)
    assert response.status_code == 200 and response.json()["price"] == "279.00"
    created = await products_client.post(
        "/api/Product", json={"name": "Camp Kettle", "description": "A one-litre kettle.", "price": 25}
    )
    assert created.status_code == 201
    new_id = created.json()["id"]
    assert (await products_client.get(f"/api/v1/products/{new_id}")).json()["category"] == "Uncategorized"
    assert (await products_client.delete(f"/api/Product/{new_id}")).status_code == 200
    assert (await products_client.get(f"/api/Product/{new_id}")).status_code == 404

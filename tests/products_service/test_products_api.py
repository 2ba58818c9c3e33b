"""The catalog API through the real app, with the emulator as the embeddings endpoint."""

import httpx
import pytest

from tests.conftest import SMALL_CATALOG, product


async def seed(client: httpx.AsyncClient, rows: list[dict] = SMALL_CATALOG) -> dict:
    response = await client.post("/api/v1/admin/import", json=rows)
    assert response.status_code == 200, response.text
    return response.json()


async def test_import_then_list_get_and_filter(products_client: httpx.AsyncClient) -> None:
    report = await seed(products_client)
    assert report == {"created": 8, "updated": 0, "unchanged": 0, "deleted": 0, "embedded": 8, "total": 8}
    page = (await products_client.get("/api/v1/products", params={"limit": 3})).json()
    assert page["total"] == 8 and len(page["items"]) == 3 and page["items"][0]["sku"] == "RAIN-0001"
    first = page["items"][0]
    assert first["price"] == "189.00" and first["in_stock"] is True
    one = (await products_client.get(f"/api/v1/products/{first['id']}")).json()
    assert one["attributes"] == {"waterproof_rating_mm": 20000}
    cheap = (await products_client.get("/api/v1/products", params={"max_price": "60"})).json()
    assert {p["sku"] for p in cheap["items"]} == {"BAG-0002", "STOVE-0001", "LAMP-0001"}
    bags = (await products_client.get("/api/v1/products", params={"category": "sleeping bags"})).json()
    assert bags["total"] == 2
    out = (await products_client.get("/api/v1/products", params={"in_stock": "false"})).json()
    assert [p["sku"] for p in out["items"]] == ["RAIN-0002"]


async def test_reimport_is_an_upsert_that_embeds_only_changes(products_client: httpx.AsyncClient) -> None:
    await seed(products_client)
    rows = [dict(r) for r in SMALL_CATALOG]
    rows[0]["description"] = "Now with pit zips for venting on steep climbs, and still fully waterproof."
    rows[1]["stock"] = 5
    rows.append(product("NEW-0001", "Trail Mug", "Camp Kitchen", "A titanium mug."))
    report = await seed(products_client, rows)
    assert report == {"created": 1, "updated": 2, "unchanged": 6, "deleted": 0, "embedded": 2, "total": 9}


async def test_invalid_import_writes_nothing_and_names_rows(products_client: httpx.AsyncClient) -> None:
    await seed(products_client)
    rows = [product("OK-1", "Fine", "Tents", "Fine."), {"sku": "BAD 1", "name": ""}]
    response = await products_client.post("/api/v1/admin/import", json=rows)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "import_invalid"
    assert body["rows"][0]["row"] == 2 and body["rows"][0]["sku"] == "BAD 1"
    assert any(e.startswith("sku:") for e in body["rows"][0]["errors"])
    total = (await products_client.get("/api/v1/products")).json()["total"]
    assert total == 8


async def test_csv_import_and_replace(products_client: httpx.AsyncClient) -> None:
    await seed(products_client)
    csv_text = (
        "sku,name,description,category,brand,price,stock,tags\n"
        "RAIN-0001,Stormline Rain Shell,A waterproof shell.,Rain Jackets,Northwind Gear,189.00,4,rain\n"
    )
    response = await products_client.post(
        "/api/v1/admin/import",
        params={"replace": "true"},
        content=csv_text,
        headers={"Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["deleted"] == 7
    listing = (await products_client.get("/api/v1/products")).json()
    assert [p["sku"] for p in listing["items"]] == ["RAIN-0001"]
    hits = (
        await products_client.post("/api/v1/search", json={"query": "sleeping bag", "mode": "keyword"})
    ).json()
    assert hits["items"] == []


async def test_created_product_is_searchable_at_once(products_client: httpx.AsyncClient) -> None:
    await seed(products_client)
    body = product(
        "CANOE-0001",
        "Riverrun Canoe",
        "Kayaks & Paddling",
        "A stable sixteen-foot canoe for lazy lake days and family paddles.",
        "1199.00",
    )
    created = await products_client.post("/api/v1/products", json=body)
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    hits = (
        await products_client.post(
            "/api/v1/search", json={"query": "boat for paddling on a lake", "mode": "semantic", "top_k": 1}
        )
    ).json()
    assert hits["items"][0]["product"]["id"] == pid
    patched = await products_client.patch(
        f"/api/v1/products/{pid}",
        json={"name": "Skyward Basket", "category": "Ballooning", "description": "A hot-air balloon basket."},
    )
    assert patched.status_code == 200
    hits = (
        await products_client.post(
            "/api/v1/search", json={"query": "boat for paddling on a lake", "mode": "semantic", "top_k": 1}
        )
    ).json()
    assert hits["items"][0]["product"]["id"] != pid
    assert (await products_client.delete(f"/api/v1/products/{pid}")).status_code == 204
    assert (await products_client.get(f"/api/v1/products/{pid}")).status_code == 404
    hits = (
        await products_client.post("/api/v1/search", json={"query": "hot-air balloon", "top_k": 10})
    ).json()
    assert pid not in {h["product"]["id"] for h in hits["items"]}


async def test_writes_need_the_staff_key(products_client: httpx.AsyncClient) -> None:
    body = product("X-1", "X", "Tents", "X.")
    for headers in ({"X-Staff-Key": ""}, {"X-Staff-Key": "wrong-key-wrong-key"}):
        response = await products_client.post("/api/v1/products", json=body, headers=headers)
        assert response.status_code == 401
        assert response.json()["code"] == "staff_key_required"
    response = await products_client.post(
        "/api/v1/admin/import", json=[body], headers={"X-Staff-Key": "nope"}
    )
    assert response.status_code == 401
    assert (await products_client.get("/api/v1/products", headers={"X-Staff-Key": ""})).status_code == 200


async def test_duplicate_sku_conflicts(products_client: httpx.AsyncClient) -> None:
    await seed(products_client)
    response = await products_client.post("/api/v1/products", json=SMALL_CATALOG[0])
    assert response.status_code == 409 and "RAIN-0001" in response.json()["detail"]
    first = (await products_client.get("/api/v1/products", params={"limit": 1})).json()["items"][0]
    renamed = await products_client.patch(f"/api/v1/products/{first['id']}", json={"sku": "RAIN-0002"})
    assert renamed.status_code == 422, "a sku is fixed once created"


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("post", "/api/v1/products", {"sku": "A"}, "name"),
        ("post", "/api/v1/products", product("A-1", "n", "c", "d", price="1.999"), "price"),
        ("post", "/api/v1/search", {"query": "x" * 1001}, "query"),
        ("post", "/api/v1/search", {"query": "tent", "mode": "psychic"}, "mode"),
        ("post", "/api/v1/search", {"query": "tent", "top_k": 0}, "top_k"),
        ("post", "/api/v1/recommendations", {"need": ""}, "need"),
        ("get", "/api/Product/search/" + "x" * 1001, None, "term"),
    ],
)
async def test_malformed_requests_are_422_naming_the_field(
    products_client: httpx.AsyncClient, method: str, path: str, body: dict | None, field: str
) -> None:
    response = await products_client.request(method, path, json=body)
    assert response.status_code == 422
    assert any(field in map(str, error["loc"]) for error in response.json()["detail"])


async def test_unknown_ids_are_404(products_client: httpx.AsyncClient) -> None:
    for method, path in (
        ("get", "/api/v1/products/999"),
        ("delete", "/api/v1/products/999"),
        ("get", "/api/Product/999"),
        ("get", "/images/products/NOPE.svg"),
    ):
        response = await products_client.request(method, path)
        assert response.status_code == 404, path
    response = await products_client.patch("/api/v1/products/999", json={"name": "x"})
    assert response.status_code == 404


async def test_images_are_served_locally(products_client: httpx.AsyncClient) -> None:
    await seed(products_client)
    response = await products_client.get("/images/products/TENT-0001.svg")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert "Ridgeline 2P Tent" in response.text


async def test_stats_describe_the_index(products_client: httpx.AsyncClient) -> None:
    await seed(products_client)
    stats = (await products_client.get("/api/v1/stats")).json()
    assert stats["products"] == 8 and stats["index_size"] == 8
    assert stats["index_kind"] == "flat" and stats["dimension"] == 384
    assert stats["embedding_model"] == "text-embedding-ada-002@emulator"

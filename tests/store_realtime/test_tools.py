"""The shopping tools: ToolRunner over the real products app, failures as speakable errors, and the tool
definitions as the emulator's intent router and composer read them."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from openai import AsyncAzureOpenAI

from products_service.settings import ProductsSettings
from store_realtime.cart import Cart
from store_realtime.products_client import ProductsClient
from store_realtime.tool_specs import (
    AddToCartArgs,
    NoArgs,
    ProductDetailsArgs,
    RecommendArgs,
    RemoveFromCartArgs,
    SearchArgs,
    ToolArgs,
)
from store_realtime.tools import TOOL_DEFINITIONS, ToolResult, ToolRunner
from tests.conftest import SMALL_CATALOG, running_products

Shop = tuple[ToolRunner, dict[str, int]]


@pytest.fixture
async def shop(products_settings: ProductsSettings, openai_client: AsyncAzureOpenAI) -> AsyncIterator[Shop]:
    """A runner with an empty cart over the seeded products app, and the catalog ids by sku."""
    running = running_products(products_settings, openai_client)
    async with running as staff:
        assert (await staff.post("/api/v1/admin/import", json=SMALL_CATALOG)).status_code == 200
        listing = (await staff.get("/api/v1/products", params={"limit": 50})).json()
        ids = {p["sku"]: p["id"] for p in listing["items"]}
        transport = httpx.ASGITransport(app=running.app)
        async with httpx.AsyncClient(transport=transport) as http:
            yield ToolRunner(ProductsClient("http://products", http=http), Cart()), ids


def runner_answering(
    handler: Callable[[httpx.Request], Any], *, timeout_s: float = 8.0, client_timeout_s: float = 5.0
) -> ToolRunner:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    products = ProductsClient("http://products", http=http, timeout_s=client_timeout_s)
    return ToolRunner(products, Cart(), timeout_s=timeout_s)


async def call(runner: ToolRunner, name: str, arguments: dict[str, Any] | str = "") -> ToolResult:
    text = arguments if isinstance(arguments, str) else json.dumps(arguments)
    return await runner.run(name, "call_1", text)


def output(result: ToolResult) -> dict[str, Any]:
    data = json.loads(result.output)
    assert isinstance(data, dict)
    return data


def failed(result: ToolResult, message: str) -> None:
    assert not result.ok, result
    assert result.error is not None and message in result.error, result.error
    assert output(result) == {"error": result.error}
    assert result.products is None and result.cart is None


async def test_search_products(shop: Shop) -> None:
    runner, ids = shop
    result = await call(runner, "search_products", {"query": "sleeping bag", "max_price": 100})
    assert result.ok and result.error is None and result.name == "search_products"
    assert result.call_id == "call_1" and result.arguments == {"query": "sleeping bag", "max_price": 100}
    data = output(result)
    assert data["count"] == len(data["products"]) >= 1
    bag = next(p for p in data["products"] if p["id"] == ids["BAG-0002"])
    assert bag == {
        "id": ids["BAG-0002"],
        "name": "Summer Breeze Sleeping Bag",
        "price": "59.00",
        "currency": "USD",
        "stock": 10,
        "description": "A light rectangular bag for hot summer nights at the campground.",
    }
    assert all(float(p["price"]) <= 100 for p in data["products"])
    assert result.products is not None and result.products[0]["id"] == data["products"][0]["id"]
    assert "attributes" in result.products[0] and result.cart is None
    assert result.output == json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    assert result.duration_ms > 0


async def test_search_outside_a_named_department_falls_back_to_all(shop: Shop) -> None:
    runner, ids = shop
    result = await call(runner, "search_products", {"query": "tent", "category": "Shelters"})
    data = output(result)
    assert result.ok and ids["TENT-0001"] in [p["id"] for p in data["products"]]
    assert "Shelters" in data["note"]


async def test_recommend_products(shop: Shop) -> None:
    runner, _ = shop
    result = await call(runner, "recommend_products", {"need": "a freezing winter night outdoors"})
    data = output(result)
    assert result.ok and 1 <= data["count"] <= 3
    assert all(p["reason"] and p["price"] and p["currency"] == "USD" for p in data["products"])
    assert result.products is not None and all(p["reason"] for p in result.products)


async def test_get_product_details(shop: Shop) -> None:
    runner, ids = shop
    result = await call(runner, "get_product_details", {"product_id": ids["LAMP-0001"]})
    product = output(result)["product"]
    assert product["name"] == "Beacon 400 Headlamp" and product["price"] == "39.99"
    assert product["attributes"] == {"lumens": 400} and product["in_stock"] is True
    assert product["description"].startswith("A rechargeable headlamp")
    assert result.products is not None and result.products[0]["sku"] == "LAMP-0001"
    failed(await call(runner, "get_product_details", {"product_id": 424242}), "no product with id 424242")


async def test_add_to_cart_takes_price_and_stock_from_the_catalog(shop: Shop) -> None:
    runner, ids = shop
    tent = ids["TENT-0001"]
    args = {"product_id": tent, "quantity": 2, "price": 0.01, "name": "Free tent", "stock": 1000}
    result = await call(runner, "add_to_cart", args)
    assert result.ok, result
    data = output(result)
    assert data["added"] == {
        "product_id": tent,
        "name": "Ridgeline 2P Tent",
        "quantity": 2,
        "price": "299.00",
        "currency": "USD",
    }
    assert data["cart"] == result.cart
    assert result.cart is not None and result.cart["total"] == "598.00" and result.cart["item_count"] == 2
    assert runner.cart.snapshot() == result.cart

    failed(await call(runner, "add_to_cart", {"product_id": tent, "quantity": 9}), "Only 10 of Ridgeline")
    failed(await call(runner, "add_to_cart", {"product_id": ids["RAIN-0002"], "quantity": 1}), "out of stock")
    failed(
        await call(runner, "add_to_cart", {"product_id": 999_999, "quantity": 1}), "no product with id 999999"
    )
    assert runner.cart.item_count == 2
    assert (await call(runner, "add_to_cart", {"product_id": str(tent)})).cart["item_count"] == 3  # type: ignore[index]


async def test_remove_from_cart_and_view_cart(shop: Shop) -> None:
    runner, ids = shop
    lamp, stove = ids["LAMP-0001"], ids["STOVE-0001"]
    await call(runner, "add_to_cart", {"product_id": lamp, "quantity": 3})
    await call(runner, "add_to_cart", {"product_id": stove, "quantity": 1})
    result = await call(runner, "remove_from_cart", {"product_id": lamp, "quantity": 2})
    data = output(result)
    assert data["removed"] == {"product_id": lamp, "name": "Beacon 400 Headlamp", "quantity": 2}
    assert data["cart"]["total"] == "89.98" and data["cart"]["item_count"] == 2
    result = await call(runner, "remove_from_cart", {"product_id": stove})
    assert output(result)["removed"]["quantity"] == 1
    failed(
        await call(runner, "remove_from_cart", {"product_id": stove}), f"Product {stove} is not in your cart"
    )

    for arguments in ("", "{}", '{"anything": 1}'):
        view = await call(runner, "view_cart", arguments)
        assert view.ok and output(view) == {"cart": view.cart}
        assert view.cart is not None and [i["product_id"] for i in view.cart["items"]] == [lamp]


@pytest.mark.parametrize(
    ("name", "arguments", "message"),
    [
        ("search_products", "{not json", "not valid JSON"),
        ("search_products", "[1, 2]", "must be a JSON object"),
        ("search_products", "{}", "query is required"),
        ("search_products", '{"query": "   "}', "query:"),
        ("search_products", '{"query": "tents", "max_price": -5}', "max_price:"),
        ("recommend_products", '{"max_price": 50}', "need is required"),
        ("get_product_details", "{}", "product_id is required"),
        ("get_product_details", '{"product_id": "the tent"}', "product_id:"),
        ("add_to_cart", '{"product_id": true}', "product_id:"),
        ("add_to_cart", '{"product_id": 3, "quantity": 2.5}', "quantity:"),
        ("add_to_cart", '{"product_id": 3, "quantity": 0}', "quantity:"),
        ("remove_from_cart", '{"quantity": 1}', "product_id is required"),
        ("checkout", "{}", "There is no tool named 'checkout'"),
    ],
)
async def test_bad_calls_become_errors_the_model_can_speak(name: str, arguments: str, message: str) -> None:
    def never(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request expected")

    result = await runner_answering(never).run(name, "call_9", arguments)
    failed(result, message)
    assert result.name == name and result.call_id == "call_9"


async def test_catalog_down_is_said_plainly() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    def unavailable(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, json={"detail": "embeddings down", "code": "upstream_unavailable"})

    for handler in (refuse, unavailable):
        runner = runner_answering(handler)
        failed(
            await call(runner, "search_products", {"query": "tents"}), "I couldn't reach the product catalog"
        )
        failed(await call(runner, "add_to_cart", {"product_id": 1, "quantity": 1}), "couldn't reach")
        assert runner.cart.item_count == 0


async def test_slow_catalog_times_out() -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(3)
        return httpx.Response(200, json={"items": []})

    by_runner = await call(runner_answering(slow, timeout_s=0.2), "search_products", {"query": "tents"})
    failed(by_runner, "The product catalog did not answer in time. Please try again.")
    assert 150 < by_runner.duration_ms < 1500
    by_client = runner_answering(slow, client_timeout_s=0.2)
    failed(await call(by_client, "get_product_details", {"product_id": 1}), "did not answer in time")


async def test_unexpected_failures_never_escape_but_cancellation_does() -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        raise RuntimeError("bug")

    assert (await call(runner_answering(broken), "view_cart")).ok
    result = await call(runner_answering(broken), "search_products", {"query": "tents"})
    failed(result, "Something went wrong while running search_products")

    async def hang(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(30)
        raise AssertionError("cancelled before")

    task = asyncio.create_task(call(runner_answering(hang), "search_products", {"query": "tents"}))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


ARG_MODELS: dict[str, type[ToolArgs]] = {
    "search_products": SearchArgs,
    "recommend_products": RecommendArgs,
    "get_product_details": ProductDetailsArgs,
    "add_to_cart": AddToCartArgs,
    "remove_from_cart": RemoveFromCartArgs,
    "view_cart": NoArgs,
}


def test_definitions_match_the_argument_models() -> None:
    assert [t["name"] for t in TOOL_DEFINITIONS] == list(ARG_MODELS)
    for tool in TOOL_DEFINITIONS:
        assert set(tool) == {"type", "name", "description", "parameters"} and tool["type"] == "function"
        assert tool["description"].count('"') >= 4, "two quoted example requests"
        parameters = tool["parameters"]
        assert set(parameters["properties"]) == set(ARG_MODELS[tool["name"]].model_fields)
        assert all(p.get("description") for p in parameters["properties"].values())
        for name in parameters["required"]:
            assert name in parameters["properties"]
        json.dumps(tool)


ROUTED: list[tuple[str, str, dict[str, Any]]] = [
    ("do you have tents?", "search_products", {"query": "tents"}),
    ("show me sleeping bags under 100 dollars", "search_products", {"max_price": 100}),
    ("what should I bring for winter camping?", "recommend_products", {"need": "winter camping"}),
    ("tell me more about the first one", "get_product_details", {"product_id": "first"}),
    ("add two of the first one to my cart", "add_to_cart", {"product_id": "first", "quantity": 2}),
    ("take the second one out of my cart", "remove_from_cart", {"product_id": "second"}),
    ("what's in my cart?", "view_cart", {}),
]


async def test_the_emulator_routes_requests_to_these_tools_and_can_say_the_outputs(
    shop: Shop, local_embedder: Any
) -> None:
    from orchestrator.emulators.azure_openai.realtime.composer import compose_answer, products_in
    from orchestrator.emulators.azure_openai.realtime.router import IntentRouter, RouterContext, ToolSpec

    runner, _ = shop
    router, tools = IntentRouter(local_embedder), [ToolSpec.from_session(t) for t in TOOL_DEFINITIONS]
    listed = await call(runner, "search_products", {"query": "waterproof hiking gear"})
    shown = [int(p["id"]) for p in output(listed)["products"]]
    for text, tool, expected in ROUTED:
        context = RouterContext()
        context.remember(products_in(listed.output))
        decision = router.route(text, tools, context=context)
        assert (decision.kind, decision.tool) == ("tool", tool), (text, decision)
        ordinal = {"first": shown[0], "second": shown[1]}
        for key, value in expected.items():
            assert decision.arguments[key] == ordinal.get(value, value), (text, decision)
        if tool == "remove_from_cart":
            await call(runner, "add_to_cart", {"product_id": shown[1], "quantity": 1})
        result = await call(runner, tool, decision.arguments)
        assert result.ok, (text, result)
        spoken = compose_answer(result.output, tool_name=tool, user_text=text)
        assert "{" not in spoken and "couldn't" not in spoken, spoken
    assert compose_answer((await call(runner, "view_cart")).output, tool_name="view_cart").startswith(
        "Your cart has two items"
    )
    add = await call(runner, "add_to_cart", {"product_id": shown[0], "quantity": 1})
    assert compose_answer(add.output, tool_name="add_to_cart").startswith("Added the ")
    missing = await call(runner, "get_product_details", {"product_id": 424242})
    assert compose_answer(missing.output) == "Sorry, I couldn't do that: There is no product with id 424242."

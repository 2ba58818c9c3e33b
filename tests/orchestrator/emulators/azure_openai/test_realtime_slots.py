"""Slots read from a spoken request (query, quantity, prices, product references) and tool arguments filled
from them by each tool's JSON schema. No embedder involved."""

from __future__ import annotations

from typing import Any

import pytest

from orchestrator.emulators.azure_openai.realtime.prices import format_price, numerals, price_limits
from orchestrator.emulators.azure_openai.realtime.router import ProductRef, RouterContext, ToolSpec
from orchestrator.emulators.azure_openai.realtime.slots import Slots, extract_slots, fill_arguments

SHOWN = [
    ProductRef(id="11", name="Alpine Rain Shell", sku="RAIN-0011", price=129.99),
    ProductRef(id="12", name="Trailhead Poncho", sku="RAIN-0012", price=39.0),
    ProductRef(id="13", name="Beacon 400 Headlamp", sku="LAMP-0400", price=39.99),
]


def context() -> RouterContext:
    return RouterContext(products=list(SHOWN))


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("I need a waterproof jacket for hiking", "waterproof jacket for hiking"),
        ("I need a waterproof jacket for hiking.", "waterproof jacket for hiking"),
        ("i'm looking for a tent please", "tent"),
        ("Hi, do you have tents?", "tents"),
        ("Hello there. Can you find me a warm sleeping bag?", "warm sleeping bag"),
        ("show me tents under 200 dollars", "tents"),
        ("search for hiking boots below $150, thanks", "hiking boots"),
        ("what do you have for winter camping", "winter camping"),
        ("what would you recommend for a rainy weekend hike", "rainy weekend hike"),
        ("I want an ultralight stove", "ultralight stove"),
        ("find a headlamp that costs less than 40 bucks", "headlamp"),
        ("cheapest tent you have", "cheapest tent"),
        ("um, so, I'd like to buy some trekking poles", "trekking poles"),
        ("search for", None),
    ],
)
def test_query_drops_filler_prices_and_politeness(text: str, query: str | None) -> None:
    assert extract_slots(text).query == query


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("show me tents under 200 dollars", None, 200),
        ("jackets under $100", None, 100),
        ("below 50 dollars", None, 50),
        ("something less than 80 bucks", None, 80),
        ("no more than 120", None, 120),
        ("max 200", None, 200),
        ("at most $75.50 please", None, 75.5),
        ("up to two hundred fifty dollars", None, 250),
        ("under a hundred dollars", None, 100),
        ("my budget is 300", None, 300),
        ("a tent for $150", None, 150),
        ("200 dollars or less", None, 200),
        ("over 50 dollars", 50, None),
        ("more than fifty bucks", 50, None),
        ("at least $20", 20, None),
        ("between 50 and 100", 50, 100),
        ("between $100 and $50", 50, 100),
        ("from 30 to 60 dollars", 30, 60),
        ("at least 2 people", None, None),
        ("a stove under 2 kg", None, None),
        ("a 400 lumen headlamp", None, None),
    ],
)
def test_price_phrases(text: str, low: float | None, high: float | None) -> None:
    slots = extract_slots(text)
    assert (slots.min_price, slots.max_price) == (low, high)


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("add two of the first one to my cart", 2),
        ("Add 2 of the first one to my cart.", 2),
        ("add three headlamps", 3),
        ("I'll take twelve", 12),
        ("add one to my cart", 1),
        ("add a couple of those", 2),
        ("add a pair of boots", None),
        ("add two pairs of socks", 2),
        ("add the first one", None),
        ("add that one", None),
        ("add it to my cart", None),
        ("I need a two person tent", None),
        ("a 2-person tent", None),
        ("tents under 200 dollars", None),
        ("add the Beacon 400 Headlamp", None),
        ("set a timer for 10 minutes", None),
    ],
)
def test_quantity(text: str, quantity: int | None) -> None:
    assert extract_slots(text, context()).quantity == quantity


@pytest.mark.parametrize(
    ("text", "product"),
    [
        ("tell me more about the first one", "11"),
        ("what about the second?", "12"),
        ("the third option", "13"),
        ("remove the last one", "13"),
        ("number 2 please", "12"),
        ("add it to my cart", "11"),
        ("add that one", "11"),
        ("remove this from my cart", "11"),
        ("take the Trailhead Poncho out of my cart", "12"),
        ("take the trailhead poncho out of my cart", "12"),
        ("is the poncho waterproof", "12"),
        ("how bright is the beacon headlamp", "13"),
        ("I need a rain jacket", None),
        ("I want a jacket that is warm", None),
        ("I need a first aid kit", None),
        ("add the fifth one", None),
    ],
)
def test_product_references(text: str, product: str | None) -> None:
    found = extract_slots(text, context()).product
    assert (found.id if found else None) == product


def test_no_context_means_no_product() -> None:
    assert extract_slots("add the first one").product is None
    assert extract_slots("add it", RouterContext(products=[])).product is None


def test_context_remembers_lists_and_the_product_in_focus() -> None:
    ctx = RouterContext()
    ctx.remember(SHOWN)
    ctx.remember([SHOWN[1]])
    assert ctx.products == SHOWN and ctx.focus == SHOWN[1]
    assert extract_slots("add it", ctx).product == SHOWN[1]
    assert extract_slots("add the third one", ctx).product == SHOWN[2]
    older = ProductRef(id="99", name="Polar Night Sleeping Bag")
    ctx.remember([older, SHOWN[0]])
    assert ctx.products == [older, SHOWN[0]] and ctx.focus is None
    assert extract_slots("add the trailhead poncho", ctx).product == SHOWN[1]
    assert ctx.seen[0] == older


def test_equal_name_matches_are_no_answer() -> None:
    twins = [ProductRef(id="1", name="Summer Sleeping Bag"), ProductRef(id="2", name="Winter Sleeping Bag")]
    ctx = RouterContext(products=twins)
    assert extract_slots("remove the sleeping bag", ctx).product is None
    assert extract_slots("remove the winter sleeping bag", ctx).product == twins[1]


def test_numbers_and_prices_helpers() -> None:
    assert numerals("two hundred and fifty dollars for one tent") == "250 dollars for one tent"
    assert numerals("twenty-five") == "25"
    assert price_limits(numerals("under a hundred")).max_price == 100
    assert format_price(129.99) == "$129.99"
    assert format_price(1299, "USD") == "$1,299.00"
    assert format_price(129.99, "eur") == "129.99 euros"
    assert format_price(5, "GBP") == "5.00 pounds"
    assert format_price(42, "CAD") == "42.00 CAD"


def tool(
    properties: dict[str, Any] | None, required: list[str] | None = None, name: str = "do_it"
) -> ToolSpec:
    parameters: dict[str, Any] = {"type": "object"}
    if properties is not None:
        parameters["properties"] = properties
    if required is not None:
        parameters["required"] = required
    return ToolSpec.from_session(
        {"type": "function", "name": name, "description": "", "parameters": parameters}
    )


def slots(**values: Any) -> Slots:
    base: dict[str, Any] = {
        "query": None,
        "quantity": None,
        "max_price": None,
        "min_price": None,
        "product": None,
    }
    return Slots(**{**base, **values})


LAMP = SHOWN[2]


@pytest.mark.parametrize(
    ("properties", "required", "filled", "text", "arguments", "missing"),
    [
        ({"query": {"type": "string"}}, ["query"], slots(query="tents"), "tents", {"query": "tents"}, []),
        ({"q": {"type": "string"}}, [], slots(query="tents"), "tents", {"q": "tents"}, []),
        ({"keywords": {"type": "string"}}, ["keywords"], slots(), "", {}, ["keywords"]),
        ({"need": {"type": "string"}}, ["need"], slots(query="rainy hike"), "", {"need": "rainy hike"}, []),
        (
            {"product_id": {"type": "integer"}},
            ["product_id"],
            slots(product=LAMP),
            "",
            {"product_id": 13},
            [],
        ),
        (
            {"product_id": {"type": "string"}},
            ["product_id"],
            slots(product=LAMP),
            "",
            {"product_id": "13"},
            [],
        ),
        ({"productId": {"type": "integer"}}, ["productId"], slots(), "", {}, ["productId"]),
        ({"sku": {"type": "string"}}, ["sku"], slots(product=LAMP), "", {"sku": "LAMP-0400"}, []),
        (
            {"item": {"type": "string", "description": "The product SKU"}},
            ["item"],
            slots(product=LAMP),
            "",
            {"item": "LAMP-0400"},
            [],
        ),
        ({"product_name": {"type": "string"}}, [], slots(product=LAMP), "", {"product_name": LAMP.name}, []),
        (
            {"product_id": {"type": "integer"}},
            ["product_id"],
            slots(product=ProductRef(id="A-1", name="X")),
            "",
            {},
            ["product_id"],
        ),
        ({"quantity": {"type": "integer"}}, ["quantity"], slots(quantity=3), "", {"quantity": 3}, []),
        ({"qty": {"type": "integer"}}, ["qty"], slots(), "", {"qty": 1}, []),
        ({"count": {"type": "integer"}}, [], slots(), "", {}, []),
        ({"max_price": {"type": "number"}}, [], slots(max_price=200.0), "", {"max_price": 200}, []),
        ({"budget": {"type": "number"}}, [], slots(max_price=99.5), "", {"budget": 99.5}, []),
        ({"price_limit": {"type": "string"}}, [], slots(max_price=200.0), "", {"price_limit": "200"}, []),
        ({"min_price": {"type": "number"}}, [], slots(min_price=20.0), "", {"min_price": 20}, []),
        ({"max_price": {"type": "number"}}, [], slots(), "", {}, []),
        (
            {"category": {"type": "string", "enum": ["Tents", "Rain Jackets", "Sleeping Bags"]}},
            [],
            slots(),
            "show me rain jackets",
            {"category": "Rain Jackets"},
            [],
        ),
        ({"category": {"type": "string"}}, [], slots(query="tents"), "show me tents", {}, []),
        ({"in_stock": {"type": "boolean"}}, [], slots(), "tents that are in stock", {"in_stock": True}, []),
        ({"in_stock": {"type": "boolean"}}, [], slots(), "tents", {}, []),
        ({"filters": {"type": "object"}}, [], slots(query="x"), "x", {}, []),
        (
            {"city": {"type": "string"}},
            ["city"],
            slots(),
            "what's the weather in Paris",
            {"city": "Paris"},
            [],
        ),
        (
            {"minutes": {"type": "integer"}},
            ["minutes"],
            slots(),
            "a timer for 10 minutes",
            {"minutes": 10},
            [],
        ),
        (None, None, slots(query="x", quantity=2), "x", {}, []),
        ({}, [], slots(query="x"), "x", {}, []),
    ],
)
def test_fill_arguments_follows_the_schema(
    properties: dict[str, Any] | None,
    required: list[str] | None,
    filled: Slots,
    text: str,
    arguments: dict[str, Any],
    missing: list[str],
) -> None:
    assert fill_arguments(tool(properties, required), filled, text) == (arguments, missing)


def test_fill_arguments_end_to_end_from_text() -> None:
    search = tool(
        {"query": {"type": "string"}, "max_price": {"type": "number"}, "min_price": {"type": "number"}},
        ["query"],
    )
    said = "show me tents under 200 dollars"
    assert fill_arguments(search, extract_slots(said), said) == ({"query": "tents", "max_price": 200}, [])
    add = tool(
        {"product_id": {"type": "integer"}, "quantity": {"type": "integer"}}, ["product_id", "quantity"]
    )
    said = "add two of the first one to my cart"
    assert fill_arguments(add, extract_slots(said, context()), said) == (
        {"product_id": 11, "quantity": 2},
        [],
    )
    said = "add it to my cart"
    assert fill_arguments(add, extract_slots(said), said) == ({"quantity": 1}, ["product_id"])

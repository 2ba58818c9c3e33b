"""Spoken answers composed from function outputs, and the products found in them."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from orchestrator.emulators.azure_openai.realtime.composer import (
    ProductRef,
    compose_answer,
    products_in,
    small_talk,
)


def product(ident: int, name: str, price: Any, **extra: Any) -> dict[str, Any]:
    return {"id": ident, "sku": f"SKU-{ident}", "name": name, "price": price, **extra}


SHELL = product(1, "Alpine Rain Shell", "129.99", currency="USD")
PONCHO = product(2, "Trailhead Poncho", 39)
HARDSHELL = product(3, "Summit Hardshell", "219.00")
DRIZZLE = product(4, "Drizzle Jacket", 89.5)

ANSWERS: list[tuple[str, Any, str]] = [
    (
        "search hits",
        {"query": "rain", "items": [{"product": p, "score": 0.9} for p in (SHELL, PONCHO, HARDSHELL)]},
        "I found three options: the Alpine Rain Shell at $129.99, the Trailhead Poncho at $39.00 and the"
        " Summit Hardshell at $219.00. Would you like details on any of them?",
    ),
    (
        "more than three",
        {"products": [SHELL, PONCHO, HARDSHELL, DRIZZLE, product(5, "Cloudburst Parka", 300)]},
        "I found five options: the Alpine Rain Shell at $129.99, the Trailhead Poncho at $39.00 and the"
        " Summit Hardshell at $219.00, plus two more. Would you like details on any of them?",
    ),
    (
        "recommendations with a reason",
        {
            "need": "rainy hike",
            "items": [
                {"product": SHELL, "reason": "Suits “rainy hike” thanks to its 20,000 mm rating. More text."},
                {"product": PONCHO, "reason": "Cheap."},
            ],
        },
        "I found two options: the Alpine Rain Shell at $129.99 and the Trailhead Poncho at $39.00. The Alpine"
        " Rain Shell stands out: suits rainy hike thanks to its 20,000 mm rating. Would you like details on"
        " any of them?",
    ),
    (
        "a top-level list, one price in euros",
        [SHELL, product(2, "Trailhead Poncho", {"amount": "39", "currency": "EUR"})],
        "I found two options: the Alpine Rain Shell at $129.99 and the Trailhead Poncho at 39.00 euros. Would"
        " you like details on any of them?",
    ),
    (
        "one result",
        {"results": [PONCHO]},
        "I found one option: the Trailhead Poncho at $39.00. Would you like more details?",
    ),
    ("nothing found", {"items": []}, "I couldn't find anything matching that."),
    ("nothing found, empty list", [], "I couldn't find anything matching that."),
    (
        "details, few left",
        {**SHELL, "stock": 2, "description": "A waterproof shell with sealed seams. Packs small."},
        "The Alpine Rain Shell costs $129.99, but there are only 2 left. It's a waterproof shell with sealed"
        " seams.",
    ),
    (
        "details, in stock",
        {"product": {**PONCHO, "stock": 40}},
        "The Trailhead Poncho costs $39.00, and it's in stock.",
    ),
    (
        "details, out of stock",
        {**HARDSHELL, "in_stock": False, "currency": "GBP"},
        "The Summit Hardshell costs 219.00 pounds, but it's out of stock.",
    ),
    (
        "a cart",
        {
            "items": [
                {"product_id": 1, "name": "Alpine Rain Shell", "quantity": 2, "price": "129.99"},
                {"product_id": 2, "name": "Trailhead Poncho", "quantity": 1, "price": "39.00"},
            ],
            "total": "298.98",
        },
        "Your cart has three items: 2 of the Alpine Rain Shell and the Trailhead Poncho, total $298.98.",
    ),
    (
        "after an add",
        {
            "added": {"product_id": 2, "name": "Trailhead Poncho", "quantity": 2},
            "cart": {"items": [{"product_id": 2, "name": "Trailhead Poncho", "quantity": 2}], "total": 78},
        },
        "Added 2 of the Trailhead Poncho to your cart. Your cart has two items: 2 of the Trailhead Poncho,"
        " total $78.00.",
    ),
    (
        "after an add, with a message",
        {
            "message": "Added the Alpine Rain Shell.",
            "cart": {
                "items": [{"name": "Alpine Rain Shell", "qty": 1}],
                "subtotal": {"amount": "129.99", "currency": "USD"},
            },
        },
        "Added the Alpine Rain Shell. Your cart has one item: the Alpine Rain Shell, total $129.99.",
    ),
    ("an empty cart", {"cart": {"items": [], "total": 0}}, "Your cart is empty."),
    (
        "an empty catalog page",
        {"items": [], "total": 0, "offset": 0, "limit": 20},
        "I couldn't find anything",
    ),
    ("error string", {"error": "Product 42 not found"}, "Sorry, I couldn't do that: Product 42 not found."),
    (
        "error object",
        {"error": {"code": "not_found", "message": "No product with id 42."}},
        "Sorry, I couldn't do that: No product with id 42.",
    ),
    (
        "ok false",
        {"ok": False, "message": "quantity must be at least 1"},
        "Sorry, I couldn't do that: quantity must be at least 1.",
    ),
    (
        "validation detail",
        {"detail": [{"loc": ["body", "query"], "msg": "Field required"}]},
        "Sorry, I couldn't do that: Field required.",
    ),
    (
        "message",
        {"status": "ok", "message": "Timer set for 10 minutes. It rings at 10:42."},
        "Timer set for 10 minutes.",
    ),
    ("status only", {"status": "queued"}, "Done. The status is queued."),
    (
        "a few plain fields",
        {"city": "Paris", "temperature": 21, "conditions": "sunny"},
        "Here's what I found: city Paris, temperature 21 and conditions sunny.",
    ),
    ("unknown JSON", {"a": {"b": [1, {"c": 3}]}}, "Done."),
    ("a JSON string", "It is sunny in Paris. Enjoy.", "It is sunny in Paris."),
]


@pytest.mark.parametrize(("label", "output", "spoken"), ANSWERS, ids=[a[0] for a in ANSWERS])
def test_compose_answer(label: str, output: Any, spoken: str) -> None:
    answer = compose_answer(json.dumps(output))
    assert answer.startswith(spoken) if spoken.startswith("I couldn't") else answer == spoken
    assert "{" not in answer and '"' not in answer
    assert len(re.findall(r"[.!?](?:\s|$)", answer)) <= 3


@pytest.mark.parametrize(
    ("output", "spoken"),
    [
        ("The timer is set. Anything else?", "The timer is set."),
        ("Done", "Done."),
        ("", "Done."),
        ("{not json", "{not json."),
    ],
)
def test_plain_text_outputs(output: str, spoken: str) -> None:
    assert compose_answer(output) == spoken


def test_long_text_is_cut_short() -> None:
    answer = compose_answer("word " * 80)
    assert len(answer.split()) <= 30 and answer.endswith("…")


def test_an_empty_search_names_what_was_asked_for() -> None:
    answer = compose_answer(
        '{"items": []}', tool_name="search_products", user_text="show me tents under 20 dollars"
    )
    assert answer.startswith("I couldn't find any matches for tents.")


def test_tool_name_marks_a_cart_without_a_total() -> None:
    output = json.dumps({"items": [{"product_id": 1, "name": "Alpine Rain Shell", "quantity": 1}]})
    assert compose_answer(output, tool_name="view_cart") == "Your cart has one item: the Alpine Rain Shell."
    assert compose_answer('{"items": [], "total": 0}', tool_name="view_cart") == "Your cart is empty."


@pytest.mark.parametrize(
    ("output", "found"),
    [
        (
            {"items": [{"product": SHELL, "score": 1}, {"product": PONCHO, "score": 0.5}]},
            [
                ProductRef(id="1", name="Alpine Rain Shell", sku="SKU-1", price=129.99, currency="USD"),
                ProductRef(id="2", name="Trailhead Poncho", sku="SKU-2", price=39.0),
            ],
        ),
        (
            [{"sku": "TENT-1", "name": "Ridgeline Tent", "price": {"amount": 299, "currency": "EUR"}}],
            [ProductRef(id=None, name="Ridgeline Tent", sku="TENT-1", price=299.0, currency="EUR")],
        ),
        (
            {"cart": {"items": [{"product_id": 7, "name": "Headlamp", "quantity": 2, "price": "$1,039.50"}]}},
            [ProductRef(id="7", name="Headlamp", price=1039.5)],
        ),
        (
            {"items": [SHELL, SHELL]},
            [ProductRef(id="1", name="Alpine Rain Shell", sku="SKU-1", price=129.99, currency="USD")],
        ),
        ({"name": "No id here", "price": 5}, []),
        ({"error": "nope"}, []),
    ],
)
def test_products_in(output: Any, found: list[ProductRef]) -> None:
    assert products_in(json.dumps(output)) == found


def test_products_in_ignores_text() -> None:
    assert products_in("I found a tent") == []
    assert products_in("") == []


def test_small_talk() -> None:
    for kind in ("greeting", "thanks", "goodbye", "chat"):
        assert small_talk(kind)  # type: ignore[arg-type]
    assert small_talk("greeting") != small_talk("goodbye")

"""The shopping tools as the voice model sees them: Realtime function tools, their argument models, and the
shapes of their outputs (compact JSON, money as two-decimal strings beside a currency).

Descriptions carry quoted example requests: a real model reads them as guidance, and the offline emulator's
intent router matches requests against them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from store_realtime.cart import MAX_QUANTITY
from store_realtime.products_client import MAX_PRODUCT_ID, ProductCard, money

__all__ = [
    "TOOL_DEFINITIONS",
    "TOOL_NAMES",
    "AddToCartArgs",
    "NoArgs",
    "ProductDetailsArgs",
    "RecommendArgs",
    "RemoveFromCartArgs",
    "SearchArgs",
    "ToolArgs",
    "cart_change",
    "compact_json",
    "product_details",
    "product_listing",
]

_SUMMARY_CHARS = 200
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_PRODUCT_ID: dict[str, Any] = {
    "type": "integer",
    "minimum": 1,
    "description": "The product's catalog id: the `id` shown for it in earlier search, recommendation or"
    " cart results. Never guess one.",
}
_MAX_PRICE: dict[str, Any] = {
    "type": "number",
    "exclusiveMinimum": 0,
    "description": "The most the customer wants to pay for one item, in US dollars. Leave out when the"
    " customer gives no budget.",
}


def _tool(name: str, description: str, properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "function",
        "name": name,
        "description": description,
        "parameters": {
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        },
    }


TOOL_DEFINITIONS: list[dict[str, Any]] = [
    _tool(
        "search_products",
        "Search the store's catalog for products matching what the customer is looking for, such as a tent,"
        " a rain jacket or hiking boots, optionally under a price limit or within one department. Use for"
        ' requests like "do you have tents?", "I\'m looking for a waterproof jacket" or "show me sleeping'
        ' bags under 100 dollars". Returns the matching products with their id, name, price and stock.',
        {
            "query": {
                "type": "string",
                "description": "What the customer is looking for, in their own words, without the budget.",
            },
            "max_price": _MAX_PRICE,
            "category": {
                "type": "string",
                "description": "Only when the customer names a department of the store, for example Tents,"
                " Rain Jackets or Sleeping Bags.",
            },
        },
        ["query"],
    ),
    _tool(
        "recommend_products",
        "Recommend the best products for a customer's need, activity or situation, each with a short reason,"
        " optionally within a budget. Use when the customer asks for advice rather than for a named item,"
        ' e.g. "what should I bring for winter camping?" or "which tent is best for backpacking?".',
        {
            "need": {
                "type": "string",
                "description": "The customer's need, activity or situation, in their own words.",
            },
            "max_price": _MAX_PRICE,
        },
        ["need"],
    ),
    _tool(
        "get_product_details",
        "Get the full details of one product: price, stock, description, brand and specifications. Use"
        ' when the customer asks about a product already mentioned, e.g. "how heavy is the first one?"'
        ' or "is the poncho waterproof?".',
        {"product_id": _PRODUCT_ID},
        ["product_id"],
    ),
    _tool(
        "add_to_cart",
        "Add a product to the customer's shopping cart, by its catalog id from earlier results. Use for"
        ' requests like "add two of the first one to my cart" or "I\'ll take it".',
        {
            "product_id": _PRODUCT_ID,
            "quantity": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_QUANTITY,
                "description": "How many to add; 1 unless the customer says otherwise.",
            },
        },
        ["product_id", "quantity"],
    ),
    _tool(
        "remove_from_cart",
        "Remove a product from the customer's shopping cart, or lower how many of it are in the cart. Use"
        ' for requests like "take the poncho out of my cart" or "I don\'t want the second one anymore".',
        {
            "product_id": _PRODUCT_ID,
            "quantity": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_QUANTITY,
                "description": "How many to take out; leave out to remove all of it.",
            },
        },
        ["product_id"],
    ),
    _tool(
        "view_cart",
        "Show what is in the customer's shopping cart: each product, how many, and the total. Use for"
        ' requests like "what\'s in my cart?" or "how much is my total?".',
        {},
        [],
    ),
]
TOOL_NAMES = tuple(t["name"] for t in TOOL_DEFINITIONS)


def _not_bool(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("should be a number, not true or false")
    return value


Whole = Annotated[int, BeforeValidator(_not_bool)]
ProductId = Annotated[Whole, Field(ge=1, le=MAX_PRODUCT_ID)]
Quantity = Annotated[Whole, Field(ge=1, le=MAX_QUANTITY)]
Budget = Annotated[Decimal, BeforeValidator(_not_bool), Field(gt=0, allow_inf_nan=False)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]


class ToolArgs(BaseModel):
    """Arguments a model sent; unknown extra keys (a `price`, say) are ignored, never used."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class NoArgs(ToolArgs):
    pass


class SearchArgs(ToolArgs):
    query: Text
    max_price: Budget | None = None
    category: Label | None = None


class RecommendArgs(ToolArgs):
    need: Text
    max_price: Budget | None = None


class ProductDetailsArgs(ToolArgs):
    product_id: ProductId


class AddToCartArgs(ToolArgs):
    product_id: ProductId
    quantity: Quantity = 1


class RemoveFromCartArgs(ToolArgs):
    product_id: ProductId
    quantity: Quantity | None = None


def product_listing(cards: Sequence[ProductCard]) -> dict[str, Any]:
    """Search or recommendation results: the essentials and the first sentence of each description."""
    products = [{**_brief(c), "description": _first_sentence(c.description)} for c in cards]
    return {"products": products, "count": len(products)}


def product_details(card: ProductCard) -> dict[str, Any]:
    return {
        **_brief(card),
        "sku": card.sku,
        "brand": card.brand,
        "category": card.category,
        "in_stock": card.in_stock,
        "description": card.description,
        "attributes": card.attributes,
    }


def cart_change(product_id: int, name: str, quantity: int) -> dict[str, Any]:
    return {"product_id": product_id, "name": name, "quantity": quantity}


def compact_json(value: dict[str, Any]) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _brief(card: ProductCard) -> dict[str, Any]:
    brief: dict[str, Any] = {
        "id": card.id,
        "name": card.name,
        "price": money(card.price),
        "currency": card.currency,
        "stock": card.stock,
    }
    if card.reason:
        brief["reason"] = card.reason
    return brief


def _first_sentence(text: str) -> str:
    sentence = _SENTENCE_END.split(" ".join(text.split()), maxsplit=1)[0]
    return sentence if len(sentence) <= _SUMMARY_CHARS else sentence[: _SUMMARY_CHARS - 1].rstrip() + "…"

"""Reading function_call_output strings: JSON or not, products inside them, prices, error messages."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from orchestrator.emulators.azure_openai.realtime.specs import ProductRef

__all__ = [
    "error_message",
    "is_product",
    "parse_output",
    "price_of",
    "product_ref",
    "products_in",
    "walk_products",
]

_ID_KEYS = ("id", "sku", "product_id", "productId", "item_id", "itemId")
_PRICE_KEYS = ("price", "unit_price", "unitPrice")


def parse_output(output: str) -> Any:
    """The output's JSON value, or None when it is not JSON (a JSON-encoded string is unwrapped once)."""
    try:
        value = json.loads(output)
    except (TypeError, ValueError):
        return None
    if isinstance(value, str) and value.strip()[:1] in ("{", "["):
        inner = parse_output(value)
        return value if inner is None else inner
    return value


def is_product(value: Any) -> bool:
    """A dict with a name and an id or sku."""
    return (
        isinstance(value, Mapping)
        and isinstance(value.get("name"), str)
        and bool(value["name"].strip())
        and any(value.get(k) not in (None, "") for k in _ID_KEYS)
    )


def number(value: Any) -> float | None:
    """A number, or a numeric string like "129.99" or "$1,299.00"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        cleaned = re.sub(r"[$€£,\s]|USD|EUR|GBP", "", value, flags=re.IGNORECASE)
        if re.fullmatch(r"-?\d+(?:\.\d+)?", cleaned):
            return float(cleaned)
    return None


def price_of(
    value: Mapping[str, Any], keys: tuple[str, ...] = _PRICE_KEYS
) -> tuple[float | None, str | None]:
    """A price under one of `keys` (a number, numeric string or {"amount", "currency"}) and its currency."""
    currency = value.get("currency")
    for key in keys:
        price = value.get(key)
        if isinstance(price, Mapping):
            amount = number(price.get("amount", price.get("value")))
            inner = price.get("currency", price.get("currency_code"))
            if amount is not None:
                return amount, str(inner or currency) if (inner or currency) else None
        elif (amount := number(price)) is not None:
            return amount, str(currency) if isinstance(currency, str) else None
    return None, None


def product_ref(value: Mapping[str, Any]) -> ProductRef:
    ident = next((value[k] for k in _ID_KEYS if k != "sku" and value.get(k) not in (None, "")), None)
    sku = value.get("sku")
    price, currency = price_of(value)
    return ProductRef(
        id=None if ident is None else str(ident),
        name=str(value["name"]).strip(),
        sku=None if sku in (None, "") else str(sku),
        price=price,
        currency=currency,
    )


def walk_products(value: Any) -> Iterator[Mapping[str, Any]]:
    """Product-like dicts in document order, without looking inside a product."""
    if is_product(value):
        yield value
    elif isinstance(value, Mapping):
        for inner in value.values():
            yield from walk_products(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from walk_products(inner)


def products_in(output: str) -> list[ProductRef]:
    """The products a function output mentions, in order, without repeats."""
    found: list[ProductRef] = []
    for value in walk_products(parse_output(output)):
        ref = product_ref(value)
        if not any(ref.same_as(f) for f in found):
            found.append(ref)
    return found


def error_message(value: Any) -> str | None:
    """The message of an error-shaped output ({"error": ...}, {"ok": false}, {"detail": ...}), else None."""
    if not isinstance(value, Mapping):
        return None
    error = value.get("error")
    failed = (
        value.get("ok") is False
        or value.get("success") is False
        or value.get("status") in ("error", "failed")
    )
    if error in (None, False, "") and not failed and set(value) != {"detail"}:
        return None
    for candidate in (error, value.get("message"), value.get("detail"), value.get("reason")):
        if isinstance(candidate, Mapping):
            candidate = candidate.get("message") or candidate.get("detail") or candidate.get("code")
        if isinstance(candidate, list) and candidate and isinstance(candidate[0], Mapping):
            candidate = candidate[0].get("msg") or candidate[0].get("message")
        if isinstance(candidate, str) and candidate.strip():
            return candidate.strip()
    return "something went wrong"

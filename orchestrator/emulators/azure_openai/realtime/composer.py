"""Short spoken answers (one to three sentences, for text-to-speech) composed from function outputs."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from orchestrator.emulators.azure_openai.realtime.outputs import (
    error_message,
    is_product,
    number,
    parse_output,
    price_of,
    products_in,
)
from orchestrator.emulators.azure_openai.realtime.prices import format_price
from orchestrator.emulators.azure_openai.realtime.slots import extract_slots
from orchestrator.emulators.azure_openai.realtime.specs import ProductRef

__all__ = ["ProductRef", "compose_answer", "products_in", "small_talk"]

_LIST_KEYS = ("products", "items", "results", "recommendations", "hits", "matches", "data")
_TOTAL_KEYS = ("total", "subtotal", "total_price", "totalPrice", "grand_total", "amount")
_QUANTITY_KEYS = ("quantity", "qty", "count")
_COUNTS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_NAMED = 3
_FEW_LEFT = 5
_SMALL_TALK = {
    "greeting": "Hi! How can I help you today?",
    "thanks": "You're welcome! Is there anything else I can help with?",
    "goodbye": "Goodbye, and thanks for stopping by!",
    "chat": "Sorry, I can't help with that, but I'm happy to help with something else.",
}


def small_talk(kind: Literal["greeting", "thanks", "goodbye", "chat"]) -> str:
    """The reply to a greeting, thanks or goodbye, or the general "can't help with that" line."""
    return _SMALL_TALK[kind]


def compose_answer(output: str, *, tool_name: str | None = None, user_text: str | None = None) -> str:
    """What to say about one function output: products found, one product's details, a cart, an error,
    or a plain summary. Never reads raw JSON aloud."""
    data = parse_output(output)
    if data is None or isinstance(data, str):
        return _first_sentence(output if data is None else data) or "Done."
    if (error := error_message(data)) is not None:
        return f"Sorry, I couldn't do that: {error.rstrip('.!')}."
    if (cart := _cart_answer(data, tool_name)) is not None:
        return cart
    if (entries := _product_list(data)) is not None:
        return _list_answer(entries, user_text)
    if (product := _single_product(data)) is not None:
        return _details_answer(product)
    return _generic_answer(data)


def _count(n: int) -> str:
    return _COUNTS[n] if 0 <= n < len(_COUNTS) else str(n)


def _the(name: str) -> str:
    return name if name.lower().startswith("the ") else f"the {name}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _first_sentence(text: str, max_words: int = 30) -> str:
    flat = " ".join(str(text).replace("“", "").replace("”", "").split())
    sentence = re.split(r"(?<=[.!?])\s+", flat, maxsplit=1)[0] if flat else ""
    words = sentence.split()
    if len(words) > max_words:
        sentence = " ".join(words[:max_words]).rstrip(",;:") + "…"
    return sentence if not sentence or sentence[-1] in ".!?…" else f"{sentence}."


def _priced(product: Mapping[str, Any]) -> str:
    price, currency = price_of(product)
    return _the(product["name"].strip()) + ("" if price is None else f" at {format_price(price, currency)}")


def _product_list(data: Any) -> list[tuple[Mapping[str, Any], str | None]] | None:
    """The entries of a product list (products, or wrappers like {"product": ..., "reason": ...})."""
    candidates = [data] if isinstance(data, list) else []
    if isinstance(data, Mapping):
        candidates = [data[k] for k in _LIST_KEYS if isinstance(data.get(k), list)]
        candidates += [v for v in data.values() if isinstance(v, list) and v and all(_entry(e) for e in v)]
    for value in candidates:
        entries = [_entry(e) for e in value]
        if all(entries):
            return [e for e in entries if e is not None]
    return None


def _entry(value: Any) -> tuple[Mapping[str, Any], str | None] | None:
    if not isinstance(value, Mapping):
        return None
    reason = value.get("reason") or value.get("why")
    reason = reason if isinstance(reason, str) else None
    if is_product(value):
        return value, reason
    inner = next((v for v in value.values() if is_product(v)), None)
    return None if inner is None else (inner, reason)


def _single_product(data: Any) -> Mapping[str, Any] | None:
    if is_product(data):
        return dict(data)
    inner = data.get("product") if isinstance(data, Mapping) else None
    return dict(inner) if isinstance(inner, Mapping) and is_product(inner) else None


def _list_answer(entries: list[tuple[Mapping[str, Any], str | None]], user_text: str | None) -> str:
    if not entries:
        query = extract_slots(user_text).query if user_text else None
        matching = (
            f"any matches for {query}" if query and len(query.split()) <= 8 else "anything matching that"
        )
        return f"I couldn't find {matching}. Could you try describing it another way?"
    named = [_priced(product) for product, _ in entries[:_NAMED]]
    more = len(entries) - len(named)
    options = "one option" if len(entries) == 1 else f"{_count(len(entries))} options"
    listed = _join(named) + (f", plus {_count(more)} more" if more else "")
    sentences = [f"I found {options}: {listed}."]
    product, reason = entries[0]
    if reason:
        why = _first_sentence(reason, max_words=20)
        why = why[:1].lower() + why[1:] if why[1:2].islower() else why
        sentences.append(f"{_capital(_the(product['name'].strip()))} stands out: {why}")
    sentences.append(
        "Would you like details on any of them?" if len(entries) > 1 else "Would you like more details?"
    )
    return " ".join(sentences)


def _stock_phrase(product: Mapping[str, Any]) -> str | None:
    """ "in stock", "only 2 left" or "out of stock" (or the output's own availability words)."""
    stock = number(product.get("stock", product.get("quantity_available")))
    if stock is not None:
        if stock <= 0:
            return "out of stock"
        return f"only {int(stock)} left" if stock <= _FEW_LEFT else "in stock"
    in_stock = product.get("in_stock", product.get("available"))
    if isinstance(in_stock, bool):
        return "in stock" if in_stock else "out of stock"
    availability = product.get("availability")
    return availability.replace("_", " ").lower() if isinstance(availability, str) else None


def _details_answer(product: Mapping[str, Any]) -> str:
    name = _capital(_the(product["name"].strip()))
    price, currency = price_of(product)
    stock = _stock_phrase(product)
    if stock and stock.startswith("only "):
        stock_clause = f"there are {stock}"
    else:
        stock_clause = f"it's {stock}" if stock else ""
    if price is not None:
        joiner = ", and " if stock == "in stock" else ", but "
        sentences = [f"{name} costs {format_price(price, currency)}{joiner + stock_clause if stock else ''}."]
    else:
        sentences = [f"{name}: {stock_clause}." if stock else f"Here's {_the(product['name'].strip())}."]
    description = product.get("description")
    if isinstance(description, str) and description.strip():
        clause = _first_sentence(re.split(r"[;:]", description.strip())[0], max_words=20)
        if re.match(r"(?i)an?\s", clause):
            clause = f"It's {clause[0].lower()}{clause[1:]}"
        sentences.append(clause)
    return " ".join(sentences)


def _cart_answer(data: Any, tool_name: str | None) -> str | None:
    """A cart: under a "cart" key, or items with quantities and a total, or anything a cart tool returned."""
    if not isinstance(data, Mapping):
        return None
    cart: Mapping[str, Any] = data["cart"] if isinstance(data.get("cart"), Mapping) else data
    items = cart.get("items", cart.get("lines"))
    if not isinstance(items, list) or not all(_quantity(i) is not None for i in items):
        return None
    named_cart = cart is not data or any(w in (tool_name or "").lower() for w in ("cart", "basket"))
    if not (named_cart or (items and any(k in cart for k in _TOTAL_KEYS))):
        return None
    change = _change_sentence(data)
    sentences = [change] if change else []
    if not items:
        return " ".join([*sentences, "Your cart is empty."])
    units = sum(_quantity(i) or 1 for i in items)
    lines = []
    for item in items[:_NAMED]:
        quantity = _quantity(item) or 1
        inner = item.get("product")
        name = str(item.get("name") or (inner.get("name") if isinstance(inner, Mapping) else None) or "item")
        lines.append(f"{quantity} of {_the(name)}" if quantity > 1 else _the(name))
    if len(items) > _NAMED:
        lines.append(f"{_count(len(items) - _NAMED)} more")
    total, currency = price_of(cart, _TOTAL_KEYS)
    summary = f"Your cart has {_count(units)} item{'s' if units != 1 else ''}: {_join(lines)}"
    sentences.append(summary + (f", total {format_price(total, currency)}." if total is not None else "."))
    return " ".join(sentences)


def _quantity(item: Any) -> int | None:
    """An item's quantity, or None when it is not a dict with one."""
    if not isinstance(item, Mapping):
        return None
    value = next((number(item[k]) for k in _QUANTITY_KEYS if k in item), None)
    return None if value is None else int(value)


def _change_sentence(data: Mapping[str, Any]) -> str | None:
    """What an add or remove changed, when the output says so."""
    for key, verb in (("added", "Added"), ("removed", "Removed")):
        change = data.get(key)
        if isinstance(change, Mapping) and isinstance(change.get("name"), str):
            quantity = _quantity(change) or 1
            count = f"{quantity} of " if quantity > 1 else ""
            where = "to" if key == "added" else "from"
            return f"{verb} {count}{_the(change['name'].strip())} {where} your cart."
    message = data.get("message")
    return _first_sentence(message) if isinstance(message, str) and message.strip() else None


def _generic_answer(data: Any) -> str:
    if isinstance(data, Mapping):
        message = data.get("message") or data.get("result") or data.get("summary")
        if isinstance(message, str) and message.strip():
            return _first_sentence(message)
        if isinstance(data.get("status"), str):
            return f"Done. The status is {data['status'].replace('_', ' ')}."
        scalars = [
            (k, v) for k, v in data.items() if isinstance(v, str | int | float) and not isinstance(v, bool)
        ]
        if scalars and len(scalars) <= 6:
            fields = [f"{k.replace('_', ' ')} {v}" for k, v in scalars[:4]]
            return f"Here's what I found: {_join(fields)}."
    if isinstance(data, list) and data and all(isinstance(v, str | int | float) for v in data):
        return f"Here's what I found: {_join([str(v) for v in data[:5]])}."
    return "Done."

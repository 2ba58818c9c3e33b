"""Slots read from one request, and a tool's arguments filled from them by the tool's own JSON schema."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from orchestrator.emulators.azure_openai.realtime.prices import numerals, price_limits
from orchestrator.emulators.azure_openai.realtime.specs import ProductRef, RouterContext, ToolSpec
from orchestrator.emulators.azure_openai.realtime.utterance import (
    clean_query,
    find_product,
    find_quantity,
    residue,
    strip_spans,
)
from orchestrator.emulators.azure_openai.realtime.vocab import (
    FUNCTION_WORDS,
    content_words,
    identifier_words,
    stem,
    tokens,
    wordset,
)

__all__ = [
    "ProductRef",
    "Slots",
    "extract_slots",
    "fill_arguments",
    "generalized",
    "param_role",
    "schema_types",
    "spoken",
]

Role = Literal[
    "query", "product_id", "product_sku", "product_name", "quantity", "money", "max_price", "min_price",
    "other",
]  # fmt: skip

_QUERY_WORDS = wordset(
    "query q search text keywords keyword need needs description request terms term prompt question phrase "
    "input activity usecase topic"
)
_PRODUCT_WORDS = wordset("id ids sku item product productid itemid")
_QUANTITY_WORDS = wordset("quantity qty count amount units number")
_PRICE_WORDS = wordset("price cost budget spend")
_MONEY_WORDS = wordset("dollar dollars usd eur euro euros gbp pound pounds money currency cash")
_MIN_WORDS = wordset("min minimum lower least floor from")
_MAX_WORDS = wordset("max maximum upper most limit ceiling budget under")


@dataclass(frozen=True)
class Slots:
    """What one request says. `query` is the request without filler, price phrases or politeness;
    `mention` is where the request pointed at `product`, in `spoken(text)`."""

    query: str | None
    quantity: int | None
    max_price: float | None
    min_price: float | None
    product: ProductRef | None
    mention: tuple[int, int] | None = None


def spoken(text: str) -> str:
    """The request as the slot reader sees it: whitespace collapsed, number words as digits."""
    return numerals(" ".join(text.replace("’", "'").split()))


def generalized(text: str, slots: Slots, noun: str) -> str:
    """The request with its product reference replaced by "the <noun>" ("add the first one to my cart" →
    "add the product to my cart"), which says more to the embedding model than an ordinal or a pronoun."""
    if slots.mention is None:
        return text
    said = spoken(text)
    start, end = slots.mention
    return f"{said[:start]}the {noun}{said[end:]}"


def extract_slots(text: str, context: RouterContext | None = None) -> Slots:
    said = spoken(text)
    limits = price_limits(said)
    unpriced = strip_spans(said, limits.spans)
    found = find_product(unpriced, context)
    names = [p.name for p in context.candidates()] if context else []
    quantity, where = find_quantity(unpriced, names)
    if where is not None and not clean_query(unpriced[: where[0]]):
        unpriced = strip_spans(unpriced, (where,))
    product, mention = found if found else (None, None)
    return Slots(clean_query(unpriced), quantity, limits.max_price, limits.min_price, product, mention)


def param_role(name: str, schema: Mapping[str, Any]) -> Role:
    """Which slot a parameter wants, judged by its name's words, then by its description's. A quantity
    that the name or description says is money ("amount": "Amount in dollars") is a sum of money; a
    product parameter not named an id follows its description ("item": "The product SKU")."""
    name_words = set(identifier_words(name))
    description = tokens(str(schema.get("description") or ""))[:12]
    role = _role_of(name_words, name.lower())
    if role == "other":
        role = _role_of(set(description) | {stem(w) for w in description}, "")
    if role == "quantity" and (name_words | set(description)) & _MONEY_WORDS:
        return "money"
    if role == "product_id" and not name_words & {"id", "ids"}:
        if "sku" in description:
            return "product_sku"
        if "name" in description or "title" in description:
            return "product_name"
    return role


def _role_of(words: set[str], name: str) -> Role:
    if words & _PRICE_WORDS or name in ("max", "min", "maximum", "minimum"):
        return "min_price" if words & _MIN_WORDS else "max_price"
    if "sku" in words:
        return "product_sku"
    if words & _PRODUCT_WORDS and not words & _QUANTITY_WORDS:
        return "product_name" if "name" in words or "title" in words else "product_id"
    if words & _QUANTITY_WORDS:
        return "quantity"
    if words & _QUERY_WORDS:
        return "query"
    return "other"


def fill_arguments(tool: ToolSpec, slots: Slots, text: str) -> tuple[dict[str, Any], list[str]]:
    """Arguments for `tool` from the slots (only keys its schema declares, coerced to their types), and the
    required parameters that could not be filled. Optional parameters without a value are left out."""
    arguments: dict[str, Any] = {}
    required = tool.required
    said = spoken(text)
    for name, schema in tool.properties.items():
        value = _value_for(name, schema, slots, said, tool, name in required)
        coerced = _coerce(value, schema) if value is not None else None
        if coerced is not None:
            arguments[name] = coerced
    return arguments, [name for name in required if name not in arguments]


def _value_for(
    name: str, schema: Mapping[str, Any], slots: Slots, text: str, tool: ToolSpec, required: bool
) -> Any:
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return _enum_value(enum, text)
    kinds = schema_types(schema)
    if "boolean" in kinds:
        words = [stem(w) for w in identifier_words(name) if w not in FUNCTION_WORDS | {"is", "has", "only"}]
        return True if words and set(words) <= set(content_words(text)) else None
    if kinds & {"object", "array"}:
        return None
    role = param_role(name, schema)
    product = slots.product
    if role == "product_id" and product:
        return product.id if product.id is not None else product.sku
    if role == "product_sku" and product:
        return product.sku if product.sku is not None else product.id
    if role == "product_name":
        return product.name if product else residue(text, tool)
    if role == "quantity":
        return slots.quantity if slots.quantity is not None else (1 if required else None)
    if role == "money":
        money = slots.max_price if slots.max_price is not None else slots.min_price
        return money if money is not None else _number_for(name, text)
    if role == "max_price":
        return slots.max_price
    if role == "min_price":
        return slots.min_price
    if role == "query":
        return slots.query
    if role == "other" and required:
        if kinds & {"integer", "number"}:
            return _number_for(name, text)
        return residue(text, tool)
    return None


def _number_for(name: str, text: str) -> int | None:
    """A number in the text, preferring one followed by the parameter's own word ("10 minutes")."""
    unit = "|".join(re.escape(w) for w in identifier_words(name))
    if unit and (match := re.search(rf"(\d+)\s+(?:{unit})", text, re.IGNORECASE)):
        return int(match.group(1))
    match = re.search(r"\b\d+\b", text)
    return int(match.group(0)) if match else None


def _enum_value(enum: list[Any], text: str) -> Any:
    said = " " + " ".join(stem(t) for t in tokens(text)) + " "
    for value in sorted(enum, key=lambda v: -len(str(v))):
        words = [stem(t) for t in tokens(str(value).replace("_", " "))]
        if words and f" {' '.join(words)} " in said:
            return value
    return None


def schema_types(schema: Mapping[str, Any]) -> set[str]:
    """The JSON types a parameter's schema allows (`type` as a string or a list, and any `anyOf`/`oneOf`)."""
    kind = schema.get("type")
    found = {kind} if isinstance(kind, str) else set()
    if isinstance(kind, list):
        found = {k for k in kind if isinstance(k, str)}
    for option in schema.get("anyOf") or schema.get("oneOf") or []:
        if isinstance(option, Mapping):
            found |= schema_types(option)
    return found


def _coerce(value: Any, schema: Mapping[str, Any]) -> Any:
    """`value` as the first of integer, number or string the schema allows; None when it cannot be."""
    kinds = schema_types(schema) - {"null"}
    if not kinds or isinstance(value, bool):
        return value
    for kind in ("integer", "number", "string"):
        if kind not in kinds:
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = None
        if kind == "integer" and number is not None and number.is_integer():
            return int(number)
        if kind == "number" and number is not None:
            return int(number) if number.is_integer() and isinstance(value, int) else number
        if kind == "string":
            if isinstance(value, float):
                return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0")
            return str(value)
    return None

"""OTLP attribute values (AnyValue) as JSON-safe Python values, of bounded size, whatever they hold."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["JSONValue", "Limits", "Scalar", "any_value", "attributes", "scalar", "service_of"]

JSONValue = str | int | float | bool | None | list[Any] | dict[str, Any]
Scalar = str | int | float | bool | None

_MAX_DEPTH = 4
_MAX_ITEMS = 64
UNKNOWN_SERVICE = "unknown_service"


@dataclass(frozen=True)
class Limits:
    max_attributes: int = 128
    max_value_chars: int = 4_096


def _text(value: str, limits: Limits) -> str:
    return value if len(value) <= limits.max_value_chars else value[: limits.max_value_chars] + "…"


def any_value(value: Any, limits: Limits, depth: int = 0) -> JSONValue:
    """An AnyValue message as a plain value; bytes become hex, NaN and infinities strings."""
    try:
        kind = value.WhichOneof("value")
    except (AttributeError, ValueError, TypeError):
        return None
    if kind is None:
        return None
    raw = getattr(value, kind)
    if kind == "string_value":
        return _text(str(raw), limits)
    if kind == "bool_value":
        return bool(raw)
    if kind == "int_value":
        return int(raw)
    if kind == "double_value":
        number = float(raw)
        return number if math.isfinite(number) else str(number)
    if kind == "bytes_value":
        return _text(bytes(raw).hex(), limits)
    if depth >= _MAX_DEPTH:
        return "…"
    if kind == "array_value":
        return [any_value(item, limits, depth + 1) for item in list(raw.values)[:_MAX_ITEMS]]
    if kind == "kvlist_value":
        return {
            _text(str(kv.key), limits): any_value(kv.value, limits, depth + 1)
            for kv in list(raw.values)[:_MAX_ITEMS]
        }
    return _text(str(raw), limits)


def attributes(pairs: Iterable[Any], limits: Limits) -> dict[str, JSONValue]:
    """KeyValue messages as a dict, at most `limits.max_attributes` of them."""
    out: dict[str, JSONValue] = {}
    for pair in pairs:
        if len(out) >= limits.max_attributes:
            break
        out[_text(str(pair.key), limits)] = any_value(pair.value, limits)
    return out


def scalar(value: JSONValue) -> Scalar:
    """A hashable form of a value (lists and maps as compact JSON), for metric series keys."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value, separators=(",", ":"), sort_keys=True, default=str)


def service_of(resource_attributes: dict[str, JSONValue]) -> str:
    name = resource_attributes.get("service.name")
    return name if isinstance(name, str) and name else UNKNOWN_SERVICE

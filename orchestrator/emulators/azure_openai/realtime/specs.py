"""Value types the intent router, slot filler and composer share: tools, products, conversation context."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ProductRef", "RouterContext", "ToolSpec"]

_SEEN_LIMIT = 50


@dataclass(frozen=True)
class ToolSpec:
    """A function tool exactly as the session declared it."""

    name: str
    description: str
    parameters: Mapping[str, Any]

    @classmethod
    def from_session(cls, tool: Mapping[str, Any]) -> ToolSpec:
        """From a Realtime `tools` entry `{"type": "function", "name", "description", "parameters"}`
        (the Chat Completions form `{"type": "function", "function": {...}}` is accepted too)."""
        inner = tool.get("function")
        spec: Mapping[str, Any] = inner if isinstance(inner, Mapping) else tool
        parameters = spec.get("parameters")
        return cls(
            name=str(spec.get("name") or ""),
            description=str(spec.get("description") or ""),
            parameters=parameters if isinstance(parameters, Mapping) else {},
        )

    @property
    def properties(self) -> Mapping[str, Mapping[str, Any]]:
        props = self.parameters.get("properties")
        if not isinstance(props, Mapping):
            return {}
        return {str(k): v for k, v in props.items() if isinstance(v, Mapping)}

    @property
    def required(self) -> list[str]:
        required = self.parameters.get("required")
        if not isinstance(required, list):
            return []
        return [str(r) for r in required if str(r) in self.properties]


@dataclass(frozen=True)
class ProductRef:
    """A product the conversation has mentioned, as a function output described it."""

    id: str | None
    name: str
    sku: str | None = None
    price: float | None = None
    currency: str | None = None

    def same_as(self, other: ProductRef) -> bool:
        if self.id is not None and other.id is not None:
            return self.id == other.id
        if self.sku is not None and other.sku is not None:
            return self.sku == other.sku
        return self.name.casefold() == other.name.casefold()


@dataclass
class RouterContext:
    """What a turn can point back to.

    `products` is the most recent product list the assistant presented (search, recommendation or cart
    results) in the order presented: "the first one" is `products[0]`, "the last one" `products[-1]`.
    `focus` is the one product discussed since that list (a details lookup, an add), or None; "it" and
    "that one" mean `focus` when set, else `products[0]`. `seen` is every product mentioned in the
    session, newest first, for references by name. `remember()` keeps all three up to date.
    """

    products: list[ProductRef] = field(default_factory=list)
    focus: ProductRef | None = None
    seen: list[ProductRef] = field(default_factory=list)

    def remember(self, products: Sequence[ProductRef]) -> None:
        """Record the products one function output mentioned (see `composer.products_in`)."""
        if not products:
            return
        if len(products) == 1:
            self.focus = products[0]
            if not self.products:
                self.products = [products[0]]
        else:
            self.products = list(products)
            self.focus = None
        newest = list(products)
        older = [p for p in self.seen if not any(p.same_as(n) for n in newest)]
        self.seen = (newest + older)[:_SEEN_LIMIT]

    def candidates(self) -> list[ProductRef]:
        """Every product a name could refer to, most recent first, without repeats."""
        found: list[ProductRef] = []
        pool = ([self.focus] if self.focus else []) + self.products + self.seen
        for product in pool:
            if not any(product.same_as(f) for f in found):
                found.append(product)
        return found

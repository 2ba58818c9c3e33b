"""The shopping tools run server-side: one ToolRunner per customer session, over its cart and the catalog.

`run` never raises (except on cancellation): every failure becomes an `{"error": ...}` output the voice model
can say in plain words.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from opentelemetry import trace
from pydantic import ValidationError

from store_realtime.cart import Cart, CartError
from store_realtime.products_client import (
    ProductNotFound,
    ProductsClient,
    ProductsRejected,
    ProductsTimeout,
    ProductsUnavailable,
    money,
)
from store_realtime.tool_specs import (
    TOOL_DEFINITIONS,
    TOOL_NAMES,
    AddToCartArgs,
    NoArgs,
    ProductDetailsArgs,
    RecommendArgs,
    RemoveFromCartArgs,
    SearchArgs,
    ToolArgs,
    cart_change,
    compact_json,
    product_details,
    product_listing,
)

__all__ = ["TOOL_DEFINITIONS", "TOOL_NAMES", "ToolResult", "ToolRunner"]

_log = logging.getLogger(__name__)

SEARCH_TOP_K = 5
RECOMMEND_TOP_K = 3
TIMED_OUT = "The product catalog did not answer in time. Please try again."
UNREACHABLE = "I couldn't reach the product catalog. Please try again in a moment."


@dataclass(frozen=True)
class ToolResult:
    """One tool call's outcome. `output` goes back to the model as the function_call_output; `products`
    (public cards) and `cart` (a snapshot) are for the page."""

    name: str
    call_id: str
    arguments: dict[str, Any]
    output: str
    ok: bool
    error: str | None
    duration_ms: float
    products: list[dict[str, Any]] | None = None
    cart: dict[str, Any] | None = None


@dataclass(frozen=True)
class _Outcome:
    output: dict[str, Any]
    products: list[dict[str, Any]] | None = None
    cart: dict[str, Any] | None = None


class _Refused(Exception):
    """A tool call that cannot run; the message is for the model."""


Handler = Callable[[Any], Awaitable[_Outcome]]


class ToolRunner:
    """Runs the shopping tools for one session: `products` is shared, `cart` is this customer's."""

    def __init__(self, products: ProductsClient, cart: Cart, *, timeout_s: float = 8.0) -> None:
        self._products = products
        self._cart = cart
        self._timeout_s = timeout_s
        self._tracer = trace.get_tracer(__name__)
        self._tools: dict[str, tuple[type[ToolArgs], Handler]] = {
            "search_products": (SearchArgs, self._search),
            "recommend_products": (RecommendArgs, self._recommend),
            "get_product_details": (ProductDetailsArgs, self._details),
            "add_to_cart": (AddToCartArgs, self._add),
            "remove_from_cart": (RemoveFromCartArgs, self._remove),
            "view_cart": (NoArgs, self._view),
        }

    @property
    def cart(self) -> Cart:
        return self._cart

    async def run(self, name: str, call_id: str, arguments: str) -> ToolResult:
        started = time.perf_counter()
        with self._tracer.start_as_current_span(
            f"tool {name}", attributes={"tool.name": name, "tool.call_id": call_id}
        ) as span:
            parsed: dict[str, Any] = {}
            outcome: _Outcome | None = None
            error: str | None = None
            try:
                parsed = _arguments(name, arguments)
                outcome = await self._dispatch(name, parsed)
            except _Refused as exc:
                error = str(exc)
            except Exception:  # noqa: BLE001 - the model gets a sentence, the log gets the traceback
                _log.exception("tool %s (call %s) failed", name, call_id)
                error = f"Something went wrong while running {name}. Please try again."
            duration_ms = (time.perf_counter() - started) * 1000
            span.set_attribute("tool.ok", error is None)
        if outcome is None:
            _log.info("tool %s (call %s) refused in %.1f ms: %s", name, call_id, duration_ms, error)
            outcome = _Outcome({"error": error})
        else:
            _log.info("tool %s (call %s) ok in %.1f ms", name, call_id, duration_ms)
        return ToolResult(
            name=name,
            call_id=call_id,
            arguments=parsed,
            output=compact_json(outcome.output),
            ok=error is None,
            error=error,
            duration_ms=duration_ms,
            products=outcome.products,
            cart=outcome.cart,
        )

    async def _dispatch(self, name: str, arguments: dict[str, Any]) -> _Outcome:
        entry = self._tools.get(name)
        if entry is None:
            raise _Refused(f"There is no tool named {name!r}. The tools are: {', '.join(self._tools)}.")
        model, handler = entry
        try:
            args = model.model_validate(arguments)
        except ValidationError as exc:
            raise _Refused(_invalid(name, exc)) from exc
        try:
            async with asyncio.timeout(self._timeout_s):
                return await handler(args)
        except (TimeoutError, ProductsTimeout) as exc:
            raise _Refused(TIMED_OUT) from exc
        except ProductNotFound as exc:
            raise _Refused(f"There is no product with id {exc.product_id}.") from exc
        except ProductsUnavailable as exc:
            _log.warning("products_service unavailable during %s: %s", name, exc.message)
            raise _Refused(UNREACHABLE) from exc
        except ProductsRejected as exc:
            raise _Refused(f"The product catalog refused that request: {exc.message}") from exc
        except CartError as exc:
            raise _Refused(exc.message) from exc

    async def _search(self, args: SearchArgs) -> _Outcome:
        cards = await self._products.search(
            args.query, max_price=args.max_price, category=args.category, top_k=SEARCH_TOP_K
        )
        output = product_listing(cards)
        if not cards and args.category:
            cards = await self._products.search(args.query, max_price=args.max_price, top_k=SEARCH_TOP_K)
            output = product_listing(cards)
            if cards:
                output["note"] = (
                    f"Nothing in the department {args.category!r}; these are from all departments."
                )
        return _Outcome(output, products=[c.public() for c in cards])

    async def _recommend(self, args: RecommendArgs) -> _Outcome:
        found = await self._products.recommend(args.need, max_price=args.max_price, top_k=RECOMMEND_TOP_K)
        return _Outcome(product_listing(found.products), products=[c.public() for c in found.products])

    async def _details(self, args: ProductDetailsArgs) -> _Outcome:
        card = await self._products.get(args.product_id)
        return _Outcome({"product": product_details(card)}, products=[card.public()])

    async def _add(self, args: AddToCartArgs) -> _Outcome:
        card = await self._products.get(args.product_id)
        self._cart.add(card, args.quantity)
        added = cart_change(card.id, card.name, args.quantity)
        return self._cart_outcome({"added": {**added, "price": money(card.price), "currency": card.currency}})

    async def _remove(self, args: RemoveFromCartArgs) -> _Outcome:
        removed = self._cart.remove(args.product_id, args.quantity)
        return self._cart_outcome(
            {"removed": cart_change(removed.product_id, removed.name, removed.quantity)}
        )

    async def _view(self, _args: NoArgs) -> _Outcome:
        return self._cart_outcome({})

    def _cart_outcome(self, change: dict[str, Any]) -> _Outcome:
        snapshot = self._cart.snapshot()
        return _Outcome({**change, "cart": snapshot}, cart=snapshot)


def _arguments(name: str, arguments: str) -> dict[str, Any]:
    if not arguments.strip():
        return {}
    try:
        value = json.loads(arguments)
    except ValueError as exc:
        raise _Refused(f"The arguments for {name} are not valid JSON.") from exc
    if not isinstance(value, dict):
        raise _Refused(f"The arguments for {name} must be a JSON object.")
    return value


def _invalid(name: str, exc: ValidationError) -> str:
    problems = []
    for error in exc.errors(include_url=False)[:3]:
        field = ".".join(str(p) for p in error["loc"]) or "arguments"
        problems.append(f"{field} is required" if error["type"] == "missing" else f"{field}: {error['msg']}")
    return f"Invalid arguments for {name}: {'; '.join(problems)}."

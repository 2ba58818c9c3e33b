"""The HTTP client for products_service: product cards out, its failures translated into typed errors."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = [
    "MAX_PRODUCT_ID",
    "ProductCard",
    "ProductNotFound",
    "ProductsClient",
    "ProductsError",
    "ProductsRejected",
    "ProductsTimeout",
    "ProductsUnavailable",
    "RecommendationResult",
    "money",
]

_log = logging.getLogger(__name__)
_M = TypeVar("_M", bound=BaseModel)

MAX_PRODUCT_ID = 2**31 - 1
_CENT = Decimal("0.01")
_MAX_PRICE = Decimal("9999999999.99")


def money(amount: Decimal) -> str:
    """An amount as the string the page and the model see: two decimals, no exponent."""
    return f"{amount.quantize(_CENT):f}"


class ProductsError(Exception):
    """products_service could not give an answer; `message` says why, `status` is its HTTP status if any."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class ProductNotFound(ProductsError):
    def __init__(self, product_id: int) -> None:
        super().__init__(f"no product has id {product_id}", status=404)
        self.product_id = product_id


class ProductsUnavailable(ProductsError):
    """Not reachable, failed (5xx), or answered something unreadable."""


class ProductsTimeout(ProductsUnavailable):
    """No answer within the client's timeout."""


class ProductsRejected(ProductsError):
    """A 4xx other than a missing product: the request itself was refused."""


class ProductCard(BaseModel):
    """One product as the store shows it; `reason` is set on recommendations."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: int
    sku: str
    name: str
    description: str = ""
    category: str = ""
    brand: str = ""
    price: Decimal = Field(ge=0)
    currency: str
    stock: int = 0
    in_stock: bool = False
    image_url: str | None = None
    reason: str | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)

    def public(self) -> dict[str, Any]:
        """JSON-safe, with the price as a two-decimal string."""
        return {**self.model_dump(mode="json"), "price": money(self.price)}


@dataclass(frozen=True)
class RecommendationResult:
    products: list[ProductCard]
    ranked_by: str
    fallback_reason: str | None = None


class _Hit(BaseModel):
    product: ProductCard


class _SearchAnswer(BaseModel):
    items: list[_Hit]
    notice: str | None = None


class _Pick(BaseModel):
    product: ProductCard
    reason: str


class _RecommendAnswer(BaseModel):
    items: list[_Pick]
    ranked_by: str
    fallback_reason: str | None = None


class ProductsClient:
    """products_service's read API. `http` is the caller's (instrumented) client; every call is bounded by
    `timeout_s` whatever the transport."""

    def __init__(self, base_url: str, *, http: httpx.AsyncClient, timeout_s: float = 5.0) -> None:
        self._base_url = base_url.rstrip("/")
        self._http = http
        self._timeout_s = timeout_s

    async def search(
        self,
        query: str,
        *,
        max_price: Decimal | float | None = None,
        min_price: Decimal | float | None = None,
        category: str | None = None,
        in_stock: bool | None = None,
        top_k: int = 5,
    ) -> list[ProductCard]:
        filters = _filters(max_price=max_price, min_price=min_price, category=category, in_stock=in_stock)
        body = {"query": query, "top_k": top_k, "filters": filters}
        answer = _parse(_SearchAnswer, await self._call("POST", "/api/v1/search", body))
        if answer.notice:
            _log.warning("products search degraded: %s", answer.notice)
        return [hit.product for hit in answer.items]

    async def recommend(
        self, need: str, *, max_price: Decimal | float | None = None, top_k: int = 3
    ) -> RecommendationResult:
        body = {"need": need, "top_k": top_k, "filters": _filters(max_price=max_price)}
        answer = _parse(_RecommendAnswer, await self._call("POST", "/api/v1/recommendations", body))
        return RecommendationResult(
            products=[pick.product.model_copy(update={"reason": pick.reason}) for pick in answer.items],
            ranked_by=answer.ranked_by,
            fallback_reason=answer.fallback_reason,
        )

    async def get(self, product_id: int) -> ProductCard:
        if not 1 <= product_id <= MAX_PRODUCT_ID:
            raise ProductNotFound(product_id)
        return _parse(
            ProductCard, await self._call("GET", f"/api/v1/products/{product_id}", product_id=product_id)
        )

    async def _call(
        self, method: str, path: str, body: dict[str, Any] | None = None, *, product_id: int | None = None
    ) -> Any:
        try:
            async with asyncio.timeout(self._timeout_s):
                response = await self._http.request(
                    method, f"{self._base_url}{path}", json=body, timeout=self._timeout_s
                )
        except (TimeoutError, httpx.TimeoutException) as exc:
            raise ProductsTimeout(f"products_service did not answer within {self._timeout_s:g} s") from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise ProductsUnavailable(
                f"products_service could not be reached: {str(exc) or type(exc).__name__}"
            ) from exc
        data = _json(response)
        status = response.status_code
        if status < 300:
            if data is None:
                raise ProductsUnavailable(f"products_service sent an unreadable answer to {method} {path}")
            return data
        message = _message(data) or response.reason_phrase or f"HTTP {status}"
        code = data.get("code") if isinstance(data, dict) else None
        if status == 404 and product_id is not None and code == "not_found":
            raise ProductNotFound(product_id)
        if 400 <= status < 500 and status != 404:
            raise ProductsRejected(message, status=status)
        raise ProductsUnavailable(
            f"products_service answered {status} to {method} {path}: {message}", status=status
        )


def _filters(
    *,
    max_price: Decimal | float | None = None,
    min_price: Decimal | float | None = None,
    category: str | None = None,
    in_stock: bool | None = None,
) -> dict[str, Any]:
    """The service takes prices with at most two decimals: a budget rounds down, a floor up."""
    filters: dict[str, Any] = {}
    if max_price is not None:
        highest = Decimal(str(max_price)).quantize(_CENT, rounding=ROUND_FLOOR)
        if highest < _MAX_PRICE:
            filters["max_price"] = money(highest)
    if min_price is not None:
        filters["min_price"] = money(Decimal(str(min_price)).quantize(_CENT, rounding=ROUND_CEILING))
    if category is not None:
        filters["category"] = category
    if in_stock is not None:
        filters["in_stock"] = in_stock
    return filters


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _message(data: Any) -> str | None:
    """The service's own words from an error body: `detail` as text, or its first validation error."""
    detail = data.get("detail") if isinstance(data, dict) else None
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list) and detail and isinstance(detail[0], dict):
        first = detail[0]
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        return f"{where}: {first.get('msg')}" if where else str(first.get("msg"))
    return None


def _parse(model: type[_M], data: Any) -> _M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ProductsUnavailable(
            f"products_service sent an unexpected answer: {exc.errors()[0]['msg']}"
        ) from exc

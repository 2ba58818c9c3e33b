"""Request and response bodies, named by role (ProductCreate, ProductPublic, ...)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)

__all__ = [
    "MAX_QUERY_CHARS",
    "AttributeValue",
    "ImportReport",
    "ImportRowError",
    "LegacyProduct",
    "LegacySearchResponse",
    "Price",
    "ProductCreate",
    "ProductPublic",
    "ProductUpdate",
    "ProductsPublic",
    "Recommendation",
    "RecommendationRequest",
    "RecommendationsPublic",
    "SearchFilters",
    "SearchHit",
    "SearchMode",
    "SearchRequest",
    "SearchResults",
]

MAX_QUERY_CHARS = 1000

# At least one visible character: whitespace-only text is refused, by Python and JSON Schema alike.
VISIBLE = r"[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]"

Sku = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
    ),
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=VISIBLE)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80, pattern=VISIBLE)]
Description = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000, pattern=VISIBLE)
]
Tag = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=40, pattern=VISIBLE)
]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
PRICE_JSON_SCHEMA = {
    "anyOf": [
        {"type": "number", "minimum": 0, "maximum": 9999999999.99, "multipleOf": 0.01},
        {"type": "string", "pattern": r"^(0|[1-9][0-9]{0,9})(\.[0-9]{1,2})?$"},
    ],
    "description": "An exact amount with at most two decimals; answers carry it as a string.",
    "examples": ["49.99"],
}
Price = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2), WithJsonSchema(PRICE_JSON_SCHEMA)]
ImageUrl = Annotated[str, StringConstraints(max_length=500, pattern=r"^(/|https?://)[!-~]*$")]
AttributeValue = str | int | float | bool | list[str] | None
AttributeName = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Attributes = Annotated[dict[AttributeName, AttributeValue], Field(max_length=50)]
Query = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_QUERY_CHARS, pattern=VISIBLE)
]


class ProductCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: Sku
    name: Name
    description: Description
    category: Label
    brand: Label
    price: Price
    currency: Currency = "USD"
    stock: int = Field(0, ge=0, le=1_000_000_000)
    tags: list[Tag] = Field(default_factory=list, max_length=30)
    attributes: Attributes = Field(default_factory=dict)
    image_url: ImageUrl | None = None


def _left_out(**constraints: Any) -> Any:
    """A field that may be left out but, when sent, must not be null."""
    return Field(default=None, **constraints)


class ProductUpdate(BaseModel):
    """Only the fields sent change; `image_url` may be cleared with null."""

    model_config = ConfigDict(extra="forbid")

    name: Name = _left_out()
    description: Description = _left_out()
    category: Label = _left_out()
    brand: Label = _left_out()
    price: Price = _left_out()
    currency: Currency = _left_out()
    stock: int = _left_out(ge=0, le=1_000_000_000)
    tags: list[Tag] = _left_out(max_length=30)
    attributes: Attributes = _left_out()
    image_url: ImageUrl | None = None


class ProductPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    sku: str
    name: str
    description: str
    category: str
    brand: str
    price: Decimal
    currency: str
    stock: int
    in_stock: bool
    tags: list[str]
    attributes: dict[str, Any]
    image_url: str | None
    created_at: datetime
    updated_at: datetime


class ProductsPublic(BaseModel):
    items: list[ProductPublic]
    total: int
    offset: int
    limit: int


class SearchMode(StrEnum):
    semantic = "semantic"
    keyword = "keyword"
    hybrid = "hybrid"


class SearchFilters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: Label | None = None
    min_price: Price | None = None
    max_price: Price | None = None
    in_stock: bool | None = None


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: Query
    top_k: int = Field(5, ge=1, le=50)
    mode: SearchMode = SearchMode.hybrid
    filters: SearchFilters = Field(default_factory=SearchFilters)


class SearchHit(BaseModel):
    product: ProductPublic
    score: float
    semantic_rank: int | None = None
    keyword_rank: int | None = None


class SearchResults(BaseModel):
    query: str
    mode: SearchMode
    notice: str | None = Field(None, description="Set when the search had to degrade")
    items: list[SearchHit]


class RecommendationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    need: Query
    top_k: int = Field(3, ge=1, le=10)
    filters: SearchFilters = Field(default_factory=SearchFilters)


class Recommendation(BaseModel):
    product: ProductPublic
    reason: str
    score: float


class RecommendationsPublic(BaseModel):
    need: str
    items: list[Recommendation]
    ranked_by: str = Field(description="`model` when the chat model ranked them, `semantic` otherwise")
    fallback_reason: str | None = None


class ImportRowError(BaseModel):
    row: int = Field(description="1-based row (CSV: data row, not counting the header)")
    sku: str | None
    errors: list[str]


class ImportReport(BaseModel):
    created: int
    updated: int
    unchanged: int
    deleted: int = 0
    embedded: int
    total: int


class LegacyProduct(BaseModel):
    """The eShopLite Product shape."""

    model_config = ConfigDict(populate_by_name=True)

    id: int = 0
    name: Name
    description: Description
    price: Price
    image_url: ImageUrl | None = Field(None, alias="imageUrl")


class LegacySearchResponse(BaseModel):
    response: str
    products: list[LegacyProduct]

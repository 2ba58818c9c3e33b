"""The eShopLite-compatible API (`/api/Product`, `/api/aisearch`), for clients of the original."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, status

from products_service.catalog import ProductFilter
from products_service.db import Product
from products_service.deps import CatalogDep, RuntimeDep, StaffOnly
from products_service.routers import Responses
from products_service.schemas import (
    MAX_QUERY_CHARS,
    LegacyProduct,
    LegacySearchResponse,
    ProductCreate,
    ProductPublic,
    ProductUpdate,
    SearchMode,
)

__all__ = ["router"]

router = APIRouter(tags=["eShopLite compatible"])
ProductId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Term = Annotated[str, Path(min_length=1, max_length=MAX_QUERY_CHARS)]
_NOT_FOUND: Responses = {404: {"description": "No product has this id"}}
_STAFF: Responses = {401: {"description": "The staff key is missing or wrong"}}


def _legacy(product: Product | ProductPublic) -> LegacyProduct:
    return LegacyProduct(
        id=product.id,
        name=product.name,
        description=product.description,
        price=product.price,
        imageUrl=product.image_url,
    )


def _found(products: list[LegacyProduct], term: str) -> LegacySearchResponse:
    message = (
        f"{len(products)} Products found for [{term}]" if products else f"No products found for [{term}]"
    )
    return LegacySearchResponse(response=message, products=products)


@router.get("/api/Product", summary="All products (eShopLite shape)")
async def all_products(catalog: CatalogDep) -> list[LegacyProduct]:
    rows, _ = await catalog.page(offset=0, limit=1_000_000, where=ProductFilter())
    return [_legacy(p) for p in rows]


@router.get("/api/Product/{product_id}", responses=_NOT_FOUND)
async def product_by_id(product_id: ProductId, catalog: CatalogDep) -> LegacyProduct:
    return _legacy(await catalog.get(product_id))


@router.put("/api/Product/{product_id}", dependencies=[StaffOnly], responses={**_NOT_FOUND, **_STAFF})
async def update_product(product_id: ProductId, body: LegacyProduct, catalog: CatalogDep) -> LegacyProduct:
    changes = ProductUpdate(
        name=body.name, description=body.description, price=body.price, image_url=body.image_url
    )
    return _legacy(await catalog.update(product_id, changes))


@router.post("/api/Product", status_code=status.HTTP_201_CREATED, dependencies=[StaffOnly], responses=_STAFF)
async def create_product(body: LegacyProduct, catalog: CatalogDep) -> LegacyProduct:
    created = await catalog.create(
        ProductCreate(
            sku=f"LEGACY-{uuid.uuid4().hex[:12].upper()}",
            name=body.name,
            description=body.description,
            category="Uncategorized",
            brand="Contoso Outdoors",
            price=body.price,
            image_url=body.image_url,
        )
    )
    return _legacy(created)


@router.delete("/api/Product/{product_id}", dependencies=[StaffOnly], responses={**_NOT_FOUND, **_STAFF})
async def delete_product(product_id: ProductId, catalog: CatalogDep) -> dict[str, int]:
    await catalog.delete(product_id)
    return {"id": product_id}


@router.get("/api/Product/search/{term}", summary="Products whose name contains the term")
async def search_by_name(term: Term, catalog: CatalogDep) -> LegacySearchResponse:
    return _found([_legacy(p) for p in await catalog.search_name(term)], term)


@router.get(
    "/api/aisearch/{term}",
    summary="Semantic search, top 3",
    responses={503: {"description": "Embeddings unavailable"}},
)
async def ai_search(term: Term, runtime: RuntimeDep) -> LegacySearchResponse:
    hits, _ = await runtime.search.search(term, top_k=3, mode=SearchMode.semantic, where=ProductFilter())
    return _found([_legacy(h.product) for h in hits], term)

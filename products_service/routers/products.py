"""`/api/v1/products`: the catalog, paged and filtered; writes need the staff key."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from products_service.catalog import ProductFilter, to_public
from products_service.deps import CatalogDep, StaffOnly
from products_service.routers import Responses
from products_service.schemas import Price, ProductCreate, ProductPublic, ProductsPublic, ProductUpdate

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/products", tags=["products"])
ProductId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The product's id")]
_NOT_FOUND: Responses = {404: {"description": "No product has this id"}}
_STAFF: Responses = {401: {"description": "The staff key is missing or wrong"}}


@router.get("", summary="List products, paged, with optional filters")
async def list_products(
    catalog: CatalogDep,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    category: Annotated[str | None, Query(min_length=1, max_length=80)] = None,
    min_price: Annotated[Price | None, Query()] = None,
    max_price: Annotated[Price | None, Query()] = None,
    in_stock: bool | None = None,
) -> ProductsPublic:
    rows, total = await catalog.page(
        offset=offset, limit=limit, where=ProductFilter(category, min_price, max_price, in_stock)
    )
    return ProductsPublic(items=[to_public(p) for p in rows], total=total, offset=offset, limit=limit)


@router.get("/{product_id}", summary="One product", responses=_NOT_FOUND)
async def get_product(product_id: ProductId, catalog: CatalogDep) -> ProductPublic:
    return to_public(await catalog.get(product_id))


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    dependencies=[StaffOnly],
    summary="Create a product (embedded and searchable at once)",
    responses={
        **_STAFF,
        409: {"description": "The sku exists"},
        503: {"description": "Embedding failed; nothing written"},
    },
)
async def create_product(body: ProductCreate, catalog: CatalogDep) -> ProductPublic:
    return to_public(await catalog.create(body))


@router.patch(
    "/{product_id}",
    dependencies=[StaffOnly],
    summary="Change some fields of a product (re-embedded when its text changes)",
    responses={
        **_NOT_FOUND,
        **_STAFF,
        409: {"description": "The new sku belongs to another product"},
    },
)
async def update_product(product_id: ProductId, body: ProductUpdate, catalog: CatalogDep) -> ProductPublic:
    return to_public(await catalog.update(product_id, body))


@router.delete(
    "/{product_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[StaffOnly],
    summary="Delete a product",
    responses={**_NOT_FOUND, **_STAFF},
)
async def delete_product(product_id: ProductId, catalog: CatalogDep) -> Response:
    await catalog.delete(product_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)

"""Product pictures, drawn by the service itself (no external CDN)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response
from sqlalchemy import select

from products_service.db import Product
from products_service.deps import CatalogDep
from products_service.errors import NotFound
from products_service.images import render_product_svg

__all__ = ["router"]

router = APIRouter(tags=["images"])


@router.get(
    "/images/products/{sku}.svg",
    response_class=Response,
    responses={
        200: {"content": {"image/svg+xml": {}}},
        404: {"description": "No product has this sku"},
    },
)
async def product_image(
    sku: Annotated[str, Path(min_length=1, max_length=64)], catalog: CatalogDep
) -> Response:
    async with catalog.sessions() as session:
        product = await session.scalar(select(Product).where(Product.sku == sku))
    if product is None:
        raise NotFound(f"no product has sku {sku!r}")
    svg = render_product_svg(
        sku=product.sku, name=product.name, category=product.category, brand=product.brand
    )
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=3600"})

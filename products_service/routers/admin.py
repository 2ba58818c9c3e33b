"""`/api/v1/admin`: staff import, and catalog statistics."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from products_service.deps import RuntimeDep, StaffOnly
from products_service.errors import ImportInvalid
from products_service.importer import parse_catalog
from products_service.schemas import ImportReport

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["admin"])

_IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "description": "A catalog file: a JSON list of products, or CSV with a header row.",
        "content": {
            "application/json": {
                "schema": {
                    "type": "array",
                    "minItems": 1,
                    "items": {"$ref": "#/components/schemas/ProductCreate"},
                }
            },
            "text/csv": {"schema": {"type": "string"}},
        },
    }
}


class CatalogStats(BaseModel):
    products: int
    index_kind: str | None
    index_size: int
    dimension: int | None
    embedding_model: str
    embeddings_computed: int


@router.post(
    "/admin/import",
    dependencies=[StaffOnly],
    summary="Upsert products by sku from a JSON or CSV file; all rows valid or nothing is written",
    openapi_extra=_IMPORT_BODY,
    responses={
        401: {"description": "The staff key is missing or wrong"},
        413: {"description": "The file is too large"},
        422: {"description": "Invalid rows, each named with its errors; nothing was written"},
        503: {"description": "Embedding failed; nothing was written"},
    },
)
async def import_catalog(
    request: Request,
    runtime: RuntimeDep,
    replace: bool = Query(False, description="Also delete every product whose sku is not in the file"),
) -> ImportReport:
    limit = runtime.settings.max_import_bytes
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise ImportTooLarge(f"the file exceeds {limit} bytes", rows=[])
    products = parse_catalog(bytes(body), content_type=request.headers.get("content-type", ""))
    report, _ = await runtime.catalog.upsert_many(products, replace=replace)
    return report


class ImportTooLarge(ImportInvalid):
    status_code = 413
    code = "import_too_large"


@router.get("/stats", summary="Catalog and index statistics")
async def stats(runtime: RuntimeDep) -> CatalogStats:
    catalog = runtime.catalog
    vector = catalog.indexes.vector
    return CatalogStats(
        products=await catalog.count(),
        index_kind=vector.kind if vector is not None else None,
        index_size=len(vector) if vector is not None else 0,
        dimension=vector.dimension if vector is not None else None,
        embedding_model=catalog.model_id,
        embeddings_computed=catalog.embedder.embedded_count,
    )

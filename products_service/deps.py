"""Dependencies routes declare in their signatures. They are `async`: FastAPI runs plain functions on
a thread pool, a hop that costs more than the work they do."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from products_service.catalog import Catalog
from products_service.errors import StaffKeyRequired
from products_service.runtime import Runtime

__all__ = ["CatalogDep", "RuntimeDep", "StaffOnly"]

_staff_key_header = APIKeyHeader(
    name="X-Staff-Key",
    auto_error=False,
    description="The staff key (PRODUCTS_ADMIN_KEY); needed for writes.",
)


async def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(_runtime)]


async def _catalog(runtime: RuntimeDep) -> Catalog:
    return runtime.catalog


CatalogDep = Annotated[Catalog, Depends(_catalog)]


async def _require_staff(
    runtime: RuntimeDep, key: Annotated[str | None, Security(_staff_key_header)]
) -> None:
    expected = runtime.settings.admin_key
    if expected is None:
        raise StaffKeyRequired("writes are disabled: the service has no staff key (PRODUCTS_ADMIN_KEY)")
    if key is None or not hmac.compare_digest(key.encode(), expected.get_secret_value().encode()):
        raise StaffKeyRequired("a valid X-Staff-Key header is required for this operation")


StaffOnly = Depends(_require_staff)

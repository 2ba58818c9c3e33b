"""The products service's app factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from openai import AsyncAzureOpenAI

from products_service.errors import install_error_handlers
from products_service.routers import admin, images, legacy, products, search
from products_service.runtime import Runtime
from products_service.settings import ProductsSettings
from shared.defaults import add_readiness_check, apply_service_defaults

__all__ = ["SERVICE_NAME", "create_app"]

SERVICE_NAME = "products"


def create_app(
    settings: ProductsSettings | None = None, *, openai_client: AsyncAzureOpenAI | None = None
) -> FastAPI:
    settings = settings or ProductsSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = Runtime.build(settings, openai_client)
        app.state.runtime = runtime
        add_readiness_check(app, "database", runtime.check_database)
        try:
            await runtime.start()
            app.state.started = True
            yield
        finally:
            app.state.started = False
            await runtime.close()

    app = FastAPI(
        title="Contoso Outdoors products service",
        version="1.0.0",
        description="Catalog, semantic/keyword/hybrid search and recommendations for the voice store.",
        lifespan=lifespan,
    )
    apply_service_defaults(app, settings, service_name=SERVICE_NAME)
    install_error_handlers(app)
    for module in (products, search, admin, legacy, images):
        app.include_router(module.router)
    return app

"""Everything one running products service owns, built from settings and closed in order."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from openai import AsyncAzureOpenAI
from opentelemetry import metrics
from opentelemetry.metrics import CallbackOptions, Observation
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from products_service.catalog import Catalog
from products_service.db import Base, create_engine, create_session_factory, instrument_engine
from products_service.embedding import Embedder
from products_service.heap import settle_heap
from products_service.importer import parse_catalog
from products_service.indexes import SearchIndexes
from products_service.recommend import Recommender
from products_service.search import SearchEngine
from products_service.settings import DEFAULT_CATALOG, ProductsSettings
from products_service.vector_index import IndexConfig
from shared.openai_client import create_openai_client
from shared.tasks import TaskOwner

__all__ = ["Runtime"]

_log = logging.getLogger(__name__)


def _observe_index(catalog: Catalog) -> None:
    def size(_options: CallbackOptions) -> list[Observation]:
        vector = catalog.indexes.vector
        return [
            Observation(
                len(vector) if vector is not None else 0, {"index.kind": vector.kind if vector else "none"}
            )
        ]

    metrics.get_meter(__name__).create_observable_gauge(
        "products.index.size", callbacks=[size], unit="{vector}", description="Vectors in the search index"
    )


@dataclass
class Runtime:
    settings: ProductsSettings
    engine: AsyncEngine
    client: AsyncAzureOpenAI
    catalog: Catalog
    search: SearchEngine
    recommender: Recommender
    tasks: TaskOwner
    owns_client: bool

    @classmethod
    def build(cls, settings: ProductsSettings, client: AsyncAzureOpenAI | None = None) -> Runtime:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(settings.effective_database_url)
        instrument_engine(engine)
        owns_client = client is None
        client = client or create_openai_client(settings)
        endpoint = settings.openai_endpoint()
        host = urlparse(endpoint.url).hostname if endpoint else "unknown"
        embedder = Embedder(
            client,
            settings.embeddings_deployment,
            batch_size=settings.embed_batch_size,
            concurrency=settings.embed_concurrency,
            max_retries=settings.embed_max_retries,
            max_backoff_s=settings.embed_max_backoff_s,
            query_batch_size=settings.query_batch_size,
            query_in_flight=settings.query_in_flight,
        )
        config = IndexConfig(
            settings.hnsw_threshold,
            settings.hnsw_m,
            settings.hnsw_ef_construction,
            settings.hnsw_ef_search,
        )
        tasks = TaskOwner()
        catalog = Catalog(
            create_session_factory(engine),
            embedder,
            SearchIndexes(settings.index_dir, config),
            tasks,
            model_id=f"{settings.embeddings_deployment}@{host}",
            save_delay_s=settings.index_save_delay_s,
        )
        search = SearchEngine(catalog)
        recommender = Recommender(
            search, client, settings.chat_deployment, timeout_s=settings.recommend_timeout_s
        )
        _observe_index(catalog)
        return cls(settings, engine, client, catalog, search, recommender, tasks, owns_client)

    async def start(self) -> None:
        async with self.engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        if self.settings.seed_if_empty and await self.catalog.count() == 0:
            await self.seed(DEFAULT_CATALOG)
        outcome = await self.catalog.sync_indexes()
        self.catalog.indexes.keyword.compile_all()
        settle_heap()
        _log.info(
            "catalog ready: %d products, vector index %s",
            len(self.catalog.indexes.keyword),
            outcome,
        )

    async def seed(self, path: Path) -> None:
        products = parse_catalog(await asyncio.to_thread(path.read_bytes), filename=path.name)
        report, _ = await self.catalog.upsert_many(products)
        _log.info("seeded %s: %s", path.name, report.model_dump())

    async def check_database(self) -> None:
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def close(self) -> None:
        await self.catalog.close()
        await self.catalog.embedder.close()
        if self.owns_client:
            await self.client.close()
        await self.engine.dispose()

"""Catalog writes and reads: the database, the embeddings and the indexes kept in step."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from products_service.db import Product, ProductEmbedding, utcnow
from products_service.embedding import Embedder, content_hash, product_text
from products_service.errors import Conflict, NotFound
from products_service.heap import BIG_WRITE, settle_heap
from products_service.indexes import SearchIndexes
from products_service.schemas import ImportReport, ProductCreate, ProductPublic, ProductUpdate, SearchFilters
from shared.tasks import TaskOwner

__all__ = ["Catalog", "ProductFilter", "to_public"]

_log = logging.getLogger(__name__)
_FIELDS = tuple(ProductCreate.model_fields)
_PUBLIC_FIELDS = tuple(f for f in ProductPublic.model_fields if f != "in_stock")


_WRITE_ATTEMPTS = 3


class _EmbeddedMeanwhile(Exception):
    """A concurrent write changed a product's text between the embedding and the commit."""


@dataclass(frozen=True)
class ProductFilter:
    category: str | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    in_stock: bool | None = None

    @classmethod
    def of(cls, filters: SearchFilters) -> ProductFilter:
        return cls(filters.category, filters.min_price, filters.max_price, filters.in_stock)

    def matches(self, product: ProductPublic) -> bool:
        return (
            (self.category is None or product.category.lower() == self.category.lower())
            and (self.min_price is None or product.price >= self.min_price)
            and (self.max_price is None or product.price <= self.max_price)
            and (self.in_stock is None or product.in_stock == self.in_stock)
        )

    def clauses(self) -> list[Any]:
        out: list[Any] = []
        if self.category:
            out.append(func.lower(Product.category) == self.category.lower())
        if self.min_price is not None:
            out.append(Product.price >= self.min_price)
        if self.max_price is not None:
            out.append(Product.price <= self.max_price)
        if self.in_stock is True:
            out.append(Product.stock > 0)
        if self.in_stock is False:
            out.append(Product.stock == 0)
        return out


def to_public(product: Product) -> ProductPublic:
    return ProductPublic.model_validate(
        {**{f: getattr(product, f) for f in _PUBLIC_FIELDS}, "in_stock": product.stock > 0}
    )


class Catalog:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        embedder: Embedder,
        indexes: SearchIndexes,
        tasks: TaskOwner,
        *,
        model_id: str,
        save_delay_s: float = 5.0,
    ) -> None:
        self.sessions = sessions
        self.embedder = embedder
        self.indexes = indexes
        self.model_id = model_id
        self._tasks = tasks
        self._save_delay_s = save_delay_s
        self._write_lock = asyncio.Lock()
        self._save_pending = False
        self._flush_now = asyncio.Event()

    async def count(self) -> int:
        async with self.sessions() as session:
            return int(await session.scalar(select(func.count(Product.id))) or 0)

    async def get(self, product_id: int) -> Product:
        async with self.sessions() as session:
            product = await session.get(Product, product_id)
        if product is None:
            raise NotFound(f"product {product_id} does not exist")
        return product

    async def page(self, *, offset: int, limit: int, where: ProductFilter) -> tuple[Sequence[Product], int]:
        clauses = where.clauses()
        async with self.sessions() as session:
            total = await session.scalar(select(func.count(Product.id)).where(*clauses))
            rows = await session.scalars(
                select(Product).where(*clauses).order_by(Product.id).offset(offset).limit(limit)
            )
            return rows.all(), int(total or 0)

    def lookup(self, ids: Sequence[int], where: ProductFilter) -> dict[int, ProductPublic]:
        """The products among `ids` that pass the filter, from memory (kept in step with every write)."""
        known = self.indexes.products
        return {pid: p for pid in ids if (p := known.get(pid)) is not None and where.matches(p)}

    async def current(
        self, products: dict[int, ProductPublic], where: ProductFilter
    ) -> dict[int, ProductPublic]:
        """The same products with price and stock as the database has them now (another replica may have
        changed them), without those deleted meanwhile or no longer passing the filter."""
        if not products:
            return products
        async with self.sessions() as session:
            rows = await session.execute(
                select(Product.id, Product.price, Product.stock).where(Product.id.in_(list(products)))
            )
        fresh: dict[int, ProductPublic] = {}
        for pid, price, stock in rows:
            product = products[pid]
            if product.price != price or product.stock != stock:
                product = product.model_copy(update={"price": price, "stock": stock, "in_stock": stock > 0})
            if where.matches(product):
                fresh[pid] = product
        return fresh

    async def search_name(self, term: str, limit: int = 100) -> Sequence[Product]:
        escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        async with self.sessions() as session:
            rows = await session.scalars(
                select(Product)
                .where(func.lower(Product.name).like(f"%{escaped.lower()}%", escape="\\"))
                .order_by(Product.id)
                .limit(limit)
            )
            return rows.all()

    async def create(self, data: ProductCreate) -> Product:
        _, products = await self.upsert_many([data], allow_update=False)
        return products[0]

    async def update(self, product_id: int, changes: ProductUpdate) -> Product:
        current = await self.get(product_id)
        merged = {name: getattr(current, name) for name in _FIELDS}
        merged.update(changes.model_dump(exclude_unset=True))
        data = ProductCreate.model_validate(merged)
        _, products = await self.upsert_many([data], expect_id=product_id)
        return products[0]

    async def delete(self, product_id: int) -> None:
        async with self._write_lock:
            async with self.sessions.begin() as session:
                result = await session.execute(delete(Product).where(Product.id == product_id))
                await session.execute(
                    delete(ProductEmbedding).where(ProductEmbedding.product_id == product_id)
                )
            if result.rowcount == 0:  # type: ignore[attr-defined]
                raise NotFound(f"product {product_id} does not exist")
            self.indexes.remove(product_id)
        self._schedule_save()

    async def upsert_many(
        self,
        rows: Sequence[ProductCreate],
        *,
        allow_update: bool = True,
        expect_id: int | None = None,
        replace: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> tuple[ImportReport, list[Product]]:
        """Insert or update by SKU in one transaction, after every changed text is embedded."""
        texts = [product_text(r.model_dump()) for r in rows]
        hashes = [content_hash(t) for t in texts]
        for _ in range(_WRITE_ATTEMPTS):
            existing = await self._existing_by_sku([r.sku for r in rows])
            self._check_conflicts(rows, existing, allow_update=allow_update, expect_id=expect_id)
            fresh = await self._embed_stale(rows, texts, hashes, existing, progress)
            async with self._write_lock:
                try:
                    written = await self._write(rows, hashes, fresh, expect_id, replace)
                except _EmbeddedMeanwhile:
                    continue
                except IntegrityError as exc:
                    raise Conflict("the write conflicts with another product (duplicate sku)") from exc
                report, products, changed, removed = written
                self.indexes.upsert_vectors(changed)
                self.indexes.remember([to_public(p) for p in products])
                for product_id in removed:
                    self.indexes.remove(product_id)
            break
        else:
            raise Conflict("the products changed under this write several times; try again")
        if len(rows) >= BIG_WRITE:
            settle_heap()
        self._schedule_save()
        return report, products

    async def _embed_stale(
        self,
        rows: Sequence[ProductCreate],
        texts: list[str],
        hashes: list[str],
        existing: dict[str, tuple[int, str, str]],
        progress: Callable[[int], None] | None,
    ) -> dict[int, np.ndarray]:
        """Vectors for the rows whose text has no stored embedding yet, by row number."""
        stale = [i for i, r in enumerate(rows) if existing.get(r.sku, (0, "", ""))[2] != self._key(hashes[i])]
        if progress is not None:
            progress(len(rows) - len(stale))
        if not stale:
            return {}
        vectors = await self.embedder.embed([texts[i] for i in stale], progress=progress)
        return {i: vectors[n] for n, i in enumerate(stale)}

    def _key(self, digest: str) -> str:
        return f"{self.model_id}:{digest}"

    @staticmethod
    def _check_conflicts(
        rows: Sequence[ProductCreate],
        existing: dict[str, tuple[int, str, str]],
        *,
        allow_update: bool,
        expect_id: int | None,
    ) -> None:
        if not allow_update:
            taken = [r.sku for r in rows if r.sku in existing]
            if taken:
                raise Conflict(f"a product with sku {taken[0]!r} already exists", sku=taken[0])
        if expect_id is not None and rows[0].sku in existing and existing[rows[0].sku][0] != expect_id:
            raise Conflict(f"sku {rows[0].sku!r} belongs to another product", sku=rows[0].sku)

    async def _existing_by_sku(self, skus: Sequence[str]) -> dict[str, tuple[int, str, str]]:
        """sku -> (id, content hash, "model:hash" of its stored embedding, or "" when stale)."""
        async with self.sessions() as session:
            return await self._existing(session, skus)

    async def _existing(self, session: AsyncSession, skus: Sequence[str]) -> dict[str, tuple[int, str, str]]:
        found: dict[str, tuple[int, str, str]] = {}
        for start in range(0, len(skus), 500):
            chunk = skus[start : start + 500]
            result = await session.execute(
                select(
                    Product.sku,
                    Product.id,
                    Product.content_hash,
                    ProductEmbedding.model,
                    ProductEmbedding.content_hash,
                )
                .outerjoin(ProductEmbedding, ProductEmbedding.product_id == Product.id)
                .where(Product.sku.in_(chunk))
            )
            for sku, pid, phash, model, ehash in result:
                embedded = f"{model}:{ehash}" if model is not None and ehash == phash else ""
                found[sku] = (pid, phash, embedded)
        return found

    async def _write(
        self,
        rows: Sequence[ProductCreate],
        hashes: list[str],
        fresh: dict[int, np.ndarray],
        expect_id: int | None,
        replace: bool,
    ) -> tuple[ImportReport, list[Product], list[tuple[int, str, np.ndarray]], list[int]]:
        created = updated = unchanged = 0
        products: list[Product] = []
        changed: list[tuple[int, str, np.ndarray]] = []
        now = utcnow()
        async with self.sessions.begin() as session:
            current = {
                p.sku: p
                for start in range(0, len(rows), 500)
                for p in await session.scalars(
                    select(Product).where(Product.sku.in_([r.sku for r in rows[start : start + 500]]))
                )
            }
            if expect_id is not None and rows[0].sku not in current:
                target = await session.get(Product, expect_id)
                if target is None:
                    raise NotFound(f"product {expect_id} does not exist")
                current[rows[0].sku] = target
            for row in rows:
                values = row.model_dump()
                product = current.get(row.sku)
                if product is None:
                    product = Product(**values, content_hash="", created_at=now, updated_at=now)
                    session.add(product)
                    created += 1
                elif any(getattr(product, k) != v for k, v in values.items()):
                    for key, value in values.items():
                        setattr(product, key, value)
                    product.updated_at = now
                    updated += 1
                else:
                    unchanged += 1
                products.append(product)
            await session.flush()
            for i, product in enumerate(products):
                if i not in fresh and self.indexes.content_hash(product.id) != hashes[i]:
                    raise _EmbeddedMeanwhile  # another write changed its text after we looked
                product.content_hash = hashes[i]
                if i in fresh:
                    vector = fresh[i]
                    await session.merge(
                        ProductEmbedding(
                            product_id=product.id,
                            model=self.model_id,
                            content_hash=hashes[i],
                            dimension=int(vector.shape[0]),
                            vector=vector.astype("<f4").tobytes(),
                        )
                    )
                    changed.append((product.id, hashes[i], vector))
            removed: list[int] = []
            if replace:
                keep = {p.id for p in products}
                removed = [pid for pid in await session.scalars(select(Product.id)) if pid not in keep]
                for start in range(0, len(removed), 500):
                    chunk = removed[start : start + 500]
                    await session.execute(
                        delete(ProductEmbedding).where(ProductEmbedding.product_id.in_(chunk))
                    )
                    await session.execute(delete(Product).where(Product.id.in_(chunk)))
        report = ImportReport(
            created=created,
            updated=updated,
            unchanged=unchanged,
            deleted=len(removed),
            embedded=len(fresh),
            total=len(rows),
        )
        return report, products, changed, removed

    def _schedule_save(self) -> None:
        if self._save_pending:
            return
        self._save_pending = True
        self._tasks.spawn(self._save_later(), name="save-vector-index")

    async def _save_later(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._flush_now.wait(), self._save_delay_s)
        await self.flush()

    async def flush(self) -> None:
        """Persist the vector index now (writes are held off while it is written)."""
        async with self._write_lock:
            self._save_pending = False
            await asyncio.to_thread(self.indexes.save)

    async def close(self) -> None:
        self._flush_now.set()
        await self._tasks.drain()
        await self.flush()

    async def sync_indexes(self) -> str:
        """Embed what the database lacks, then load or rebuild the indexes to match it."""
        async with self.sessions() as session:
            products = (await session.scalars(select(Product).order_by(Product.id))).all()
            embeddings = {
                e.product_id: e
                for e in await session.scalars(
                    select(ProductEmbedding).where(ProductEmbedding.model == self.model_id)
                )
            }
        missing = [
            p for p in products if p.id not in embeddings or embeddings[p.id].content_hash != p.content_hash
        ]
        if missing:
            _log.info("embedding %d products the index lacks", len(missing))
            rows = [ProductCreate.model_validate({k: getattr(p, k) for k in _FIELDS}) for p in missing]
            await self.upsert_many(rows)
            return await self.sync_indexes()
        self.indexes.products = {}
        self.indexes.remember([to_public(p) for p in products])
        vectors = {pid: np.frombuffer(e.vector, dtype="<f4") for pid, e in embeddings.items()}
        hashes = {pid: e.content_hash for pid, e in embeddings.items()}
        return await asyncio.to_thread(self.indexes.load_or_build, self.model_id, hashes, vectors)

"""What search reads, in memory and kept in step with the catalog: the vector index (persisted), the
keyword index and the products themselves."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from products_service.embedding import keyword_text
from products_service.keyword_index import KeywordIndex
from products_service.schemas import ProductPublic
from products_service.vector_index import IndexConfig, IndexMeta, VectorIndex

__all__ = ["SearchIndexes", "fingerprint"]

_log = logging.getLogger(__name__)


def fingerprint(model: str, rows: Iterable[tuple[int, str]]) -> str:
    """A hash of (product id, content hash) pairs in id order, and the embedding model."""
    digest = hashlib.sha256(model.encode())
    for product_id, content in sorted(rows):
        digest.update(f"{product_id}:{content};".encode())
    return digest.hexdigest()


class SearchIndexes:
    def __init__(self, directory: Path, config: IndexConfig) -> None:
        self.directory = directory
        self.config = config
        self.keyword = KeywordIndex()
        self.products: dict[int, ProductPublic] = {}
        self.vector: VectorIndex | None = None
        self.model = ""
        self._hashes: dict[int, str] = {}
        self._dirty = False

    @property
    def dimension(self) -> int | None:
        return self.vector.dimension if self.vector is not None else None

    def load_or_build(self, model: str, hashes: dict[int, str], vectors: dict[int, np.ndarray]) -> str:
        """Use the saved vector index when it matches the database exactly; rebuild otherwise."""
        self.model, self._hashes = model, dict(hashes)
        wanted = fingerprint(model, self._hashes.items())
        loaded = VectorIndex.load(self.directory, self.config)
        if loaded is not None and loaded[1] == IndexMeta(model, loaded[0].dimension, wanted):
            self.vector = loaded[0]
            return "loaded"
        ids = np.fromiter(vectors, dtype=np.int64, count=len(vectors))
        if len(ids):
            matrix = np.vstack([vectors[int(i)] for i in ids]).astype(np.float32)
            self.vector = VectorIndex(matrix.shape[1], self.config)
            self.vector.build(ids, matrix)
        else:
            self.vector = None
        self._dirty = True
        self.save()
        return "rebuilt"

    def upsert_vectors(self, items: list[tuple[int, str, np.ndarray]]) -> None:
        """(product id, content hash, vector) for each product whose embedded text changed."""
        if not items:
            return
        for product_id, content, _ in items:
            self._hashes[product_id] = content
        matrix = np.vstack([item[2] for item in items]).astype(np.float32)
        if self.vector is None or self.vector.dimension != matrix.shape[1]:
            self.vector = VectorIndex(matrix.shape[1], self.config)
        self.vector.upsert(np.asarray([i[0] for i in items], dtype=np.int64), matrix)
        self._dirty = True

    def content_hash(self, product_id: int) -> str | None:
        """The content hash of the product's vector in the index."""
        return self._hashes.get(product_id)

    def remember(self, products: list[ProductPublic]) -> None:
        """The products as written: what search answers with, and their keyword text."""
        for product in products:
            self.products[product.id] = product
            self.keyword.upsert(product.id, keyword_text(product.model_dump()))

    def remove(self, product_id: int) -> None:
        self.products.pop(product_id, None)
        self.keyword.remove(product_id)
        self._hashes.pop(product_id, None)
        if self.vector is not None:
            self.vector.remove([product_id])
        self._dirty = True

    def save(self) -> None:
        if not self._dirty or self.vector is None:
            return
        meta = IndexMeta(self.model, self.vector.dimension, fingerprint(self.model, self._hashes.items()))
        self.vector.save(self.directory, meta)
        self._dirty = False
        _log.info("vector index saved: %d vectors (%s)", len(self.vector), self.vector.kind)

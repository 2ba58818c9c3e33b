"""Semantic, keyword and hybrid (reciprocal rank fusion) search over the catalog."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from products_service.catalog import Catalog, ProductFilter
from products_service.errors import UpstreamUnavailable
from products_service.schemas import ProductPublic, SearchMode

__all__ = ["RRF_K", "Hit", "SearchEngine"]

RRF_K = 60


@dataclass(frozen=True)
class Hit:
    product: ProductPublic
    score: float
    semantic_rank: int | None = None
    keyword_rank: int | None = None


Ranker = Callable[[int], list[tuple[int, float]]]


class SearchEngine:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    async def search(
        self, query: str, *, top_k: int, mode: SearchMode, where: ProductFilter
    ) -> tuple[list[Hit], str | None]:
        """The hits, and a notice when the search had to degrade (hybrid without embeddings)."""
        if mode is SearchMode.keyword:
            return await self._ranked(self._keyword(query), top_k, where, "keyword"), None
        if mode is SearchMode.semantic:
            ranker = await self._semantic(query)
            return await self._ranked(ranker, top_k, where, "semantic"), None
        try:
            semantic = await self._semantic(query)
        except UpstreamUnavailable as exc:
            hits = await self._ranked(self._keyword(query), top_k, where, "keyword")
            return hits, f"semantic search unavailable, keyword results only: {exc.message}"
        return await self._ranked(_fuse(semantic, self._keyword(query)), top_k, where, "hybrid"), None

    async def _semantic(self, query: str) -> Ranker:
        index = self.catalog.indexes.vector
        if index is None:
            return lambda _k: []
        vector = await self.catalog.embedder.embed_query(query)
        if vector.shape[0] != index.dimension:
            raise UpstreamUnavailable(
                f"the embedding model answered {vector.shape[0]} dimensions; the index has {index.dimension}"
            )
        return lambda k: index.search(vector, k)

    def _keyword(self, query: str) -> Ranker:
        return lambda k: self.catalog.indexes.keyword.search(query, k)

    async def _ranked(self, ranker: Ranker, top_k: int, where: ProductFilter, kind: str) -> list[Hit]:
        """Fetch ranked ids, widening the fetch until enough pass the filters or the index ends. Prices and
        stock come from the database: a customer is never told a stale price."""
        fetch = top_k if where == ProductFilter() else top_k * 5
        while True:
            ranked = ranker(fetch)
            products = await self.catalog.current(
                self.catalog.lookup([pid for pid, _ in ranked], where), where
            )
            hits = [
                Hit(
                    products[pid],
                    score,
                    semantic_rank=rank if kind == "semantic" else None,
                    keyword_rank=rank if kind == "keyword" else None,
                )
                for rank, (pid, score) in enumerate(ranked, start=1)
                if pid in products
            ]
            if len(hits) >= top_k or len(ranked) < fetch:
                return hits[:top_k]
            fetch *= 4


def _fuse(semantic: Ranker, keyword: Ranker) -> Ranker:
    def ranked(k: int) -> list[tuple[int, float]]:
        depth = max(k * 2, 20)
        scores: dict[int, float] = {}
        for ranker in (semantic, keyword):
            for rank, (pid, _) in enumerate(ranker(depth), start=1):
                scores[pid] = scores.get(pid, 0.0) + 1.0 / (RRF_K + rank)
        return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]

    return ranked

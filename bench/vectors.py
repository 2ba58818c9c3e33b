"""Index build time and HNSW recall on the vectors the service stored, via products_service's VectorIndex."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

from products_service.embedding import product_text
from products_service.vector_index import IndexConfig, VectorIndex

__all__ = ["embedding_parity", "index_bench", "read_vectors"]

_NEVER_HNSW = 2**62
_EF_SWEEP = (32, 64, 96, 128, 256)


def read_vectors(db_path: Path) -> tuple[np.ndarray, np.ndarray]:
    """(product ids, float32 matrix) from the product_embeddings table, in id order."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT product_id, vector FROM product_embeddings ORDER BY product_id").fetchall()
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    matrix = np.vstack([np.frombuffer(r[1], dtype="<f4") for r in rows]).astype(np.float32)
    return ids, matrix


def embedding_parity(db_path: Path, sample: int = 64) -> float:
    """Lowest cosine between the service's stored vectors and the local embedder's, on a sample."""
    from orchestrator.emulators.azure_openai.embedder import get_embedder

    columns = "p.id, p.name, p.category, p.brand, p.description, p.tags, p.attributes, e.vector"
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        rows = db.execute(
            f"SELECT {columns} FROM products p JOIN product_embeddings e ON e.product_id = p.id "
            "ORDER BY p.id LIMIT ?",
            (sample,),
        ).fetchall()
    texts = [
        product_text(
            {
                "name": r[1],
                "category": r[2],
                "brand": r[3],
                "description": r[4],
                "tags": json.loads(r[5]),
                "attributes": json.loads(r[6]),
            }
        )
        for r in rows
    ]
    local = get_embedder().embed(texts)
    stored = np.vstack([np.frombuffer(r[7], dtype="<f4") for r in rows])
    return float(np.min(np.sum(local * stored, axis=1)))


def _timed_build(ids: np.ndarray, matrix: np.ndarray, config: IndexConfig) -> tuple[VectorIndex, float]:
    index = VectorIndex(matrix.shape[1], config)
    started = time.perf_counter()
    index.build(ids, matrix)
    return index, time.perf_counter() - started


def _search_all(index: VectorIndex, queries: np.ndarray, k: int) -> tuple[list[list[int]], float]:
    """Top-k ids per query, and the median microseconds per single-query search."""
    results, micros = [], []
    for query in queries:
        started = time.perf_counter()
        hits = index.search(query, k)
        micros.append((time.perf_counter() - started) * 1e6)
        results.append([pid for pid, _ in hits])
    return results, statistics.median(micros)


def _recall(truth: list[list[int]], found: list[list[int]], k: int) -> float:
    return statistics.fmean(len(set(t[:k]) & set(f[:k])) / k for t, f in zip(truth, found, strict=True))


def index_bench(
    ids: np.ndarray, matrix: np.ndarray, queries: np.ndarray, defaults: IndexConfig, k: int = 10
) -> dict[str, Any]:
    """Flat and HNSW build times; HNSW recall@k against flat at the default efSearch and a sweep."""
    flat, flat_s = _timed_build(ids, matrix, dataclasses.replace(defaults, hnsw_threshold=_NEVER_HNSW))
    hnsw, hnsw_s = _timed_build(ids, matrix, dataclasses.replace(defaults, hnsw_threshold=1))
    truth, flat_us = _search_all(flat, queries, k)
    sweep: dict[str, dict[str, float]] = {}
    for ef in sorted({*_EF_SWEEP, defaults.ef_search}):
        hnsw.config = dataclasses.replace(defaults, hnsw_threshold=1, ef_search=ef)
        found, micros = _search_all(hnsw, queries, k)
        sweep[str(ef)] = {"recall": _recall(truth, found, k), "search_us_p50": micros}
    default = sweep[str(defaults.ef_search)]
    return {
        "vectors": len(ids),
        "dimension": int(matrix.shape[1]),
        "queries": len(queries),
        "k": k,
        "flat_build_s": flat_s,
        "hnsw_build_s": hnsw_s,
        "hnsw_params": dataclasses.asdict(defaults),
        "flat_search_us_p50": flat_us,
        "hnsw_search_us_p50": default["search_us_p50"],
        "recall_at_k": default["recall"],
        "ef_sweep": sweep,
    }

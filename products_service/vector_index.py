"""A cosine-similarity faiss index over product ids: exact below a size, HNSW above it."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import faiss
import numpy as np

__all__ = ["IndexMeta", "VectorIndex"]

_log = logging.getLogger(__name__)
_DEAD = -1
# One query is too small to share between threads: OpenMP's hand-off costs more than the search
# (10k vectors: 0.3 ms of CPU on one thread, 2.7 ms on two). Builds use every core.
_SEARCH_THREADS = 1
_BUILD_THREADS = os.cpu_count() or 1


@dataclass(frozen=True)
class IndexMeta:
    model: str
    dimension: int
    fingerprint: str


@dataclass(frozen=True)
class IndexConfig:
    hnsw_threshold: int = 50_000
    hnsw_m: int = 32
    ef_construction: int = 80
    ef_search: int = 128


faiss.omp_set_num_threads(_SEARCH_THREADS)


class VectorIndex:
    """Vectors must be L2-normalised: inner product is then cosine similarity.

    Removal marks a slot dead and searches skip it; when dead slots pile up the index is
    rebuilt from the live vectors (HNSW cannot remove in place).
    """

    def __init__(self, dimension: int, config: IndexConfig | None = None) -> None:
        self.dimension = dimension
        self.config = config or IndexConfig()
        self._labels = np.zeros(0, dtype=np.int64)
        self._positions: dict[int, int] = {}
        self._index: faiss.Index = self._new_index(0)

    @property
    def kind(self) -> str:
        return "hnsw" if isinstance(self._index, faiss.IndexHNSWFlat) else "flat"

    def __len__(self) -> int:
        return len(self._positions)

    def __contains__(self, product_id: int) -> bool:
        return product_id in self._positions

    def ids(self) -> list[int]:
        return list(self._positions)

    def build(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        self._check(ids, vectors)
        self._index = self._new_index(len(ids))
        self._labels = np.zeros(0, dtype=np.int64)
        self._positions = {}
        faiss.omp_set_num_threads(_BUILD_THREADS)
        try:
            self._append(ids, vectors)
        finally:
            faiss.omp_set_num_threads(_SEARCH_THREADS)

    def upsert(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        self._check(ids, vectors)
        self._mark_dead(ids)
        self._append(ids, vectors)
        self._maybe_rebuild()

    def remove(self, ids: np.ndarray | list[int]) -> None:
        self._mark_dead(np.asarray(ids, dtype=np.int64))
        self._maybe_rebuild()

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Up to k (product id, cosine score) pairs, best first."""
        live = len(self._positions)
        if live == 0 or k <= 0:
            return []
        dead = self._index.ntotal - live
        fetch = min(self._index.ntotal, k + dead)
        if isinstance(self._index, faiss.IndexHNSWFlat):
            self._index.hnsw.efSearch = max(self.config.ef_search, fetch)
        scores, positions = self._index.search(query.reshape(1, -1).astype(np.float32), fetch)
        hits: list[tuple[int, float]] = []
        for score, position in zip(scores[0], positions[0], strict=True):
            if position < 0:
                continue
            label = int(self._labels[position])
            if label != _DEAD:
                hits.append((label, float(score)))
                if len(hits) == k:
                    break
        return hits

    def vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """The live (ids, vectors)."""
        alive = np.flatnonzero(self._labels != _DEAD)
        if len(alive) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros((0, self.dimension), dtype=np.float32)
        everything = self._index.reconstruct_n(0, self._index.ntotal)
        return self._labels[alive].copy(), everything[alive]

    def save(self, directory: Path, meta: IndexMeta) -> None:
        """Write the index, its labels and meta; meta goes last and carries the others' hashes."""
        directory.mkdir(parents=True, exist_ok=True)
        index_file, labels_file = directory / "vectors.faiss", directory / "labels.npy"
        _atomic_write(index_file, faiss.serialize_index(self._index).tobytes())
        labels_bytes = self._labels.astype("<i8").tobytes()
        _atomic_write(labels_file, labels_bytes)
        record = {
            **asdict(meta),
            "kind": self.kind,
            "count": len(self),
            "config": asdict(self.config),
            "sha256": {
                index_file.name: _sha256(index_file.read_bytes()),
                labels_file.name: _sha256(labels_bytes),
            },
        }
        _atomic_write(directory / "meta.json", json.dumps(record, indent=1).encode())

    @classmethod
    def load(cls, directory: Path, config: IndexConfig) -> tuple[VectorIndex, IndexMeta] | None:
        """The saved index, or None when it is missing, damaged or from other settings."""
        try:
            record = json.loads((directory / "meta.json").read_text())
            index_bytes = (directory / "vectors.faiss").read_bytes()
            labels_bytes = (directory / "labels.npy").read_bytes()
            hashes = record["sha256"]
            if hashes["vectors.faiss"] != _sha256(index_bytes) or hashes["labels.npy"] != _sha256(
                labels_bytes
            ):
                _log.warning("saved index at %s is damaged; it will be rebuilt", directory)
                return None
            meta = IndexMeta(record["model"], int(record["dimension"]), record["fingerprint"])
            saved_config = IndexConfig(**record["config"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            _log.info("no usable saved index at %s (%s)", directory, exc)
            return None
        if saved_config != config:
            return None
        index = cls(meta.dimension, config)
        index._index = faiss.deserialize_index(np.frombuffer(index_bytes, dtype=np.uint8))
        index._labels = np.frombuffer(labels_bytes, dtype="<i8").astype(np.int64)
        if index._index.ntotal != len(index._labels) or index._index.d != meta.dimension:
            return None
        index._positions = {int(p): i for i, p in enumerate(index._labels) if p != _DEAD}
        if isinstance(index._index, faiss.IndexHNSWFlat):
            index._index.hnsw.efSearch = config.ef_search
        return index, meta

    def _new_index(self, size: int) -> faiss.Index:
        if size >= self.config.hnsw_threshold:
            index = faiss.IndexHNSWFlat(self.dimension, self.config.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = self.config.ef_construction
            index.hnsw.efSearch = self.config.ef_search
            return index
        return faiss.IndexFlatIP(self.dimension)

    def _check(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if vectors.ndim != 2 or vectors.shape[1] != self.dimension or len(ids) != len(vectors):
            raise ValueError(
                f"expected {len(ids)} vectors of dimension {self.dimension}, got shape {vectors.shape}"
            )
        if len(set(ids.tolist())) != len(ids):
            raise ValueError("duplicate ids in one call")

    def _append(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids) == 0:
            return
        start = self._index.ntotal
        self._index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        self._labels = np.concatenate([self._labels, ids.astype(np.int64)])
        for offset, product_id in enumerate(ids.tolist()):
            self._positions[int(product_id)] = start + offset

    def _mark_dead(self, ids: np.ndarray) -> None:
        for product_id in ids.tolist():
            position = self._positions.pop(int(product_id), None)
            if position is not None:
                self._labels[position] = _DEAD

    def _maybe_rebuild(self) -> None:
        live, total = len(self._positions), self._index.ntotal
        too_big_for_flat = self.kind == "flat" and live >= self.config.hnsw_threshold
        too_small_for_hnsw = self.kind == "hnsw" and live < self.config.hnsw_threshold // 2
        if too_big_for_flat or too_small_for_hnsw or total - live > max(256, total // 5):
            ids, vectors = self.vectors()
            self.build(ids, vectors)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)

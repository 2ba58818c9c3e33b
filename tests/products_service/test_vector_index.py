from pathlib import Path

import numpy as np
import pytest

from products_service.vector_index import IndexConfig, IndexMeta, VectorIndex


def unit_vectors(n: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_exact_search_returns_nearest_ids_with_cosine_scores() -> None:
    vectors = unit_vectors(100)
    index = VectorIndex(32)
    index.build(np.arange(1000, 1100), vectors)
    hits = index.search(vectors[7], 3)
    assert hits[0][0] == 1007
    assert hits[0][1] == pytest.approx(1.0, abs=1e-5)
    assert [h[1] for h in hits] == sorted((h[1] for h in hits), reverse=True)
    assert index.kind == "flat"


def test_upsert_replaces_and_remove_hides() -> None:
    vectors = unit_vectors(10)
    index = VectorIndex(32)
    index.build(np.arange(10), vectors)
    index.upsert(np.array([3]), vectors[5:6])
    assert len(index) == 10
    top_two = {pid for pid, _ in index.search(vectors[5], 2)}
    assert top_two == {3, 5}
    assert all(pid != 3 for pid, _ in index.search(vectors[3], 10) if _ > 0.999)
    index.remove([5])
    assert 5 not in {pid for pid, _ in index.search(vectors[5], 10)}
    assert len(index) == 9


def test_many_removals_compact_the_index() -> None:
    vectors = unit_vectors(2000)
    index = VectorIndex(32)
    index.build(np.arange(2000), vectors)
    index.remove(list(range(0, 1000)))
    assert len(index) == 1000
    ids, _ = index.vectors()
    assert len(ids) == 1000 and set(ids.tolist()) == set(range(1000, 2000))
    assert index.search(vectors[1500], 1)[0][0] == 1500


def test_switches_to_hnsw_above_threshold_and_keeps_recall() -> None:
    config = IndexConfig(hnsw_threshold=500, hnsw_m=16, ef_construction=80, ef_search=64)
    vectors = unit_vectors(3000, dim=48, seed=1)
    index = VectorIndex(48, config)
    index.build(np.arange(400), vectors[:400])
    assert index.kind == "flat"
    index.upsert(np.arange(400, 3000), vectors[400:])
    assert index.kind == "hnsw"
    exact = VectorIndex(48)
    exact.build(np.arange(3000), vectors)
    queries = unit_vectors(50, dim=48, seed=2)
    recall = np.mean(
        [len({p for p, _ in index.search(q, 10)} & {p for p, _ in exact.search(q, 10)}) / 10 for q in queries]
    )
    assert recall >= 0.9


def test_hnsw_removal_and_update_are_honoured() -> None:
    config = IndexConfig(hnsw_threshold=100)
    vectors = unit_vectors(300)
    index = VectorIndex(32, config)
    index.build(np.arange(300), vectors)
    assert index.kind == "hnsw"
    index.remove([42])
    assert 42 not in {p for p, _ in index.search(vectors[42], 5)}
    index.upsert(np.array([7]), vectors[42:43])
    assert index.search(vectors[42], 1)[0][0] == 7


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    vectors = unit_vectors(50)
    index = VectorIndex(32)
    index.build(np.arange(50) + 1, vectors)
    index.remove([10])
    meta = IndexMeta("model-a", 32, "fp")
    index.save(tmp_path, meta)
    loaded = VectorIndex.load(tmp_path, IndexConfig())
    assert loaded is not None
    again, again_meta = loaded
    assert again_meta == meta
    assert len(again) == 49 and 10 not in again
    assert again.search(vectors[20], 1)[0][0] == 21


def test_load_refuses_damaged_or_foreign_files(tmp_path: Path) -> None:
    index = VectorIndex(32)
    index.build(np.arange(5), unit_vectors(5))
    index.save(tmp_path, IndexMeta("m", 32, "fp"))
    assert VectorIndex.load(tmp_path, IndexConfig(hnsw_threshold=7)) is None
    data = bytearray((tmp_path / "vectors.faiss").read_bytes())
    data[-1] ^= 0xFF
    (tmp_path / "vectors.faiss").write_bytes(bytes(data))
    assert VectorIndex.load(tmp_path, IndexConfig()) is None
    assert VectorIndex.load(tmp_path / "missing", IndexConfig()) is None


def test_wrong_dimension_is_refused() -> None:
    index = VectorIndex(32)
    with pytest.raises(ValueError, match="dimension 32"):
        index.build(np.arange(2), unit_vectors(2, dim=16))

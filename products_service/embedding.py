"""Embedding products through the configured embeddings deployment: batched, concurrent, retried."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import openai
from openai import AsyncAzureOpenAI
from openai.types import CreateEmbeddingResponse
from opentelemetry import metrics, trace

from products_service.errors import UpstreamUnavailable
from products_service.query_batcher import QueryBatcher
from shared.telemetry import propagation_headers

__all__ = ["Embedder", "content_hash", "keyword_text", "product_text"]

_log = logging.getLogger(__name__)
_tracer = trace.get_tracer(__name__)
_embedded = metrics.get_meter(__name__).create_counter(
    "products.embeddings.computed", unit="{text}", description="Texts embedded by the embeddings deployment"
)
_RETRYABLE = (openai.RateLimitError, openai.InternalServerError, openai.APIConnectionError)


def product_text(fields: dict[str, Any]) -> str:
    """The text of a product that is embedded: what it is and what it is for. Attributes are left to
    filters and keyword search; as text they cost a third more model time and found nothing more."""
    parts = [
        fields["name"],
        f"{fields['category']} by {fields['brand']}",
        fields["description"],
        "Tags: " + ", ".join(fields.get("tags") or []),
    ]
    return "\n".join(p for p in parts if p)


def keyword_text(fields: dict[str, Any]) -> str:
    """The text of a product that keyword search indexes: the embedded text and the attributes."""
    attributes = fields.get("attributes") or {}
    rendered = "; ".join(
        f"{k.replace('_', ' ')}: {_render(v)}" for k, v in attributes.items() if v is not None
    )
    return f"{product_text(fields)}\n{rendered}" if rendered else product_text(fields)


def _render(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class Embedder:
    def __init__(
        self,
        client: AsyncAzureOpenAI,
        deployment: str,
        *,
        batch_size: int = 64,
        concurrency: int = 4,
        max_retries: int = 6,
        max_backoff_s: float = 30.0,
        query_batch_size: int = 32,
        query_in_flight: int = 1,
    ) -> None:
        self._client = client
        self.deployment = deployment
        self._batch_size = batch_size
        self._semaphore = asyncio.Semaphore(concurrency)
        self._max_retries = max_retries
        self._max_backoff_s = max_backoff_s
        self.embedded_count = 0
        self._queries = QueryBatcher(self.embed, max_batch=query_batch_size, max_in_flight=query_in_flight)

    async def embed_query(self, text: str) -> np.ndarray:
        """One query's vector; concurrent queries share requests and repeated ones are remembered."""
        return await self._queries.embed(text)

    async def close(self) -> None:
        await self._queries.close()

    async def embed(
        self, texts: Sequence[str], *, progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text, in order."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        batches = [texts[i : i + self._batch_size] for i in range(0, len(texts), self._batch_size)]

        async def run(batch: Sequence[str]) -> np.ndarray:
            async with self._semaphore:
                vectors = await self._embed_batch(batch)
            if progress is not None:
                progress(len(batch))
            return vectors

        results = await asyncio.gather(*(run(b) for b in batches))
        matrix = np.vstack(results).astype(np.float32, copy=False)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        matrix /= np.where(norms == 0, 1, norms)
        self.embedded_count += len(texts)
        return matrix

    async def _embed_batch(self, batch: Sequence[str]) -> np.ndarray:
        attempt = 0
        while True:
            try:
                response = await self._traced_call(batch)
            except _RETRYABLE as exc:
                attempt += 1
                if attempt > self._max_retries:
                    raise UpstreamUnavailable(
                        f"embeddings deployment {self.deployment!r} failed after {attempt} attempts: {exc}"
                    ) from exc
                delay = self._delay(exc, attempt)
                _log.warning("embedding batch retry %d in %.2fs: %s", attempt, delay, type(exc).__name__)
                await asyncio.sleep(delay)
                continue
            except openai.APIError as exc:
                raise UpstreamUnavailable(
                    f"embeddings deployment {self.deployment!r} refused: {exc}"
                ) from exc
            _embedded.add(len(batch), {"gen_ai.request.model": self.deployment})
            ordered = sorted(response.data, key=lambda d: d.index)
            if len(ordered) != len(batch):
                raise UpstreamUnavailable(
                    f"embeddings answered {len(ordered)} vectors for {len(batch)} texts"
                )
            return np.asarray([d.embedding for d in ordered], dtype=np.float32)

    async def _traced_call(self, batch: Sequence[str]) -> CreateEmbeddingResponse:
        attributes: dict[str, str | int] = {
            "gen_ai.operation.name": "embeddings",
            "gen_ai.request.model": self.deployment,
            "products.embeddings.batch_size": len(batch),
        }
        with _tracer.start_as_current_span(
            f"embeddings {self.deployment}", kind=trace.SpanKind.CLIENT, attributes=attributes
        ) as span:
            response = await self._client.embeddings.create(
                model=self.deployment, input=list(batch), extra_headers=propagation_headers()
            )
            span.set_attribute("gen_ai.usage.input_tokens", response.usage.prompt_tokens)
            return response

    def _delay(self, exc: Exception, attempt: int) -> float:
        response = getattr(exc, "response", None)
        if response is not None:
            for header, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
                value = response.headers.get(header)
                if value is not None:
                    try:
                        return min(max(float(value) * scale, 0.0), self._max_backoff_s)
                    except ValueError:
                        pass
        backoff: float = min(self._max_backoff_s, 0.25 * 2 ** (attempt - 1))
        return backoff * (0.5 + random.random() / 2)

"""Coalescing concurrent query embeddings into shared requests, without waiting on a timer.

A query goes out at once when fewer than `max_in_flight` requests are under way; otherwise it
joins the next request, sent as soon as one finishes. At low load nothing waits; under load one
request carries many queries, which costs the model and the endpoint far less per query.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence

import numpy as np

__all__ = ["QueryBatcher"]

EmbedMany = Callable[[Sequence[str]], Awaitable[np.ndarray]]


class QueryBatcher:
    def __init__(
        self, embed_many: EmbedMany, *, max_batch: int = 32, max_in_flight: int = 2, cache_size: int = 2048
    ) -> None:
        self._embed_many = embed_many
        self._max_batch = max_batch
        self._max_in_flight = max_in_flight
        self._waiting: list[tuple[str, asyncio.Future[np.ndarray]]] = []
        self._in_flight: set[asyncio.Task[None]] = set()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size

    async def embed(self, text: str) -> np.ndarray:
        cached = self._cache.get(text)
        if cached is not None:
            self._cache.move_to_end(text)
            return cached
        future: asyncio.Future[np.ndarray] = asyncio.get_running_loop().create_future()
        self._waiting.append((text, future))
        self._send_if_free()
        return await future

    def _send_if_free(self) -> None:
        while self._waiting and len(self._in_flight) < self._max_in_flight:
            batch, self._waiting = self._waiting[: self._max_batch], self._waiting[self._max_batch :]
            task = asyncio.create_task(self._send(batch), name="embed-queries")
            self._in_flight.add(task)
            task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        self._send_if_free()

    async def _send(self, batch: list[tuple[str, asyncio.Future[np.ndarray]]]) -> None:
        texts = list(dict.fromkeys(text for text, _ in batch))
        try:
            vectors = await self._embed_many(texts)
        except BaseException as exc:  # every waiter hears of the failure, cancellation included
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return
        by_text = dict(zip(texts, vectors, strict=True))
        for text, vector in by_text.items():
            self._remember(text, vector)
        for text, future in batch:
            if not future.done():
                future.set_result(by_text[text])

    def _remember(self, text: str, vector: np.ndarray) -> None:
        self._cache[text] = vector
        self._cache.move_to_end(text)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    async def close(self) -> None:
        for task in list(self._in_flight):
            task.cancel()
        await asyncio.gather(*self._in_flight, return_exceptions=True)

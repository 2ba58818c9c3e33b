import asyncio
from collections.abc import Sequence

import numpy as np

from products_service.query_batcher import QueryBatcher


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


class FakeModel:
    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.fail = False
        self.release = asyncio.Event()
        self.release.set()

    async def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        await self.release.wait()
        if self.fail:
            raise ConnectionError("model down")
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)


async def test_a_lone_query_goes_at_once_and_later_ones_share_a_request() -> None:
    model = FakeModel()
    model.release.clear()
    batcher = QueryBatcher(model, max_in_flight=1, max_batch=4)
    first = asyncio.create_task(batcher.embed("a"))
    await settle()
    assert model.calls == [["a"]]
    rest = [asyncio.create_task(batcher.embed("b" * n)) for n in range(1, 7)]
    await settle()
    assert len(model.calls) == 1, "the others wait while the first request is under way"
    model.release.set()
    vectors = await asyncio.gather(first, *rest)
    assert model.calls == [["a"], ["b", "bb", "bbb", "bbbb"], ["bbbbb", "bbbbbb"]]
    assert [v[0] for v in vectors] == [1, 1, 2, 3, 4, 5, 6]


async def test_repeated_queries_are_remembered_and_deduplicated() -> None:
    model = FakeModel()
    model.release.clear()
    batcher = QueryBatcher(model, max_in_flight=1, cache_size=2)
    blocker = asyncio.create_task(batcher.embed("x"))
    await settle()
    same = [asyncio.create_task(batcher.embed("tent")) for _ in range(3)]
    model.release.set()
    await asyncio.gather(blocker, *same)
    assert model.calls == [["x"], ["tent"]]
    await batcher.embed("tent")
    assert len(model.calls) == 2
    await batcher.embed("y")
    await batcher.embed("z")
    await batcher.embed("x")
    assert model.calls[-1] == ["x"], "the least recently used entry was forgotten"


async def test_a_failure_reaches_every_waiter_and_the_next_query_still_works() -> None:
    model = FakeModel()
    model.fail = True
    batcher = QueryBatcher(model)
    results = await asyncio.gather(*(batcher.embed(q) for q in ("a", "b", "c")), return_exceptions=True)
    assert all(isinstance(r, ConnectionError) for r in results)
    model.fail = False
    assert (await batcher.embed("a"))[0] == 1

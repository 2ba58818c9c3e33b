"""An in-memory BM25 keyword index over product text (the same text that is embedded)."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

__all__ = ["KeywordIndex", "tokenize"]

_TOKEN = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "i",
        "in",
        "is",
        "it",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "that",
        "the",
        "this",
        "to",
        "with",
        "you",
        "your",
        "need",
        "want",
        "looking",
        "some",
        "something",
    ]
)


def tokenize(text: str) -> list[str]:
    return [_stem(t) for t in _TOKEN.findall(text.lower()) if t not in _STOP]


def _stem(token: str) -> str:
    for suffix in ("ies", "es", "s"):
        if len(token) > len(suffix) + 2 and token.endswith(suffix) and not token.endswith("ss"):
            return token[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return token


class KeywordIndex:
    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self._k1, self._b = k1, b
        self._postings: dict[str, dict[int, int]] = defaultdict(dict)
        self._lengths: dict[int, int] = {}
        self._terms: dict[int, tuple[str, ...]] = {}
        self._total_length = 0

    def __len__(self) -> int:
        return len(self._lengths)

    def upsert(self, product_id: int, text: str) -> None:
        self.remove(product_id)
        counts = Counter(tokenize(text))
        for term, count in counts.items():
            self._postings[term][product_id] = count
        length = sum(counts.values())
        self._lengths[product_id] = length
        self._terms[product_id] = tuple(counts)
        self._total_length += length

    def remove(self, product_id: int) -> None:
        length = self._lengths.pop(product_id, None)
        if length is None:
            return
        self._total_length -= length
        for term in self._terms.pop(product_id):
            postings = self._postings[term]
            postings.pop(product_id, None)
            if not postings:
                del self._postings[term]

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        if not self._lengths:
            return []
        n = len(self._lengths)
        average = self._total_length / n
        scores: dict[int, float] = defaultdict(float)
        for term in set(tokenize(query)):
            postings = self._postings.get(term)
            if not postings:
                continue
            idf = math.log(1 + (n - len(postings) + 0.5) / (len(postings) + 0.5))
            for product_id, tf in postings.items():
                norm = self._k1 * (1 - self._b + self._b * self._lengths[product_id] / average)
                scores[product_id] += idf * tf * (self._k1 + 1) / (tf + norm)
        best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        return best[:k]

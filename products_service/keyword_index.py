"""An in-memory BM25 keyword index over product text, scored with numpy.

Postings are kept per term as {slot: term frequency} for cheap updates, and compiled into arrays
the first time a term is searched after a change, so a query costs a few vector operations per
term rather than a Python loop over every matching product.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

import numpy as np

__all__ = ["KeywordIndex", "tokenize"]

_TOKEN = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
_STOP = frozenset(
    {
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
    }
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
        self._slot_of: dict[int, int] = {}
        self._product_at: list[int] = []
        self._lengths = np.zeros(1024, dtype=np.float32)
        self._terms_of: dict[int, tuple[str, ...]] = {}
        self._postings: dict[str, dict[int, int]] = defaultdict(dict)
        self._compiled: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._total_length = 0.0

    def __len__(self) -> int:
        return len(self._slot_of)

    def upsert(self, product_id: int, text: str) -> None:
        self.remove(product_id)
        slot = len(self._product_at)
        self._product_at.append(product_id)
        self._slot_of[product_id] = slot
        if slot >= len(self._lengths):
            self._lengths = np.concatenate([self._lengths, np.zeros_like(self._lengths)])
        counts = Counter(tokenize(text))
        for term, count in counts.items():
            self._postings[term][slot] = count
            self._compiled.pop(term, None)
        length = sum(counts.values())
        self._lengths[slot] = length
        self._terms_of[slot] = tuple(counts)
        self._total_length += length

    def remove(self, product_id: int) -> None:
        slot = self._slot_of.pop(product_id, None)
        if slot is None:
            return
        self._total_length -= float(self._lengths[slot])
        self._lengths[slot] = 0
        for term in self._terms_of.pop(slot):
            postings = self._postings[term]
            postings.pop(slot, None)
            self._compiled.pop(term, None)
            if not postings:
                del self._postings[term]

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        n = len(self._slot_of)
        if n == 0 or k <= 0:
            return []
        average = self._total_length / n
        scores = np.zeros(len(self._product_at), dtype=np.float32)
        for term in set(tokenize(query)):
            if term not in self._postings:
                continue
            slots, tf = self._arrays(term)
            idf = math.log(1 + (n - len(slots) + 0.5) / (len(slots) + 0.5))
            norm = self._k1 * (1 - self._b + self._b * self._lengths[slots] / average)
            scores[slots] += idf * tf * (self._k1 + 1) / (tf + norm)
        matched = np.flatnonzero(scores)
        if len(matched) > k:
            matched = matched[np.argpartition(-scores[matched], k - 1)[:k]]
        ranked = sorted(
            ((self._product_at[s], float(scores[s])) for s in matched), key=lambda hit: (-hit[1], hit[0])
        )
        return ranked[:k]

    def compile_all(self) -> None:
        """Compile every term's arrays now, so the first searches after a start do not pay for it."""
        for term in self._postings:
            self._arrays(term)

    def _arrays(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        compiled = self._compiled.get(term)
        if compiled is None:
            postings = self._postings[term]
            compiled = (
                np.fromiter(postings.keys(), dtype=np.int64, count=len(postings)),
                np.fromiter(postings.values(), dtype=np.float32, count=len(postings)),
            )
            self._compiled[term] = compiled
        return compiled

"""The emulator's stand-in for the model's decision: which of the session's tools a request wants, or a reply.

No LLM: the request is embedded once and compared with "intent texts" built from each declared tool (its
name, description sentences, quoted example requests, parameters), plus a few generic lexical cues that
come from the tool's own words. Nothing here knows any particular store's tools.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from orchestrator.emulators.azure_openai.embedder import DIMENSION, LocalEmbedder, Vectors
from orchestrator.emulators.azure_openai.realtime.composer import small_talk
from orchestrator.emulators.azure_openai.realtime.cues import (
    CONVERSATION_EXAMPLES,
    Talk,
    ToolWords,
    conversational,
    cue_bonus,
    intent_texts,
    tool_words,
)
from orchestrator.emulators.azure_openai.realtime.followups import (
    cannot_help,
    lookup_instead,
    product_noun,
    question_for,
)
from orchestrator.emulators.azure_openai.realtime.slots import (
    extract_slots,
    fill_arguments,
    generalized,
)
from orchestrator.emulators.azure_openai.realtime.specs import ProductRef, RouterContext, ToolSpec
from orchestrator.emulators.azure_openai.realtime.utterance import GREETING_PREFIX
from orchestrator.emulators.azure_openai.realtime.vocab import tokens

__all__ = ["Decision", "IntentRouter", "ProductRef", "RouterContext", "ToolSpec"]

Kind = Literal["tool", "greeting", "thanks", "goodbye", "clarify", "chat"]

TOOL_THRESHOLD = 0.32
CONVERSATION_THRESHOLD = 0.55
_CACHE_SIZE = 4
_GREETING = re.compile(
    r"\s*(?:hi|hello|hey|hiya|howdy|good\s+(?:morning|afternoon|evening))\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Decision:
    """What the response should do: call `tool` with `arguments`, or say `text`. A "clarify" decision also
    names the tool it would call and the arguments it has so far; `score` is the winning similarity."""

    kind: Kind
    tool: str | None = None
    arguments: dict[str, Any] = field(default_factory=dict)
    text: str | None = None
    score: float = 0.0


@dataclass(frozen=True)
class _ToolIndex:
    tools: tuple[ToolSpec, ...]
    words: tuple[ToolWords, ...]
    vectors: Vectors
    owners: np.ndarray[Any, np.dtype[np.int64]]
    weights: np.ndarray[Any, np.dtype[np.float32]]
    noun: str


class IntentRouter:
    """Routes one user turn among the tools a session declared. Thread-safe; about one embedding per turn."""

    def __init__(self, embedder: LocalEmbedder) -> None:
        self._embedder = embedder
        self._lock = threading.Lock()
        self._indexes: OrderedDict[str, _ToolIndex] = OrderedDict()
        self._conversation: tuple[list[Talk], Vectors] | None = None

    def route(
        self,
        text: str,
        tools: Sequence[ToolSpec],
        *,
        tool_choice: str | Mapping[str, Any] = "auto",
        context: RouterContext | None = None,
    ) -> Decision:
        """Decide one turn. `tool_choice` as in the Realtime API: "auto", "none", "required" or
        `{"type": "function", "name": N}` (an unknown name counts as "auto"). A forced choice always
        calls a tool, leaving out what it cannot fill; "auto" asks instead ("clarify")."""
        tools = [t for t in tools if t.name]
        forced: ToolSpec | None = None
        if isinstance(tool_choice, Mapping):
            forced = next((t for t in tools if t.name == tool_choice.get("name")), None)
            tool_choice = "required" if forced else "auto"
        if tool_choice == "none":
            tools = []
        if forced:
            tools = [forced]
        must_call = tool_choice == "required" and bool(tools)
        request = GREETING_PREFIX.sub("", " ".join(text.split())).strip()
        greeted = bool(_GREETING.match(text))
        if not must_call:
            if kind := conversational(text):
                return Decision(kind, text=small_talk(kind), score=1.0)
            if not request:
                return Decision("chat", text="Sorry, I didn't catch that. Could you say it again?")
        slots = extract_slots(request or text, context)
        index = self._index(tools) if tools else None
        said = generalized(request, slots, index.noun) if index and slots.mention else request or text
        vector = self._embedder.embed([said])[0]
        best, score = None, 0.0
        if index:
            similarity = np.zeros(len(index.tools), dtype=np.float32)
            np.maximum.at(similarity, index.owners, index.vectors @ vector * index.weights)
            scores = [
                float(s) + cue_bonus(request, w, slots) for s, w in zip(similarity, index.words, strict=True)
            ]
            best = int(np.argmax(scores))
            score = scores[best]
        if not must_call and (len(tokens(request)) <= 6 or best is None):
            talk, talk_score = self._conversational(vector)
            if talk_score >= CONVERSATION_THRESHOLD and talk_score >= score:
                return Decision(talk, text=small_talk(talk), score=talk_score)
        if best is None or (not must_call and score < TOOL_THRESHOLD):
            if greeted:
                return Decision("greeting", text=small_talk("greeting"), score=score)
            return Decision("chat", text=cannot_help(tools), score=score)
        tool = tools[best]
        arguments, missing = fill_arguments(tool, slots, request)
        if not missing or must_call:
            return Decision("tool", tool=tool.name, arguments=arguments, score=score)
        if lookup := lookup_instead(tool, missing, tools, request):
            return Decision("tool", tool=lookup[0], arguments=lookup[1], score=score)
        return Decision(
            "clarify", tool=tool.name, arguments=arguments, text=question_for(tool, missing), score=score
        )

    def prepare(self, tools: Sequence[ToolSpec]) -> None:
        """Embed a tool set's intent texts (and the small-talk examples) ahead of the first turn: a few tens
        of milliseconds that `route` would otherwise spend on its first call with these tools."""
        if tools:
            self._index([t for t in tools if t.name])
        self._conversational(np.zeros(DIMENSION, dtype=np.float32))

    def _index(self, tools: Sequence[ToolSpec]) -> _ToolIndex:
        key = _fingerprint(tools)
        with self._lock:
            if key in self._indexes:
                self._indexes.move_to_end(key)
                return self._indexes[key]
        texts, owners, weights = [], [], []
        for number, tool in enumerate(tools):
            for intent, weight in intent_texts(tool):
                texts.append(intent)
                owners.append(number)
                weights.append(weight)
        index = _ToolIndex(
            tuple(tools),
            tuple(tool_words(t) for t in tools),
            self._embedder.embed(texts),
            np.asarray(owners, dtype=np.int64),
            np.asarray(weights, dtype=np.float32),
            product_noun(tools),
        )
        with self._lock:
            self._indexes[key] = index
            while len(self._indexes) > _CACHE_SIZE:
                self._indexes.popitem(last=False)
        return index

    def _conversational(self, vector: Vectors) -> tuple[Talk, float]:
        if self._conversation is None:
            kinds = [k for k, examples in CONVERSATION_EXAMPLES.items() for _ in examples]
            examples = [e for examples in CONVERSATION_EXAMPLES.values() for e in examples]
            self._conversation = (kinds, self._embedder.embed(examples))
        kinds, vectors = self._conversation
        similarity = vectors @ vector
        best = int(np.argmax(similarity))
        return kinds[best], float(similarity[best])


def _fingerprint(tools: Sequence[ToolSpec]) -> str:
    canonical = [[t.name, t.description, t.parameters] for t in tools]
    return hashlib.sha256(json.dumps(canonical, sort_keys=True, default=str).encode()).hexdigest()

"""The emulator's "chat model": it ranks product candidates, and says plainly that it does nothing else.

No local language model is good enough to stand in for gpt-4o-mini, so the emulator answers
exactly the chat request this system sends, by embedding similarity, and refuses the rest.

Contract (products_service builds its recommendation request this way):

- `response_format` is `{"type": "json_schema", "json_schema": {"name":
  "product_recommendations", "schema": ...}}`. The name is compared ignoring case and
  non-alphanumerics, so a pydantic model `ProductRecommendations` given to the SDK's
  `.parse()` matches too.
- The content of the LAST user message (a string, or text parts joined) is a JSON object::

      {"need": str, "top_k": int >= 1,
       "candidates": [{"id": int, "name": str, "category": str, "description": str,
                       "price": str, "tags": [str], "attributes": {str: value}}, ...]}

  Only `id` and `name` are required per candidate; unknown keys are ignored. The system
  message, written for a real model, is not read.
- The answer is `message.content` = `{"picks": [{"id": int, "reason": str}]}` with
  min(top_k, len(candidates)) picks, best first. Candidates are ranked by cosine similarity
  between the need and the candidate's text (name, category, description, tags, attributes
  as readable phrases). Each reason is one sentence naming up to two attributes or tags that
  share a word with the need or whose embedding is closest to it, or an honest generic
  sentence when none match.
- Any other chat request gets `CANNOT_ANSWER`: as `message.content`, or, when structured
  output (json_schema or json_object) was asked for, as `message.refusal` with no content.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, JsonValue

from orchestrator.emulators.azure_openai.reasons import (
    Feature,
    content_words,
    features_of,
    format_reason,
)
from orchestrator.emulators.azure_openai.schemas import ChatRequest

__all__ = [
    "CANNOT_ANSWER",
    "SCHEMA_NAME",
    "Answer",
    "Candidate",
    "Embed",
    "Pick",
    "RankingRequest",
    "Recommendations",
    "answer",
    "rank",
    "ranking_request",
]

SCHEMA_NAME = "product_recommendations"
CANNOT_ANSWER = (
    "This is the local Azure OpenAI emulator. It can only rank product candidates for the"
    " store's recommendation requests; it cannot answer general chat."
)
MAX_REASON_FEATURES = 2
FEATURE_SIMILARITY_FLOOR = 0.3
# A listed attribute or tag that names what the customer asked for counts for a little more than prose
# (0.04 per match, at most 3: tuned on the default catalog, 14 of 18 expected picks against 13 without).
FEATURE_MATCH_BONUS = 0.04
MAX_FEATURE_MATCHES = 3

Embed = Callable[[Sequence[str]], npt.NDArray[np.float32]]


class Candidate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: int
    name: str
    category: str = ""
    description: str = ""
    price: str | float | None = None
    tags: list[str] = Field(default_factory=list)
    attributes: dict[str, JsonValue] = Field(default_factory=dict)

    def text(self) -> str:
        phrases = (f.phrase + "." for f in features_of(self.tags, self.attributes))
        return " ".join(
            part
            for part in (self.name + ".", self.category + ".", self.description, *phrases)
            if part.strip(" .")
        )


class RankingRequest(BaseModel):
    need: str = Field(min_length=1)
    top_k: int = Field(ge=1)
    candidates: list[Candidate] = Field(min_length=1)


class Pick(BaseModel):
    id: int
    reason: str


class Recommendations(BaseModel):
    picks: list[Pick]


@dataclass(frozen=True)
class Answer:
    """What the "model" says: content, or a refusal."""

    content: str | None
    refusal: str | None = None


def _normalised(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def ranking_request(chat: ChatRequest) -> RankingRequest | None:
    """The recommendation request inside `chat`, or None when `chat` is anything else."""
    fmt = chat.response_format
    if fmt is None or fmt.type != "json_schema" or fmt.json_schema is None:
        return None
    if _normalised(fmt.json_schema.name) != _normalised(SCHEMA_NAME):
        return None
    text = chat.last_user_text()
    if not text:
        return None
    try:
        return RankingRequest.model_validate(json.loads(text))
    except ValueError:  # not JSON, or not the contract's shape (ValidationError is a ValueError)
        return None


def _reason_features(
    need: str, features: Sequence[Feature], similarity: npt.NDArray[np.float32]
) -> list[Feature]:
    need_words = content_words(need)
    overlapping = [i for i, f in enumerate(features) if content_words(f.phrase) & need_words]
    close = [i for i in np.argsort(-similarity, kind="stable") if i not in overlapping]
    chosen = sorted(overlapping, key=lambda i: -similarity[i])[:MAX_REASON_FEATURES]
    for i in close:
        if len(chosen) >= MAX_REASON_FEATURES or similarity[i] < FEATURE_SIMILARITY_FLOOR:
            break
        chosen.append(int(i))
    return [features[i] for i in chosen]


def rank(request: RankingRequest, embed: Embed) -> Recommendations:
    """The best min(top_k, len(candidates)) candidates for the need, each with a reason."""
    candidates = request.candidates
    vectors = embed([request.need, *(c.text() for c in candidates)])
    need_vector, scores = vectors[0], vectors[1:] @ vectors[0]
    need_words = content_words(request.need)
    matches = np.array(
        [
            sum(1 for f in features_of(c.tags, c.attributes) if content_words(f.phrase) & need_words)
            for c in candidates
        ],
        dtype=np.float32,
    )
    scores = scores + FEATURE_MATCH_BONUS * np.minimum(matches, MAX_FEATURE_MATCHES)
    picked: list[Candidate] = []
    for i in np.argsort(-scores, kind="stable"):
        if len(picked) < request.top_k and all(p.id != candidates[i].id for p in picked):
            picked.append(candidates[i])
    features = [features_of(c.tags, c.attributes) for c in picked]
    phrases = [f.phrase for group in features for f in group]
    similarity = embed(phrases) @ need_vector if phrases else np.zeros(0, np.float32)
    picks, start = [], 0
    for candidate, group in zip(picked, features, strict=True):
        own = similarity[start : start + len(group)]
        start += len(group)
        reason = format_reason(request.need, _reason_features(request.need, group, own))
        picks.append(Pick(id=candidate.id, reason=reason))
    return Recommendations(picks=picks)


def answer(chat: ChatRequest, embed: Embed) -> Answer:
    """The emulator's reply to any chat completion request."""
    request = ranking_request(chat)
    if request is not None:
        return Answer(content=rank(request, embed).model_dump_json())
    if chat.wants_structured_output:
        return Answer(content=None, refusal=CANNOT_ANSWER)
    return Answer(content=CANNOT_ANSWER)

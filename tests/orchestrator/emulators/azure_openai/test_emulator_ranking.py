"""The ranking "model" and its reasons, without a server or the real embedder."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from orchestrator.emulators.azure_openai.ranking import (
    CANNOT_ANSWER,
    RankingRequest,
    answer,
    rank,
    ranking_request,
)
from orchestrator.emulators.azure_openai.reasons import Feature, format_reason, render_attribute
from orchestrator.emulators.azure_openai.schemas import ChatRequest


@pytest.mark.parametrize(
    ("key", "value", "phrase"),
    [
        ("waterproof_rating_mm", 20000, "20,000 mm waterproof rating"),
        ("temp_rating_c", -12, "-12 °C temperature rating"),
        ("weight_g", 850, "850 g weight"),
        ("capacity_l", 30.5, "30.5 L capacity"),
        ("weightKg", "1.20", "1.2 kg weight"),
        ("lumens", 400, "400 lumens"),
        ("max_persons", 2, "maximum of 2 persons"),
        ("seams", "sealed", "sealed seams"),
        ("season", "3-season", "3-season"),
        ("fill", ["goose", "duck"], "goose and duck fill"),
        ("freestanding", True, "freestanding design"),
        ("has_hood", True, "hood"),
        ("is_packable", True, "packable design"),
        ("insulated", False, None),
        ("dimensions", {"w": 1}, None),
        ("colour", None, None),
    ],
)
def test_attributes_render_readably(key: str, value: Any, phrase: str | None) -> None:
    assert render_attribute(key, value) == phrase


def test_reason_names_the_features_in_one_sentence() -> None:
    reason = format_reason(
        "a jacket for a wet trek", [Feature("20,000 mm waterproof rating"), Feature("rain", is_tag=True)]
    )
    assert reason == (
        "Suits “a jacket for a wet trek” thanks to its 20,000 mm waterproof rating and its “rain” tag."
    )


def test_reason_with_only_tags() -> None:
    reason = format_reason("winter camping", [Feature("winter", True), Feature("down", True)])
    assert reason == "Suits “winter camping” thanks to its “winter” and “down” tags."


def test_reason_without_matches_is_honest_and_one_sentence() -> None:
    reason = format_reason("A gift for my dad. He likes hiking!", [])
    assert reason.startswith("Picked for its overall similarity to “A gift for my dad, He likes hiking”")
    assert "none of its listed attributes or tags" in reason
    assert reason.count(".") == 1 and reason.endswith(".")


def test_long_needs_are_shortened_in_the_reason() -> None:
    reason = format_reason("word " * 40, [Feature("850 g weight")])
    assert "…”" in reason
    assert len(reason) < 120


def _bag_of_words(texts: Sequence[str]) -> np.ndarray:
    """A deterministic stand-in for the model: hashed word counts, L2-normalised."""
    out = np.zeros((len(texts), 64), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in re.findall(r"[a-z]+", text.lower()):
            out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % 64] += 1
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


CANDIDATES: list[dict[str, Any]] = [
    {"id": 1, "name": "Camp stove", "tags": ["cooking"], "attributes": {"fuel": "isobutane"}},
    {"id": 2, "name": "Rain shell jacket", "description": "keeps rain out", "tags": ["rain"],
     "attributes": {"waterproof_rating_mm": 20000}},
    {"id": 3, "name": "Dome tent", "attributes": {"persons": 2}},
    {"id": 2, "name": "Rain shell jacket (duplicate id)", "tags": ["rain"]},
]  # fmt: skip


def test_rank_orders_by_similarity_with_unique_ids_and_reasons() -> None:
    request = RankingRequest(need="rain jacket", top_k=3, candidates=CANDIDATES)  # type: ignore[arg-type]
    picks = rank(request, _bag_of_words).picks

    assert picks[0].id == 2
    assert len(picks) == 3
    assert len({p.id for p in picks}) == 3
    assert "“rain” tag" in picks[0].reason


def _chat(content: str, schema_name: str | None = "product_recommendations") -> ChatRequest:
    body: dict[str, Any] = {
        "messages": [{"role": "system", "content": "rank"}, {"role": "user", "content": content}]
    }
    if schema_name:
        body["response_format"] = {"type": "json_schema", "json_schema": {"name": schema_name, "schema": {}}}
    return ChatRequest.model_validate(body)


CONTRACT = json.dumps({"need": "rain jacket", "top_k": 1, "candidates": CANDIDATES[:3]})


@pytest.mark.parametrize("name", ["product_recommendations", "ProductRecommendations"])
def test_contract_is_recognised(name: str) -> None:
    assert ranking_request(_chat(CONTRACT, name)) is not None


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (CONTRACT, None),
        (CONTRACT, "weather_report"),
        ("not json", "product_recommendations"),
        (json.dumps({"need": "x", "top_k": 1, "candidates": []}), "product_recommendations"),
        (json.dumps({"need": "x", "top_k": 0, "candidates": CANDIDATES}), "product_recommendations"),
    ],
)
def test_anything_else_is_not_the_contract(content: str, name: str | None) -> None:
    assert ranking_request(_chat(content, name)) is None


def test_answer_ranks_refuses_or_says_it_cannot() -> None:
    ranked = answer(_chat(CONTRACT), _bag_of_words)
    assert ranked.refusal is None
    assert json.loads(ranked.content or "")["picks"][0]["id"] == 2

    assert answer(_chat("garbage"), _bag_of_words).refusal == CANNOT_ANSWER
    plain = answer(_chat("hello", schema_name=None), _bag_of_words)
    assert (plain.content, plain.refusal) == (CANNOT_ANSWER, None)


def test_a_listed_attribute_naming_the_need_outranks_prose() -> None:
    def same_similarity(texts: Sequence[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), 2), dtype=np.float32)
        vectors[:, 0] = 1.0
        return vectors

    bags = [
        {"id": 1, "name": "Nightjar bag", "description": "for winter-ish nights", "tags": ["summer"]},
        {"id": 2, "name": "Tundra bag", "tags": ["expedition"], "attributes": {"season": "winter"}},
    ]
    request = RankingRequest(need="a winter sleeping bag", top_k=2, candidates=bags)  # type: ignore[arg-type]
    assert [p.id for p in rank(request, same_similarity).picks] == [2, 1]

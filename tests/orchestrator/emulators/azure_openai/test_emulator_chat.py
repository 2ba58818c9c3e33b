"""Chat completions through the real `openai` SDK: the ranking contract and the plain refusals."""

from __future__ import annotations

import json
import re
from typing import Any

import openai
import pytest
from openai import AsyncAzureOpenAI
from pydantic import BaseModel

from orchestrator.emulators.azure_openai.ranking import CANNOT_ANSWER
from products_service.recommend import RESPONSE_FORMAT

CHAT = "gpt-4o-mini"
EMBEDDINGS = "text-embedding-ada-002"

CANDIDATES: list[dict[str, Any]] = [
    {
        "id": 11,
        "name": "Blaze Canister Stove",
        "category": "Camp Kitchen",
        "description": "A compact gas stove that boils a litre of water in three minutes.",
        "price": "49.99",
        "tags": ["cooking"],
        "attributes": {"weight_g": 85, "fuel": "isobutane"},
    },
    {
        "id": 12,
        "name": "Ridgeline 2P Tent",
        "category": "Tents",
        "description": "A freestanding two-person backpacking tent with two doors.",
        "price": "299.00",
        "tags": ["backpacking"],
        "attributes": {"persons": 2, "weight_g": 1900},
    },
    {
        "id": 13,
        "name": "Stormline Rain Shell",
        "category": "Rain Jackets",
        "description": "A breathable shell that keeps you dry through downpours on long treks.",
        "price": "189.00",
        "tags": ["hiking", "sealed-seams"],
        "attributes": {"waterproof_rating_mm": 20000, "weight_g": 420},
    },
]

# The request format products_service really sends: this test is the contract between the two.


class Pick(BaseModel):
    id: int
    reason: str


class ProductRecommendations(BaseModel):
    picks: list[Pick]


def _messages(need: str, top_k: int, candidates: list[dict[str, Any]] = CANDIDATES) -> list[Any]:
    payload = {"need": need, "top_k": top_k, "candidates": candidates}
    return [
        {"role": "system", "content": "You are the product expert. Rank the candidates."},
        {"role": "user", "content": json.dumps(payload)},
    ]


def _is_one_sentence(text: str) -> bool:
    return text.endswith(".") and not re.search(r"[.!?]\s+\S", text[:-1])


async def test_products_service_request_ranks_the_rain_shell_first(client: AsyncAzureOpenAI) -> None:
    completion = await client.chat.completions.create(
        model=CHAT,
        messages=_messages("a waterproof rain jacket for a wet trek", top_k=2),
        response_format=RESPONSE_FORMAT,  # type: ignore[arg-type]
        temperature=0.2,
    )

    assert completion.object == "chat.completion"
    assert completion.id.startswith("chatcmpl-")
    assert completion.model == CHAT
    assert completion.system_fingerprint
    choice = completion.choices[0]
    assert choice.finish_reason == "stop"
    assert choice.logprobs is None
    assert choice.message.role == "assistant"
    assert choice.message.refusal is None
    picks = json.loads(choice.message.content or "")["picks"]
    assert picks[0]["id"] == 13
    assert len(picks) == 2
    assert all(_is_one_sentence(p["reason"]) for p in picks)
    assert "20,000 mm waterproof rating" in picks[0]["reason"]
    assert completion.usage is not None
    assert completion.usage.prompt_tokens > 0
    assert completion.usage.completion_tokens > 0
    assert completion.usage.total_tokens == (
        completion.usage.prompt_tokens + completion.usage.completion_tokens
    )


async def test_parse_with_a_pydantic_model(client: AsyncAzureOpenAI) -> None:
    completion = await client.chat.completions.parse(
        model=CHAT,
        messages=_messages("something to cook dinner on at camp", top_k=1),
        response_format=ProductRecommendations,
    )

    parsed = completion.choices[0].message.parsed
    assert parsed is not None
    assert [p.id for p in parsed.picks] == [11]
    assert _is_one_sentence(parsed.picks[0].reason)
    assert "cooking" in parsed.picks[0].reason


async def test_top_k_above_the_candidates_returns_each_once(client: AsyncAzureOpenAI) -> None:
    completion = await client.chat.completions.parse(
        model=CHAT,
        messages=_messages("a shelter for two people", top_k=10),
        response_format=ProductRecommendations,
    )

    parsed = completion.choices[0].message.parsed
    assert parsed is not None
    assert sorted(p.id for p in parsed.picks) == [11, 12, 13]
    assert parsed.picks[0].id == 12


async def test_general_chat_gets_the_plain_cannot_answer(client: AsyncAzureOpenAI) -> None:
    completion = await client.chat.completions.create(
        model=CHAT, messages=[{"role": "user", "content": "What is the capital of France?"}]
    )

    message = completion.choices[0].message
    assert message.content == CANNOT_ANSWER
    assert message.refusal is None
    assert "cannot answer general chat" in (message.content or "")


async def test_structured_request_with_garbage_gets_a_refusal(client: AsyncAzureOpenAI) -> None:
    completion = await client.chat.completions.parse(
        model=CHAT,
        messages=[{"role": "user", "content": "not json at all {"}],
        response_format=ProductRecommendations,
    )

    message = completion.choices[0].message
    assert message.content is None
    assert message.refusal == CANNOT_ANSWER
    assert message.parsed is None


async def test_streaming_a_ranking(client: AsyncAzureOpenAI) -> None:
    stream = await client.chat.completions.create(
        model=CHAT,
        messages=_messages("waterproof rain jacket", top_k=1),
        response_format=RESPONSE_FORMAT,  # type: ignore[arg-type]
        stream=True,
        stream_options={"include_usage": True},
    )
    pieces: list[str] = []
    finish: list[str] = []
    usage = None
    async for chunk in stream:
        assert chunk.object == "chat.completion.chunk"
        if chunk.usage is not None:
            usage = chunk.usage
        for choice in chunk.choices:
            pieces.append(choice.delta.content or "")
            if choice.finish_reason:
                finish.append(choice.finish_reason)

    assert len(pieces) > 2
    assert json.loads("".join(pieces))["picks"][0]["id"] == 13
    assert finish == ["stop"]
    assert usage is not None and usage.completion_tokens > 0


async def test_streaming_a_general_chat(client: AsyncAzureOpenAI) -> None:
    stream = await client.chat.completions.create(
        model=CHAT, messages=[{"role": "user", "content": "Tell me a joke"}], stream=True
    )
    text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])

    assert text == CANNOT_ANSWER


@pytest.mark.parametrize(
    ("messages", "param"),
    [
        ([], "messages"),
        ([{"role": "wizard", "content": "hi"}], "messages[0].role"),
        ([{"role": "user"}], "messages[0]"),
        (
            [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}],
            "messages[0].content[0].type",
        ),
    ],
)
async def test_malformed_chat_body_names_the_field(
    client: AsyncAzureOpenAI, messages: list[Any], param: str
) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        await client.chat.completions.create(model=CHAT, messages=messages)
    assert caught.value.param == param
    assert param in caught.value.message


async def test_chat_on_the_embeddings_deployment_is_not_found(client: AsyncAzureOpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        await client.chat.completions.create(model=EMBEDDINGS, messages=[{"role": "user", "content": "hi"}])
    assert caught.value.code == "DeploymentNotFound"

"""Recommendations: semantic candidates re-ranked by the chat deployment, with a safe fallback."""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import openai
from openai import AsyncAzureOpenAI
from openai.types.chat import ChatCompletion
from opentelemetry import trace
from pydantic import BaseModel, Field, ValidationError

from products_service.catalog import ProductFilter

if TYPE_CHECKING:
    from openai.types.shared_params import ResponseFormatJSONSchema
from products_service.schemas import ProductPublic, SearchMode
from products_service.search import Hit, SearchEngine
from shared.telemetry import propagation_headers

__all__ = ["Pick", "RecommendationSet", "Recommender"]

_log = logging.getLogger(__name__)
_tracer = trace.get_tracer(__name__)

SYSTEM_PROMPT = (
    "You are the product expert of Contoso Outdoors, an outdoor and camping store. The user "
    "message is a JSON object with the customer's `need`, a number `top_k` and `candidates` "
    "from the catalog. Choose up to top_k candidates that best fit the need, best first, and "
    "give each a one-sentence reason that names the product attributes that match the need. "
    "Use only the candidates' ids and facts; never invent products or attributes."
)


class _Pick(BaseModel):
    id: int
    reason: str = Field(min_length=1, max_length=400)


class _Picks(BaseModel):
    picks: list[_Pick]


RESPONSE_FORMAT: dict[str, Any] = {
    "type": "json_schema",
    "json_schema": {
        "name": "product_recommendations",
        "strict": True,
        "schema": {
            "type": "object",
            "additionalProperties": False,
            "required": ["picks"],
            "properties": {
                "picks": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["id", "reason"],
                        "properties": {"id": {"type": "integer"}, "reason": {"type": "string"}},
                    },
                }
            },
        },
    },
}


@dataclass(frozen=True)
class Pick:
    product: ProductPublic
    reason: str
    score: float


@dataclass(frozen=True)
class RecommendationSet:
    picks: list[Pick]
    ranked_by: str
    fallback_reason: str | None = None


class Recommender:
    def __init__(
        self, search: SearchEngine, client: AsyncAzureOpenAI, deployment: str, *, timeout_s: float
    ) -> None:
        self._search = search
        self._client = client
        self._deployment = deployment
        self._timeout_s = timeout_s

    async def recommend(self, need: str, *, top_k: int, where: ProductFilter) -> RecommendationSet:
        candidates, _ = await self._search.search(
            need, top_k=min(20, max(8, top_k * 4)), mode=SearchMode.semantic, where=where
        )
        if not candidates:
            return RecommendationSet([], "semantic", "no product matches the filters")
        try:
            picks = await asyncio.wait_for(self._rank(need, top_k, candidates), self._timeout_s)
        except TimeoutError:
            return self._fallback(candidates, top_k, f"the chat model did not answer in {self._timeout_s:g}s")
        except (openai.APIError, ValueError, ValidationError) as exc:
            _log.warning("recommendation ranking failed: %s", exc)
            return self._fallback(
                candidates, top_k, f"the chat model's answer was unusable: {type(exc).__name__}"
            )
        return RecommendationSet(picks, "model")

    async def _rank(self, need: str, top_k: int, candidates: list[Hit]) -> list[Pick]:
        payload = {
            "need": need,
            "top_k": top_k,
            "candidates": [_candidate(h.product) for h in candidates],
        }
        with _tracer.start_as_current_span(
            f"chat {self._deployment}",
            kind=trace.SpanKind.CLIENT,
            attributes={"gen_ai.operation.name": "chat", "gen_ai.request.model": self._deployment},
        ) as span:
            completion = await self._create(payload)
            if completion.usage is not None:
                span.set_attribute("gen_ai.usage.input_tokens", completion.usage.prompt_tokens)
                span.set_attribute("gen_ai.usage.output_tokens", completion.usage.completion_tokens)
        message = completion.choices[0].message
        if message.refusal or not message.content:
            raise ValueError(f"the model refused: {message.refusal or 'empty answer'}")
        parsed = _Picks.model_validate_json(message.content)
        by_id = {h.product.id: h for h in candidates}
        picks: list[Pick] = []
        for pick in parsed.picks:
            hit = by_id.pop(pick.id, None)
            if hit is None:
                raise ValueError(f"the model picked id {pick.id}, which is not a candidate or is repeated")
            picks.append(Pick(hit.product, pick.reason.strip(), hit.score))
        if not picks:
            raise ValueError("the model picked nothing")
        return picks[:top_k]

    async def _create(self, payload: dict[str, Any]) -> ChatCompletion:
        return await self._client.chat.completions.create(
            model=self._deployment,
            messages=[
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": json.dumps(payload)},
            ],
            response_format=cast("ResponseFormatJSONSchema", RESPONSE_FORMAT),
            temperature=0.2,
            extra_headers=propagation_headers(),
        )

    @staticmethod
    def _fallback(candidates: list[Hit], top_k: int, why: str) -> RecommendationSet:
        picks = [
            Pick(
                h.product,
                f"Closest catalog match to the request ({h.score:.0%} similarity).",
                h.score,
            )
            for h in candidates[:top_k]
        ]
        return RecommendationSet(picks, "semantic", why)


def _candidate(product: ProductPublic) -> dict[str, Any]:
    return {
        "id": product.id,
        "name": product.name,
        "category": product.category,
        "description": product.description,
        "price": f"{product.price:.2f}",
        "tags": product.tags,
        "attributes": product.attributes,
    }

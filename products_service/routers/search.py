"""`/api/v1/search` and `/api/v1/recommendations`."""

from __future__ import annotations

from fastapi import APIRouter

from products_service.catalog import ProductFilter
from products_service.deps import RuntimeDep
from products_service.routers import Responses
from products_service.schemas import (
    Recommendation,
    RecommendationRequest,
    RecommendationsPublic,
    SearchHit,
    SearchRequest,
    SearchResults,
)

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["search"])
_UPSTREAM: Responses = {503: {"description": "The embedding model could not be reached"}}


@router.post("/search", summary="Semantic, keyword or hybrid search with filters", responses=_UPSTREAM)
async def search(body: SearchRequest, runtime: RuntimeDep) -> SearchResults:
    hits, notice = await runtime.search.search(
        body.query, top_k=body.top_k, mode=body.mode, where=ProductFilter.of(body.filters)
    )
    return SearchResults(
        query=body.query,
        mode=body.mode,
        notice=notice,
        items=[
            SearchHit(
                product=h.product,
                score=h.score,
                semantic_rank=h.semantic_rank,
                keyword_rank=h.keyword_rank,
            )
            for h in hits
        ],
    )


@router.post(
    "/recommendations",
    summary="Products for a customer's need, ranked with a reason by the chat deployment",
    responses=_UPSTREAM,
)
async def recommend(body: RecommendationRequest, runtime: RuntimeDep) -> RecommendationsPublic:
    result = await runtime.recommender.recommend(
        body.need, top_k=body.top_k, where=ProductFilter.of(body.filters)
    )
    return RecommendationsPublic(
        need=body.need,
        ranked_by=result.ranked_by,
        fallback_reason=result.fallback_reason,
        items=[Recommendation(product=p.product, reason=p.reason, score=p.score) for p in result.picks],
    )

"""Azure OpenAI's REST routes: embeddings and chat completions of a deployment."""

from __future__ import annotations

import asyncio
import functools

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response, StreamingResponse

from orchestrator.emulators.azure_openai import ranking
from orchestrator.emulators.azure_openai.completions import ChatReply, embeddings_body, sse_events
from orchestrator.emulators.azure_openai.deps import (
    ChatDeployment,
    EmbedderDep,
    EmbeddingsDeployment,
    SettingsDep,
)
from orchestrator.emulators.azure_openai.embedder import DIMENSION, LocalEmbedder
from orchestrator.emulators.azure_openai.errors import InvalidRequest
from orchestrator.emulators.azure_openai.schemas import ChatRequest, EmbeddingsRequest

__all__ = ["MAX_INPUTS", "MAX_INPUT_TOKENS", "router"]

MAX_INPUTS = 2048
MAX_INPUT_TOKENS = 8191

router = APIRouter(prefix="/openai/deployments/{deployment}", tags=["azure-openai"])


def _texts(body: EmbeddingsRequest) -> list[str]:
    if body.is_token_ids:
        raise InvalidRequest(
            "Token id input is not supported by this emulator; send the text itself (the openai"
            " SDK sends strings unless it is given token ids).",
            code="unsupported_value",
            param="input",
        )
    texts = [body.input] if isinstance(body.input, str) else body.input
    if len(texts) > MAX_INPUTS:
        raise InvalidRequest(f"Too many inputs. The max number of inputs is {MAX_INPUTS}.", param="input")
    empty = next((i for i, text in enumerate(texts) if not text), None)
    if empty is not None:
        where = "input" if isinstance(body.input, str) else f"input[{empty}]"
        raise InvalidRequest(f"'{where}' is an empty string; inputs must not be empty.", param="input")
    if body.dimensions is not None and body.dimensions != DIMENSION:
        raise InvalidRequest(
            f"This emulator's embedding model (all-MiniLM-L6-v2) has {DIMENSION} dimensions and"
            f" cannot return {body.dimensions}; omit 'dimensions' or send {DIMENSION}.",
            param="dimensions",
        )
    return texts  # type: ignore[return-value]


@router.post("/embeddings", summary="Embed text with the local MiniLM model")
async def create_embeddings(
    body: EmbeddingsRequest,
    deployment: EmbeddingsDeployment,
    embedder: EmbedderDep,
    settings: SettingsDep,
) -> JSONResponse:
    texts = _texts(body)
    counts = await asyncio.to_thread(embedder.token_counts, texts)
    longest = max(range(len(counts)), key=counts.__getitem__)
    if counts[longest] > MAX_INPUT_TOKENS:
        raise InvalidRequest(
            f"This model's maximum context length is {MAX_INPUT_TOKENS} tokens, however input"
            f"[{longest}] has {counts[longest]} tokens. Please reduce the length of the input.",
            param="input",
        )
    vectors = await embedder.aembed(texts, batch_size=settings.embed_batch_size)
    return JSONResponse(
        embeddings_body(
            vectors,
            encoding_format=body.encoding_format,
            model=deployment,
            prompt_tokens=sum(counts),
        )
    )


def _reply(body: ChatRequest, embedder: LocalEmbedder, *, batch_size: int, model: str) -> ChatReply:
    answer = ranking.answer(body, functools.partial(embedder.embed, batch_size=batch_size))
    return ChatReply(
        answer,
        model=model,
        prompt_tokens=embedder.count_tokens([m.text for m in body.messages]),
        completion_tokens=embedder.count_tokens([answer.content or answer.refusal or ""]),
    )


@router.post("/chat/completions", summary="Rank product candidates; refuse anything else")
async def create_chat_completion(
    body: ChatRequest,
    deployment: ChatDeployment,
    embedder: EmbedderDep,
    settings: SettingsDep,
) -> Response:
    reply = await asyncio.to_thread(
        _reply, body, embedder, batch_size=settings.embed_batch_size, model=deployment
    )
    if not body.stream:
        return JSONResponse(reply.body())
    include_usage = body.stream_options is not None and body.stream_options.include_usage
    return StreamingResponse(
        sse_events(reply.chunks(include_usage=include_usage)),
        media_type="text/event-stream",
        headers={"cache-control": "no-cache"},
    )

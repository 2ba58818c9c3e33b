"""The unmodified openai SDK as a realtime client; every event it receives is checked against the SDK's types.

`connect_preview` and `connect_ga` open the two protocols; `Recorder` reads events, validates each one
strictly (pydantic, against the SDK's own server-event union) and waits for the types a test expects.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pydantic
from openai import AsyncAzureOpenAI, AsyncOpenAI
from openai.types.beta.realtime import RealtimeServerEvent as BetaServerEvent
from openai.types.realtime import RealtimeServerEvent as GaServerEvent

from tests.speech import silence, spoken

__all__ = [
    "PREVIEW_API_VERSION",
    "Recorder",
    "connect_ga",
    "connect_preview",
    "connect_store",
    "send_speech",
    "typed",
]

PREVIEW_API_VERSION = "2025-04-01-preview"
_BETA: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(BetaServerEvent)
_GA: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(GaServerEvent)


def ws_url(http_url: str) -> str:
    return http_url.replace("http://", "ws://", 1)


@asynccontextmanager
async def connect_preview(url: str, deployment: str, *, api_key: str = "any-key") -> AsyncIterator[Recorder]:
    client = AsyncAzureOpenAI(
        azure_endpoint=url,
        api_key=api_key,
        api_version=PREVIEW_API_VERSION,
        websocket_base_url=f"{ws_url(url)}/openai",
    )
    async with client, client.beta.realtime.connect(model=deployment) as connection:
        yield Recorder(connection, ga=False)


@asynccontextmanager
async def connect_store(url: str) -> AsyncIterator[Recorder]:
    """The SDK's beta realtime client pointed at store_realtime's `/realtime`."""
    client = AsyncOpenAI(api_key="unused-by-the-store", websocket_base_url=ws_url(url))
    async with client, client.beta.realtime.connect(model="store") as connection:
        yield Recorder(connection, ga=False)


@asynccontextmanager
async def connect_ga(url: str, deployment: str, *, api_key: str = "any-key") -> AsyncIterator[Recorder]:
    client = AsyncOpenAI(api_key=api_key, websocket_base_url=f"{ws_url(url)}/openai/v1")
    async with client, client.realtime.connect(model=deployment) as connection:
        yield Recorder(connection, ga=True)


class Recorder:
    """Reads a connection's events in order, keeping them all, each validated against the SDK's types."""

    def __init__(self, connection: Any, *, ga: bool) -> None:
        self.connection = connection
        self.ga = ga
        self.events: list[dict[str, Any]] = []
        self._adapter = _GA if ga else _BETA

    async def send(self, event: dict[str, Any]) -> None:
        await self.connection.send(event)

    async def send_raw(self, text: str) -> None:
        await self.connection._connection.send(
            text
        )  # the SDK validates what it sends; a test needs bad events

    async def next(self, within_s: float = 30.0) -> dict[str, Any]:
        raw = await asyncio.wait_for(self.connection.recv_bytes(), within_s)
        event: dict[str, Any] = json.loads(raw)
        self.events.append(event)
        if event["type"].startswith("store."):  # store_realtime's extension events are not the SDK's
            return event
        parsed = self._adapter.validate_python(event)
        assert parsed.type == event["type"], f"{event['type']} validated as {parsed.type}"
        sdk_parsed = self.connection.parse_event(raw)
        assert sdk_parsed.type == event["type"]
        return event

    async def until(self, *types: str, within_s: float = 60.0) -> list[dict[str, Any]]:
        """Events up to and including the first of `types`; fails on timeout."""
        seen: list[dict[str, Any]] = []
        deadline = asyncio.get_running_loop().time() + within_s
        while True:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise AssertionError(f"none of {types} within {within_s}s; saw {[e['type'] for e in seen]}")
            event = await self.next(remaining)
            seen.append(event)
            if event["type"] in types:
                return seen

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["type"] == kind]


def typed(text: str) -> dict[str, Any]:
    """The `conversation.item.create` of a user message typed instead of spoken."""
    return {
        "type": "conversation.item.create",
        "item": {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]},
    }


async def send_speech(
    recorder: Recorder,
    text: str,
    *,
    lead_ms: int = 400,
    tail_ms: int = 1200,
    chunk_ms: int = 100,
    encode: Any = None,
) -> int:
    """Append silence, the spoken text, silence, in `chunk_ms` frames; returns where speech starts (ms)."""
    pcm = silence(lead_ms) + spoken(text) + silence(tail_ms)
    data = encode(pcm) if encode else pcm
    total_ms = len(pcm) / 48
    step = int(len(data) * chunk_ms / total_ms)
    step -= step % 2
    for start in range(0, len(data), step):
        chunk = base64.b64encode(data[start : start + step]).decode("ascii")
        await recorder.send({"type": "input_audio_buffer.append", "audio": chunk})
    return lead_ms

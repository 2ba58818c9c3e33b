"""A minimal realtime client for the bench: a live microphone over the emulator's preview WebSocket.

`Mic` streams 100 ms `input_audio_buffer.append` frames paced in real time (silence, or faint noise, when
nothing is being said), as a browser or phone client does; `Connection` timestamps every server event on
receipt. `spoken_turn` says one utterance and times the server's answer from the client's side.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from websockets.asyncio.client import ClientConnection, connect

from store_realtime.tool_specs import TOOL_DEFINITIONS

__all__ = [
    "CART",
    "PRODUCTS",
    "TOOLS",
    "Connection",
    "Mic",
    "TurnTiming",
    "open_session",
    "spoken_turn",
]

API_VERSION = "2025-04-01-preview"
CHUNK_MS = 100
_BYTES_PER_MS = 48  # pcm16 mono at 24 kHz

# The tools the store itself declares: the router is measured on what customers will meet.
TOOLS: list[dict[str, Any]] = [dict(t) for t in TOOL_DEFINITIONS]
PRODUCTS = json.dumps(
    {
        "products": [
            {"id": "17", "sku": "JK-ALP-01", "name": "Alpine Rain Shell", "price": 129.99, "currency": "USD"},
            {"id": "23", "sku": "TN-TRL-02", "name": "Trailhead Tent", "price": 189.0, "currency": "USD"},
        ]
    }
)
CART = json.dumps(
    {
        "items": [{"id": "17", "name": "Alpine Rain Shell", "price": 129.99, "quantity": 1}],
        "total": 129.99,
        "currency": "USD",
    }
)


class Connection:
    """One WebSocket; a reader task stamps each event with `time.perf_counter()` as it arrives."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self._queue: asyncio.Queue[tuple[float, dict[str, Any]]] = asyncio.Queue()
        self._reader = asyncio.create_task(self._read(), name="realtime reader")

    async def _read(self) -> None:
        async for message in self.ws:
            stamp = time.perf_counter()
            self._queue.put_nowait((stamp, json.loads(message)))

    async def send(self, event: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(event))

    async def next(self, within_s: float) -> tuple[float, dict[str, Any]]:
        if self._reader.done() and self._queue.empty():
            raise ConnectionError(f"the realtime socket closed: {self._reader.exception()!r}")
        return await asyncio.wait_for(self._queue.get(), within_s)

    async def until(self, *types: str, within_s: float = 60.0) -> tuple[float, dict[str, Any]]:
        """The first event of one of `types` (earlier events are dropped); raises on an `error` event."""
        deadline = time.perf_counter() + within_s
        while True:
            stamp, event = await self.next(max(0.01, deadline - time.perf_counter()))
            if event["type"] == "error":
                raise RuntimeError(f"server error: {event['error']}")
            if event["type"] in types:
                return stamp, event

    async def close(self) -> None:
        self._reader.cancel()
        await self.ws.close()


class Mic:
    """Appends one `CHUNK_MS` frame every `CHUNK_MS` of wall time; `say` queues speech after what is queued.

    `sent_at[k]` is when frame k (audio ms [100 k, 100 k + 100) of the session's timeline) was sent.
    """

    def __init__(self, connection: Connection, *, noise_dbfs: float | None = None) -> None:
        self._connection = connection
        self._pending = bytearray()
        self._noise = None if noise_dbfs is None else 32768 * 10 ** (noise_dbfs / 20)
        self._rng = np.random.default_rng(7)
        self.sent_at: list[float] = []
        self._idle = asyncio.Event()
        self._task = asyncio.create_task(self._run(), name="mic")

    def say(self, pcm: bytes) -> None:
        self._pending += pcm

    @property
    def queued_ms(self) -> float:
        return len(self._pending) / _BYTES_PER_MS

    def wall_time_of(self, audio_ms: float) -> float:
        """When the frame holding `audio_ms` of the session's audio was sent."""
        return self.sent_at[min(int(audio_ms // CHUNK_MS), len(self.sent_at) - 1)]

    async def drained(self) -> None:
        """Returns once everything said so far has been sent."""
        self._idle.clear()
        if self._pending:
            await self._idle.wait()

    def _frame(self) -> bytes:
        size = CHUNK_MS * _BYTES_PER_MS
        frame = bytes(self._pending[:size])
        del self._pending[:size]
        if not self._pending:
            self._idle.set()
        frame += bytes(size - len(frame))
        if self._noise is None:
            return frame
        samples = np.frombuffer(frame, dtype="<i2").astype(np.float64)
        samples += self._rng.normal(0.0, self._noise, samples.size)
        return np.clip(samples, -32768, 32767).astype("<i2").tobytes()

    async def _run(self) -> None:
        due = time.perf_counter()
        while True:
            frame = base64.b64encode(self._frame()).decode("ascii")
            self.sent_at.append(time.perf_counter())
            await self._connection.send({"type": "input_audio_buffer.append", "audio": frame})
            due += CHUNK_MS / 1000
            await asyncio.sleep(max(0.0, due - time.perf_counter()))

    async def stop(self) -> None:
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)


@asynccontextmanager
async def open_session(
    http_url: str,
    deployment: str,
    *,
    silence_duration_ms: int | None = None,
    tools: bool = True,
    noise_dbfs: float | None = None,
) -> AsyncIterator[tuple[Connection, Mic]]:
    """A preview session configured like the store's client (tools, transcription), with its Mic running."""
    url = http_url.replace("http://", "ws://", 1)
    query = f"api-version={API_VERSION}&deployment={deployment}"
    async with connect(f"{url}/openai/realtime?{query}", additional_headers={"api-key": "bench"}) as ws:
        connection = Connection(ws)
        await connection.until("conversation.created", within_s=30)
        session: dict[str, Any] = {"input_audio_transcription": {"model": "whisper-1"}}
        if tools:
            session["tools"] = TOOLS
        if silence_duration_ms is not None:
            session["turn_detection"] = {"type": "server_vad", "silence_duration_ms": silence_duration_ms}
        await connection.send({"type": "session.update", "session": session})
        await connection.until("session.updated", within_s=30)
        mic = Mic(connection, noise_dbfs=noise_dbfs)
        try:
            yield connection, mic
        finally:
            await mic.stop()
            await connection.close()


@dataclass
class TurnTiming:
    """One spoken turn as the client saw it (seconds on `time.perf_counter`, None when it never came)."""

    utterance: str
    kind: str  # "plain" or "tool"
    speech_stopped: float = float("nan")
    speech_end_sent: float = float("nan")  # when the frame holding the end of speech was sent
    transcript_at: float | None = None
    first_audio: float | None = None
    args_done: float | None = None
    response_done: float | None = None
    answer_asked: float | None = None  # function output + response.create sent
    answer_first_audio: float | None = None
    transcript: str = ""
    tool: str | None = None
    arguments: str | None = None
    said: str = ""
    status: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def ms(self, end: float | None, start: float | None = None) -> float | None:
        start = self.speech_stopped if start is None else start
        return None if end is None or start is None else (end - start) * 1000


async def spoken_turn(
    connection: Connection, mic: Mic, utterance: str, pcm: bytes, kind: str, *, within_s: float = 60.0
) -> TurnTiming:
    """Say `pcm`, time the response from `speech_stopped`; a tool call is answered (like the store does)
    and the spoken answer timed from the function output being sent."""
    turn = TurnTiming(utterance, kind)
    mic.say(pcm)
    turn.speech_stopped, stopped = await connection.until(
        "input_audio_buffer.speech_stopped", within_s=within_s
    )
    turn.speech_end_sent = mic.wall_time_of(stopped["audio_end_ms"])
    item_id = stopped["item_id"]
    done: dict[str, Any] | None = None
    while done is None or turn.transcript_at is None:
        stamp, event = await connection.next(within_s)
        kind_ = event["type"]
        if kind_ == "conversation.item.input_audio_transcription.completed" and event["item_id"] == item_id:
            turn.transcript_at, turn.transcript = stamp, event["transcript"]
        elif kind_ == "conversation.item.input_audio_transcription.failed" and event["item_id"] == item_id:
            turn.transcript_at, turn.transcript = stamp, f"(failed: {event['error'].get('code')})"
        elif kind_ == "response.audio.delta" and turn.first_audio is None:
            turn.first_audio = stamp
        elif kind_ == "response.function_call_arguments.done":
            turn.args_done, turn.arguments = stamp, event["arguments"]
        elif kind_ == "response.audio_transcript.done":
            turn.said = event["transcript"]
        elif kind_ == "response.done":
            turn.response_done, done = stamp, event["response"]
        elif kind_ == "error":
            raise RuntimeError(f"server error: {event['error']}")
    turn.status = done["status"]
    call = next((o for o in done["output"] if o.get("type") == "function_call"), None)
    if call is not None:
        turn.tool = call["name"]
        output = CART if call["name"] == "view_cart" else PRODUCTS
        item = {"type": "function_call_output", "call_id": call["call_id"], "output": output}
        turn.answer_asked = time.perf_counter()
        await connection.send({"type": "conversation.item.create", "item": item})
        await connection.send({"type": "response.create"})
        turn.answer_first_audio, _ = await connection.until("response.audio.delta", within_s=within_s)
        _, answer = await connection.until("response.audio_transcript.done", within_s=within_s)
        turn.said = answer["transcript"]
        await connection.until("response.done", within_s=within_s)
    await mic.drained()
    return turn

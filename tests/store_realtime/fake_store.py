"""A scripted stand-in for store_realtime: the real store page from `store_realtime/static`, and a `/realtime`
WebSocket that plays a realistic session to it.

Every client event is recorded (and the Realtime ones checked with `shared.realtime.events`). After about a
second of microphone audio it plays one voice turn: VAD events, the user transcript, a catalog tool call,
product cards, then 1.5 s of a 440 Hz tone as the spoken answer with its transcript, usage and latency.
Typed text gets a text answer with the same cards. Cart events are answered with `store.cart`. A test steers
it with `mode` (refuse / capacity / end / drop) and can push any event into the open session.
"""

from __future__ import annotations

import asyncio
import base64
import json
import math
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import numpy as np
from fastapi import FastAPI, WebSocket, WebSocketDisconnect
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles

from shared.realtime.events import ProtocolError, new_id, parse_client_event

__all__ = ["ANSWER", "PRODUCTS", "TONE_MS", "USER_SAYS", "FakeStore", "Mode"]

STATIC = Path(__file__).resolve().parents[2] / "store_realtime" / "static"
RATE = 24000
TONE_MS = 1500
CHUNK_MS = 100
TURN_AFTER_BYTES = 2 * RATE  # one second of pcm16
USER_SAYS = "I'm looking for a warm sleeping bag"
ANSWER = (
    "The Polar Night bag is rated to minus twelve, and the Ember is a lighter choice. Want one in your cart?"
)
SEARCH_ARGUMENTS = '{"query": "warm sleeping bag", "max_price": null}'

Mode = Literal["normal", "refuse", "capacity", "end", "drop"]


def _product(pid: int, sku: str, name: str, price: str, stock: int, reason: str | None) -> dict[str, Any]:
    product: dict[str, Any] = {
        "id": pid,
        "sku": sku,
        "name": name,
        "description": f"{name}: a test product for the store page.",
        "category": "Sleeping Bags",
        "brand": "Northwind Gear",
        "price": price,
        "currency": "USD",
        "stock": stock,
        "in_stock": stock > 0,
        "image_url": f"/images/{sku}.svg",
        "reason": reason,
        "attributes": {},
    }
    return product


PRODUCTS = [  # as store_realtime sends them: integer ids, prices as strings, a null reason when none
    _product(
        101, "BAG-0001", "Polar Night -12 Sleeping Bag", "349.00", 14, "Rated to -12 °C with 800-fill down."
    ),
    _product(
        102,
        "BAG-0003",
        "Ember Synthetic Sleeping Bag",
        "129.99",
        2,
        "Warm when damp, and lighter on the wallet.",
    ),
    _product(103, "BAG-0004", "Glacier Expedition Bag", "599.00", 0, None),
]


def tone(ms: int = TONE_MS, hz: float = 440.0) -> bytes:
    t = np.arange(RATE * ms // 1000) / RATE
    return (0.3 * 32767 * np.sin(2 * math.pi * hz * t)).astype("<i2").tobytes()


def _svg(label: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="120" viewBox="0 0 160 120">'
        '<rect width="160" height="120" fill="#cfe3d6"/><path d="M20 100 L80 30 L140 100 Z" fill="#2f6b4f"/>'
        f'<text x="80" y="114" font-size="11" text-anchor="middle" fill="#1d2520">{label}</text></svg>'
    )


class _Session:
    """One page connection: its socket, the server loop it lives on, and its little bit of state."""

    def __init__(self, ws: WebSocket, loop: asyncio.AbstractEventLoop, generation: int) -> None:
        self.ws = ws
        self.generation = generation
        self.loop = loop
        self.closed = False
        self.audio_bytes = 0
        self.turned = False
        self.last_item: str | None = None

    async def send(self, event: dict[str, Any]) -> None:
        if self.closed:
            return
        try:
            await self.ws.send_text(json.dumps({"event_id": new_id("event"), **event}))
        except (WebSocketDisconnect, RuntimeError, OSError):
            self.closed = True


class FakeStore:
    """The fake app and what it saw. `app` goes to `tests.servers.serving`; the rest is read from the test."""

    def __init__(self) -> None:
        self.mode: Mode = "normal"
        self.cart: dict[int, int] = {}  # product id -> quantity
        self.events: list[dict[str, Any]] = []
        self.invalid: list[str] = []
        self.append_times: list[float] = []
        self.connections = 0
        self.generation = 0  # reset() starts a new one: late events of older pages are not recorded
        self.chunk_pause_s = 0.03
        self.audio_ms_sent: dict[str, int] = {}  # assistant item -> ms of audio sent so far
        self.sent_ms_at_truncate: dict[str, int] = {}  # assistant item -> ms sent when its truncate came
        self._changed = threading.Condition()
        self._session: _Session | None = None
        self.app = self._create_app()

    # --- what the test reads and does ---------------------------------------------------------

    def reset(self, mode: Mode = "normal", *, chunk_pause_s: float = 0.03) -> None:
        """`chunk_pause_s` paces the 100 ms audio deltas: below 0.1 faster than they play, as relays do."""
        with self._changed:
            self.mode = mode
            self.chunk_pause_s = chunk_pause_s
            self.audio_ms_sent = {}
            self.sent_ms_at_truncate = {}
            self.cart = {}
            self.events = []
            self.invalid = []
            self.append_times = []
            self.connections = 0
            self.generation += 1

    def received(self, kind: str) -> list[dict[str, Any]]:
        with self._changed:
            return [event for event in self.events if event.get("type") == kind]

    def wait_for(self, kind: str, *, count: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        def ready() -> bool:
            return sum(1 for event in self.events if event.get("type") == kind) >= count

        with self._changed:
            if not self._changed.wait_for(ready, timeout):
                seen = sorted({str(event.get("type")) for event in self.events})
                raise AssertionError(f"no {count}× {kind} within {timeout}s; received types: {seen}")
        return self.received(kind)

    def wait_until(self, check: Callable[[], bool], *, timeout: float = 10.0) -> None:
        with self._changed:
            if not self._changed.wait_for(check, timeout):
                raise AssertionError("the fake store never saw what the test waited for")

    def push(self, event: dict[str, Any], *, timeout: float = 5.0) -> None:
        """Send a server event into the open session from the test's thread."""
        session = self._session
        if session is None:
            raise AssertionError("no page is connected")
        asyncio.run_coroutine_threadsafe(session.send(event), session.loop).result(timeout)

    # --- the app ------------------------------------------------------------------------------------

    def _create_app(self) -> FastAPI:
        app = FastAPI()
        app.mount("/static", StaticFiles(directory=STATIC), name="static")

        @app.get("/")
        async def index() -> FileResponse:
            return FileResponse(STATIC / "index.html")

        @app.get("/images/{sku}.svg")
        async def image(sku: str) -> Response:
            return Response(_svg(sku), media_type="image/svg+xml")

        @app.websocket("/realtime")
        async def realtime(ws: WebSocket) -> None:
            await self._serve(ws)

        return app

    async def _serve(self, ws: WebSocket) -> None:
        with self._changed:
            self.connections += 1
            self._changed.notify_all()
        if self.mode == "refuse":
            await ws.close(code=1008)  # before accept: the handshake fails, as with nothing listening
            return
        await ws.accept()
        session = _Session(ws, asyncio.get_running_loop(), self.generation)
        self._session = session
        if self.mode == "capacity":
            await session.send(_error("session_limit_reached", "Too many sessions; try again later."))
            await ws.close(code=1013)
            return
        await session.send({"type": "session.created", "session": _session_config()})
        await session.send({"type": "conversation.created", "conversation": {"id": new_id("conv")}})
        if self.mode in ("end", "drop"):
            await asyncio.sleep(0.3)
            if self.mode == "end":
                await session.send({"type": "store.session", "state": "ended", "reason": "idle timeout"})
                await ws.close(code=1000)
            else:
                await ws.close(code=1011)
            return
        try:
            async with asyncio.TaskGroup() as tasks:
                async for text in ws.iter_text():
                    event = json.loads(text)
                    self._record(session, event)
                    await self._answer(session, event, tasks)
        finally:
            session.closed = True

    def _record(self, session: _Session, event: dict[str, Any]) -> None:
        if session.generation != self.generation:
            return
        kind = str(event.get("type"))
        if not kind.startswith("store."):
            try:
                parse_client_event(event)
            except ProtocolError as exc:
                self.invalid.append(f"{kind}: {exc.message}")
        with self._changed:
            self.events.append(event)
            if kind == "input_audio_buffer.append":
                self.append_times.append(time.monotonic())
            elif kind == "conversation.item.truncate":
                item_id = str(event.get("item_id"))
                self.sent_ms_at_truncate[item_id] = self.audio_ms_sent.get(item_id, 0)
            self._changed.notify_all()

    async def _answer(self, session: _Session, event: dict[str, Any], tasks: asyncio.TaskGroup) -> None:
        kind = event.get("type")
        if kind == "input_audio_buffer.append":
            session.audio_bytes += len(base64.b64decode(event["audio"]))
            if session.audio_bytes >= TURN_AFTER_BYTES and not session.turned:
                session.turned = True
                tasks.create_task(self._voice_turn(session))
        elif kind == "conversation.item.create":
            item = {**event["item"], "id": new_id("item"), "object": "realtime.item", "status": "completed"}
            await session.send(
                {"type": "conversation.item.created", "previous_item_id": session.last_item, "item": item}
            )
            session.last_item = item["id"]
        elif kind == "response.create":
            tasks.create_task(self._text_turn(session))
        elif kind == "conversation.item.truncate":
            await session.send(
                {
                    "type": "conversation.item.truncated",
                    "item_id": event["item_id"],
                    "content_index": event.get("content_index", 0),
                    "audio_end_ms": event["audio_end_ms"],
                }
            )
        elif kind in ("store.cart.add", "store.cart.remove", "store.cart.get"):
            product_id = int(event.get("product_id", 0))
            if kind == "store.cart.add":
                self.cart[product_id] = self.cart.get(product_id, 0) + int(event.get("quantity", 1))
            elif kind == "store.cart.remove":
                self.cart.pop(product_id, None)
            await session.send({"type": "store.cart", "cart": self._cart()})

    def _cart(self) -> dict[str, Any]:
        by_id = {product["id"]: product for product in PRODUCTS}
        items = []
        for product_id, quantity in self.cart.items():
            product = by_id[product_id]
            line_total = Decimal(product["price"]) * quantity
            items.append(
                {
                    "product_id": product_id,
                    "sku": product["sku"],
                    "name": product["name"],
                    "price": product["price"],
                    "currency": "USD",
                    "quantity": quantity,
                    "line_total": f"{line_total:.2f}",
                    "image_url": product["image_url"],
                }
            )
        total = sum((Decimal(item["line_total"]) for item in items), Decimal(0))
        count = sum(item["quantity"] for item in items)
        return {"items": items, "item_count": count, "total": f"{total:.2f}", "currency": "USD"}

    # --- the scripted turns -------------------------------------------------------------------------

    async def _tool_call(self, session: _Session) -> None:
        """As store_realtime shows a tool call: the model's function-call response with its call hidden
        (an empty output), the call's start and end as store.tool_call, then the cards."""
        call_id, response_id = new_id("call"), new_id("resp")
        response = {"id": response_id, "object": "realtime.response", "status": "in_progress", "output": []}
        await session.send({"type": "response.created", "response": {**response, "usage": None}})
        call = {"type": "store.tool_call", "call_id": call_id, "name": "search_products"}
        await session.send({**call, "arguments": SEARCH_ARGUMENTS, "status": "started"})
        usage = {"total_tokens": 912, "input_tokens": 890, "output_tokens": 22}
        await session.send(
            {"type": "response.done", "response": {**response, "status": "completed", "usage": usage}}
        )
        await asyncio.sleep(0.12)
        await session.send({**call, "arguments": SEARCH_ARGUMENTS, "status": "completed", "duration_ms": 118})
        await session.send(
            {
                "type": "store.products",
                "call_id": call_id,
                "tool": "search_products",
                "query": "warm sleeping bag",
                "products": PRODUCTS,
            }
        )

    async def _voice_turn(self, session: _Session) -> None:
        user_item = new_id("item")
        await session.send(
            {"type": "input_audio_buffer.speech_started", "audio_start_ms": 120, "item_id": user_item}
        )
        await asyncio.sleep(0.05)
        await session.send(
            {"type": "input_audio_buffer.speech_stopped", "audio_end_ms": 980, "item_id": user_item}
        )
        stopped = time.monotonic()
        previous, session.last_item = session.last_item, user_item
        await session.send(
            {"type": "input_audio_buffer.committed", "item_id": user_item, "previous_item_id": previous}
        )
        user: dict[str, Any] = {
            "id": user_item,
            "object": "realtime.item",
            "type": "message",
            "status": "completed",
            "role": "user",
            "content": [{"type": "input_audio", "transcript": None}],
        }
        await session.send({"type": "conversation.item.created", "previous_item_id": previous, "item": user})
        await asyncio.sleep(0.1)
        await session.send(
            {
                "type": "conversation.item.input_audio_transcription.completed",
                "item_id": user_item,
                "content_index": 0,
                "transcript": USER_SAYS,
            }
        )
        await self._tool_call(session)
        response_id, first_delta = await self._respond(session, audio=True)
        server_ms = round((first_delta - stopped) * 1000)
        await session.send(
            {"type": "store.turn", "item_id": user_item, "response_id": response_id, "server_ms": server_ms}
        )

    async def _text_turn(self, session: _Session) -> None:
        await self._tool_call(session)
        await self._respond(session, audio=False)

    async def _respond(self, session: _Session, *, audio: bool) -> tuple[str, float]:
        response_id, item_id = new_id("resp"), new_id("item")
        base = {"response_id": response_id, "item_id": item_id, "output_index": 0, "content_index": 0}
        response: dict[str, Any] = {"id": response_id, "object": "realtime.response", "status": "in_progress"}
        await session.send(
            {"type": "response.created", "response": {**response, "output": [], "usage": None}}
        )
        item: dict[str, Any] = {
            "id": item_id,
            "object": "realtime.item",
            "type": "message",
            "role": "assistant",
        }
        in_progress = {**item, "status": "in_progress", "content": []}
        added = {"type": "response.output_item.added", "response_id": response_id, "output_index": 0}
        await session.send({**added, "item": in_progress})
        created = {"type": "conversation.item.created", "previous_item_id": session.last_item}
        await session.send({**created, "item": in_progress})
        session.last_item = item_id
        kind = "audio" if audio else "text"
        await session.send({"type": "response.content_part.added", **base, "part": {"type": kind}})
        words = [word + " " for word in ANSWER.split(" ")]
        words[-1] = words[-1].rstrip()
        first_delta = time.monotonic()
        if audio:
            pcm = tone()
            step = 2 * RATE * CHUNK_MS // 1000
            chunks = [pcm[i : i + step] for i in range(0, len(pcm), step)]
            per_chunk = math.ceil(len(words) / len(chunks))
            for index, chunk in enumerate(chunks):
                said = "".join(words[index * per_chunk : (index + 1) * per_chunk])
                if said:
                    await session.send({"type": "response.audio_transcript.delta", **base, "delta": said})
                await session.send(
                    {"type": "response.audio.delta", **base, "delta": base64.b64encode(chunk).decode()}
                )
                self.audio_ms_sent[item_id] = (index + 1) * CHUNK_MS
                if index == 0:
                    first_delta = time.monotonic()
                await asyncio.sleep(self.chunk_pause_s)
            await session.send({"type": "response.audio.done", **base})
            await session.send({"type": "response.audio_transcript.done", **base, "transcript": ANSWER})
            part = {"type": "audio", "transcript": ANSWER}
        else:
            for word in words:
                await session.send({"type": "response.text.delta", **base, "delta": word})
                await asyncio.sleep(0.01)
            await session.send({"type": "response.text.done", **base, "text": ANSWER})
            part = {"type": "text", "text": ANSWER}
        await session.send({"type": "response.content_part.done", **base, "part": part})
        done_item = {**item, "status": "completed", "content": [part]}
        await session.send(
            {
                "type": "response.output_item.done",
                "response_id": response_id,
                "output_index": 0,
                "item": done_item,
            }
        )
        usage = {
            "total_tokens": 1342,
            "input_tokens": 1100,
            "output_tokens": 242,
            "input_token_details": {"cached_tokens": 0, "text_tokens": 1020, "audio_tokens": 80},
            "output_token_details": {"text_tokens": 42, "audio_tokens": 200 if audio else 0},
        }
        finished = {
            **response,
            "status": "completed",
            "status_details": None,
            "output": [done_item],
            "usage": usage,
        }
        await session.send({"type": "response.done", "response": finished})
        await session.send(
            {
                "type": "store.usage",
                "response_id": response_id,
                "usage": usage,
                "cost": {"amount": "0.0061", "currency": "USD"},
                "session": {"total_tokens": 1342, "cost": {"amount": "0.0061", "currency": "USD"}},
            }
        )
        return response_id, first_delta


def _error(code: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": "invalid_request_error", "code": code, "message": message}}


def _session_config() -> dict[str, Any]:
    return {
        "id": new_id("sess"),
        "object": "realtime.session",
        "model": "gpt-4o-mini-realtime-preview",
        "modalities": ["text", "audio"],
        "voice": "alloy",
        "input_audio_format": "pcm16",
        "output_audio_format": "pcm16",
        "turn_detection": {"type": "server_vad", "threshold": 0.5, "silence_duration_ms": 500},
    }

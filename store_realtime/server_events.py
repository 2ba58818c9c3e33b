"""Events from the realtime model: forwarded to the page, hidden (tool traffic), or acted on.

Audio deltas take a fast path: they are forwarded as the raw text that arrived, after reading only the
fields the relay needs (the item and the byte count, for barge-in; the first one of a turn, for latency).
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from opentelemetry import context as otel_context

from store_realtime.policy import redact_session
from store_realtime.tools import TIMED_OUT
from store_realtime.wire import AUDIO_DELTA, GA_AUDIO_DELTA, delta_bytes, event_type, string_field

if TYPE_CHECKING:
    from store_realtime.relay import RelaySession

__all__ = ["ServerEvents"]

_log = logging.getLogger(__name__)

_TOOL_ITEMS = ("function_call", "function_call_output")
_HIDDEN = {"response.function_call_arguments.delta"}
Handler = Callable[[dict[str, Any]], Awaitable[bool]]


class ServerEvents:
    def __init__(self, session: RelaySession) -> None:
        self._s = session
        self.audio_sent_ms: dict[str, float] = defaultdict(float)
        self.response_of_item: dict[str, str] = {}
        self.active_response: str | None = None
        self.upstream_items: set[str] = set()
        self._announced = False
        self._first_audio_due: str | None = None
        self._calls: dict[str, tuple[str, str]] = {}  # call_id -> (name, response_id), until its result
        self._calling: set[str] = set()  # responses that called tools
        self._pending: dict[str, set[str]] = {}  # response_id -> call_ids still running
        self._finished: set[str] = set()  # responses done while their tools still run
        self._handlers: dict[str, Handler] = {
            "session.created": self._session_created,
            "session.updated": self._session_updated,
            "response.created": self._response_created,
            "response.output_item.added": self._output_item,
            "response.output_item.done": self._output_item,
            "conversation.item.created": self._item_created,
            "response.function_call_arguments.done": self._arguments_done,
            "response.done": self._response_done,
            "input_audio_buffer.speech_stopped": self._speech_stopped,
            "conversation.item.input_audio_transcription.completed": self._user_transcript,
            "response.audio_transcript.done": self._assistant_transcript,
            "response.text.done": self._assistant_transcript,
            "error": self._error,
        }

    def new_connection(self, *, first: bool) -> None:
        """A (re)connected upstream knows none of the old items, calls or responses."""
        self.upstream_items.clear()
        self.active_response = None
        self._first_audio_due = None
        self._calls.clear()
        self._calling.clear()
        self._pending.clear()
        self._finished.clear()
        if first:
            self._announced = False

    async def handle(self, raw: str) -> None:
        kind = event_type(raw)
        if kind in (AUDIO_DELTA, GA_AUDIO_DELTA):
            await self._audio_delta(raw, ga=kind == GA_AUDIO_DELTA)
            return
        event = json.loads(raw)
        session = self._s
        events = session.from_ga.translate(event) if session.from_ga is not None else [event]
        for one in events:
            handler = self._handlers.get(one.get("type", ""))
            if one.get("type") in _HIDDEN:
                continue
            if handler is None or await handler(one):
                await session.to_client(one)

    async def _audio_delta(self, raw: str, *, ga: bool) -> None:
        session = self._s
        item_id = string_field(raw, "item_id") or ""
        self.audio_sent_ms[item_id] += delta_bytes(raw) / 48
        if self._first_audio_due is not None:
            response_id, self._first_audio_due = self._first_audio_due, None
            ms = session.tracker.first_audio()
            if ms is not None:
                await session.to_client(
                    {
                        "type": "store.turn",
                        "response_id": response_id,
                        "item_id": item_id,
                        "server_ms": round(ms, 1),
                    }
                )
        if session.dump is not None:
            session.dump.said(string_field(raw, "delta") or "")
        await session.to_client_raw(raw.replace(GA_AUDIO_DELTA, AUDIO_DELTA, 1) if ga else raw)

    async def _session_created(self, event: dict[str, Any]) -> bool:
        if self._announced:
            return False
        self._announced = True
        event["session"] = redact_session(event.get("session", {}))
        return True

    async def _session_updated(self, event: dict[str, Any]) -> bool:
        event["session"] = redact_session(event.get("session", {}))
        return True

    async def _response_created(self, event: dict[str, Any]) -> bool:
        response_id = event["response"]["id"]
        self.active_response = response_id
        self._first_audio_due = response_id
        self._s.tracker.response_created()
        return True

    async def _output_item(self, event: dict[str, Any]) -> bool:
        item = event.get("item", {})
        if item.get("type") in _TOOL_ITEMS:
            if event["type"] == "response.output_item.added":
                self._calls[item.get("call_id", "")] = (item.get("name", ""), event.get("response_id", ""))
                self._calling.add(event.get("response_id", ""))
            return False
        self.response_of_item[item.get("id", "")] = event.get("response_id", "")
        return True

    async def _item_created(self, event: dict[str, Any]) -> bool:
        item = event.get("item", {})
        self.upstream_items.add(item.get("id", ""))
        if item.get("type") in _TOOL_ITEMS:
            return False
        if item.get("role") in ("user", "assistant"):
            self._s.log.placeholder(item["id"], item["role"])
        return True

    async def _arguments_done(self, event: dict[str, Any]) -> bool:
        call_id = event.get("call_id", "")
        name, response_id = self._calls.get(call_id, ("", event.get("response_id", "")))
        self._pending.setdefault(response_id, set()).add(call_id)
        arguments = event.get("arguments", "")
        session = self._s
        await session.to_client(
            {
                "type": "store.tool_call",
                "call_id": call_id,
                "name": name,
                "arguments": arguments,
                "status": "started",
            }
        )
        session.tasks.spawn(
            self._run_tool(response_id, call_id, name, arguments, session.tracker.context()),
            name=f"tool {name}",
        )
        return False

    async def _run_tool(
        self, response_id: str, call_id: str, name: str, arguments: str, turn: otel_context.Context
    ) -> None:
        session = self._s
        token = otel_context.attach(turn)  # the tool's span (and its HTTP calls) belong to the turn's trace
        try:
            result = await session.tools.run(name, call_id, arguments)
        finally:
            otel_context.detach(token)
        session.meters.tool_duration.record(result.duration_ms, {"tool": name, "ok": result.ok})
        status = "completed" if result.ok else ("timed_out" if result.error == TIMED_OUT else "failed")
        await session.to_client(
            {
                "type": "store.tool_call",
                "call_id": call_id,
                "name": name,
                "arguments": arguments,
                "status": status,
                "duration_ms": round(result.duration_ms, 1),
                "error": result.error,
            }
        )
        if result.products is not None:
            query = result.arguments.get("query") or result.arguments.get("need")
            await session.to_client(
                {
                    "type": "store.products",
                    "call_id": call_id,
                    "tool": name,
                    "query": query,
                    "products": result.products,
                }
            )
        if result.cart is not None:
            await session.to_client({"type": "store.cart", "cart": result.cart})
        session.log.tool_result(call_id, name, arguments, result.output)
        if self._calls.pop(call_id, None) is not None:
            item: dict[str, Any] = {
                "type": "function_call_output",
                "call_id": call_id,
                "output": result.output,
            }
        else:
            text = f"Result of {name}({arguments}): {result.output}"
            item = _system_note(text)
        await session.to_upstream({"type": "conversation.item.create", "item": item})
        pending = self._pending.get(response_id, set())
        pending.discard(call_id)
        if not pending:
            self._pending.pop(response_id, None)
            if response_id in self._finished:
                self._finished.discard(response_id)
                await self._follow_up()

    async def _follow_up(self) -> None:
        if self.active_response is None:
            await self._s.to_upstream({"type": "response.create"})

    async def _response_done(self, event: dict[str, Any]) -> bool:
        response = event.get("response", {})
        response_id = response.get("id", "")
        if self.active_response == response_id:
            self.active_response = None
        self._first_audio_due = None
        response["output"] = [o for o in response.get("output") or [] if o.get("type") not in _TOOL_ITEMS]
        waiting = response_id in self._pending
        calls = response_id in self._calling
        self._calling.discard(response_id)
        if waiting:
            self._finished.add(response_id)
        report = self._s.tracker.response_done(response.get("usage"), more_to_come=calls)
        await self._s.to_client(event)
        if report is not None:
            await self._s.to_client({"type": "store.usage", "response_id": response_id, **report})
        if calls and not waiting and response.get("status") == "completed":
            await self._follow_up()
        return False

    async def _speech_stopped(self, event: dict[str, Any]) -> bool:
        self._s.tracker.speech_stopped()
        return True

    async def _user_transcript(self, event: dict[str, Any]) -> bool:
        self._s.log.said(event.get("item_id", ""), "user", event.get("transcript") or "")
        return True

    async def _assistant_transcript(self, event: dict[str, Any]) -> bool:
        text = event.get("transcript") if "transcript" in event else event.get("text")
        self._s.log.said(event.get("item_id", ""), "assistant", text or "")
        return True

    async def _error(self, event: dict[str, Any]) -> bool:
        error = event.get("error") or {}
        if error.get("code") == "session_expired":
            _log.info("upstream session expired; reconnecting", extra={"session": self._s.id})
            return False
        return True


def _system_note(text: str) -> dict[str, Any]:
    return {"type": "message", "role": "system", "content": [{"type": "input_text", "text": text}]}

"""One response: decide what to do with the conversation so far, then stream a function call or speech."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from collections.abc import Callable
from typing import Any, cast

import numpy as np

from orchestrator.emulators.azure_openai.realtime import audio, composer, usage
from orchestrator.emulators.azure_openai.realtime.config import ResponseOptions
from orchestrator.emulators.azure_openai.realtime.conversation import Conversation, Entry, Segment
from orchestrator.emulators.azure_openai.realtime.models import VoiceModels
from orchestrator.emulators.azure_openai.realtime.router import RouterContext, ToolSpec
from orchestrator.emulators.azure_openai.realtime.tts import OUTPUT_RATE, speakable, split_sentences
from shared.realtime.events import new_id

__all__ = ["DELTA_MS", "ResponseRun"]

_log = logging.getLogger(__name__)

DELTA_MS = 100
NOT_HEARD = "Sorry, I didn't catch that. Could you say it again?"

Emit = Callable[[dict[str, Any]], None]


class ResponseRun:
    def __init__(
        self,
        options: ResponseOptions,
        *,
        conversation: Conversation,
        models: VoiceModels,
        emit: Emit,
        speed: float = 1.0,
        latency_ms: int = 0,
    ) -> None:
        self.id = new_id("resp")
        self.options = options
        self.cancel_reason: str | None = None
        self.spoke_audio = False
        self._conversation = conversation
        self._models = models
        self._emit = emit
        self._speed = speed
        self._latency_ms = latency_ms
        self._output: list[dict[str, Any]] = []
        self._open: dict[str, Any] | None = None
        self._meter = usage.Meter()
        self._incomplete = False

    def cancel(self, reason: str, task: asyncio.Task[Any]) -> None:
        if self.cancel_reason is None:
            self.cancel_reason = reason
            task.cancel()

    async def run(self) -> None:
        self._send("response.created", response=self._response("in_progress"))
        status, details = "completed", cast(dict[str, Any] | None, None)
        try:
            if self._latency_ms:
                await asyncio.sleep(self._latency_ms / 1000)
            plan = await self._plan()
            if isinstance(plan, str):
                await self._say(plan)
            else:
                self._call(*plan)
            if self._incomplete:
                status, details = "incomplete", {"type": "incomplete", "reason": "max_output_tokens"}
        except asyncio.CancelledError:
            status = "cancelled"
            details = {"type": "cancelled", "reason": self.cancel_reason or "client_cancelled"}
            self._close_open_item()
        except Exception as exc:  # noqa: BLE001 - any failure ends this response as "failed", never the session
            _log.exception("response %s failed", self.id)
            status = "failed"
            details = {
                "type": "failed",
                "error": {"type": "server_error", "code": "server_error", "message": str(exc)},
            }
            self._close_open_item()
        self._send("response.done", response=self._response(status, details, self._meter.usage()))

    async def _plan(self) -> str | tuple[str, dict[str, Any]]:
        entries = self._input()
        self._meter.count_input(self.options, entries)
        outputs = _trailing_outputs(entries)
        if outputs:
            user_text = _last_user_text(entries)
            answers = [
                composer.compose_answer(o.text(), tool_name=self._tool_name(o), user_text=user_text)
                for o in outputs
            ]
            return " ".join(a for a in answers if a)
        last_user = next((e for e in reversed(entries) if e.type == "message" and e.role == "user"), None)
        if last_user is None or entries[-1] is not last_user:
            return composer.small_talk("greeting")
        text = await _understood(last_user)
        if not text:
            return NOT_HEARD
        tools = [ToolSpec.from_session(t.model_dump()) for t in self.options.tools]
        choice = self.options.tool_choice
        decision = await asyncio.to_thread(
            self._models.router.route,
            text,
            tools,
            tool_choice=choice if isinstance(choice, str) else choice.model_dump(),
            context=_context(entries),
        )
        if decision.kind == "tool" and decision.tool:
            return decision.tool, decision.arguments
        return decision.text or composer.small_talk("chat")

    def _input(self) -> list[Entry]:
        if self.options.input is not None:
            return [Entry({"id": new_id("item"), **item}) for item in self.options.input]
        return self._conversation.entries()

    def _tool_name(self, output: Entry) -> str | None:
        call = self._conversation.function_call(str(output.item.get("call_id")))
        return None if call is None else str(call.item.get("name"))

    def _call(self, name: str, arguments: dict[str, Any]) -> None:
        item = {
            "type": "function_call",
            "status": "in_progress",
            "call_id": new_id("call"),
            "name": name,
            "arguments": "",
        }
        item = self._add_item(item)
        text = json.dumps(arguments)
        keys = {"response_id": self.id, "item_id": item["id"], "output_index": len(self._output) - 1}
        for start in range(0, len(text), 16):
            self._send(
                "response.function_call_arguments.delta",
                **keys,
                call_id=item["call_id"],
                delta=text[start : start + 16],
            )
        self._send("response.function_call_arguments.done", **keys, call_id=item["call_id"], arguments=text)
        item.update(status="completed", arguments=text)
        self._meter.count_output_text(text)
        self._finish_item(item)

    async def _say(self, text: str) -> None:
        spoken = "audio" in self.options.modalities
        item = self._add_item(
            {"type": "message", "status": "in_progress", "role": "assistant", "content": []}
        )
        keys = {
            "response_id": self.id,
            "item_id": item["id"],
            "output_index": len(self._output) - 1,
            "content_index": 0,
        }
        part: dict[str, Any] = {"type": "audio", "transcript": ""} if spoken else {"type": "text", "text": ""}
        item["content"] = [part]
        self._send("response.content_part.added", **keys, part=dict(part))
        entry = self._entry(item)
        for sentence in split_sentences(text):
            delta = sentence if not part.get("transcript") and not part.get("text") else " " + sentence
            if self._meter.over(self.options.max_response_output_tokens):
                self._incomplete = True
                break
            if spoken:
                pcm = await self._models.speech.synthesize(speakable(sentence), speed=self._speed)
                self._send("response.audio_transcript.delta", **keys, delta=delta)
                part["transcript"] += delta
                self._stream_audio(pcm, keys, entry, sentence)
            else:
                self._send("response.text.delta", **keys, delta=delta)
                part["text"] += delta
            self._meter.count_output_text(delta)
        if spoken:
            self._send("response.audio.done", **keys)
            self._send("response.audio_transcript.done", **keys, transcript=part["transcript"])
        else:
            self._send("response.text.done", **keys, text=part["text"])
        self._send("response.content_part.done", **keys, part=dict(part))
        item["status"] = "completed"
        self._finish_item(item)

    def _stream_audio(
        self, pcm: np.ndarray[Any, Any], keys: dict[str, Any], entry: Entry | None, sentence: str
    ) -> None:
        step = OUTPUT_RATE * DELTA_MS // 1000
        start_ms = entry.audio_ms if entry else 0.0
        for start in range(0, len(pcm), step):
            chunk = audio.encode(self.options.output_audio_format, pcm[start : start + step])
            self._send("response.audio.delta", **keys, delta=base64.b64encode(chunk).decode("ascii"))
            self.spoke_audio = True
            if entry is not None:
                entry.audio_ms += len(pcm[start : start + step]) * 1000 / OUTPUT_RATE
        ms = len(pcm) * 1000 / OUTPUT_RATE
        self._meter.count_output_audio(ms)
        if entry is not None:
            entry.segments.append(Segment(start_ms, start_ms + ms, sentence))

    def _add_item(self, fields: dict[str, Any]) -> dict[str, Any]:
        item: dict[str, Any] = {"id": new_id("item"), "object": "realtime.item", **fields}
        previous = None
        if self.options.conversation == "auto":
            entry, previous = self._conversation.add(item)
            item = entry.item
        self._output.append(item)
        self._open = item
        self._send(
            "response.output_item.added",
            response_id=self.id,
            output_index=len(self._output) - 1,
            item=dict(item),
        )
        if self.options.conversation == "auto":
            self._send("conversation.item.created", previous_item_id=previous, item=dict(item))
        return item

    def _entry(self, item: dict[str, Any]) -> Entry | None:
        if self.options.conversation != "auto":
            return None
        return self._conversation.get(item["id"])

    def _finish_item(self, item: dict[str, Any]) -> None:
        self._open = None
        self._send(
            "response.output_item.done",
            response_id=self.id,
            output_index=self._output.index(item),
            item=_copy(item),
        )

    def _close_open_item(self) -> None:
        if self._open is not None:
            self._open["status"] = "incomplete"
            self._finish_item(self._open)

    def _response(
        self, status: str, details: dict[str, Any] | None = None, used: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        options = self.options
        return {
            "id": self.id,
            "object": "realtime.response",
            "status": status,
            "status_details": details,
            "output": [_copy(item) for item in self._output],
            "usage": used,
            "conversation_id": self._conversation.id if options.conversation == "auto" else None,
            "modalities": options.modalities,
            "voice": options.voice,
            "output_audio_format": options.output_audio_format,
            "temperature": options.temperature,
            "max_output_tokens": options.max_response_output_tokens,
            "metadata": options.metadata,
        }

    def _send(self, kind: str, **fields: Any) -> None:
        self._emit({"event_id": new_id("event"), "type": kind, **fields})


def _copy(item: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(item))  # type: ignore[no-any-return]


async def _understood(entry: Entry) -> str:
    if entry.transcript is not None:
        return (await asyncio.shield(entry.transcript)).strip()
    return entry.text()


def _trailing_outputs(entries: list[Entry]) -> list[Entry]:
    outputs: list[Entry] = []
    for entry in reversed(entries):
        if entry.type == "function_call_output":
            outputs.append(entry)
        elif entry.type != "function_call":
            break
    return outputs[::-1]


def _last_user_text(entries: list[Entry]) -> str | None:
    for entry in reversed(entries):
        if entry.type == "message" and entry.role == "user":
            return entry.text() or None
    return None


def _context(entries: list[Entry]) -> RouterContext:
    context = RouterContext()
    for entry in entries:
        if entry.type == "function_call_output":
            context.remember(composer.products_in(entry.text()))
    return context

"""A realtime session with no I/O: client events in, server events out through `emit` (beta names).

The WebSocket endpoint (ws.py) is a thin shell around it; tests can drive it directly.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from orchestrator.emulators.azure_openai.realtime import audio
from orchestrator.emulators.azure_openai.realtime.config import SessionConfig, apply_update, response_options
from orchestrator.emulators.azure_openai.realtime.conversation import Conversation, Entry
from orchestrator.emulators.azure_openai.realtime.input_buffer import RATE, InputBuffer
from orchestrator.emulators.azure_openai.realtime.models import VoiceModels
from orchestrator.emulators.azure_openai.realtime.responder import Emit, ResponseRun
from orchestrator.emulators.azure_openai.realtime.router import ToolSpec
from orchestrator.emulators.azure_openai.realtime.stt import TranscriptionError
from orchestrator.emulators.azure_openai.realtime.vad import ServerVad, VadEvent, VadParams
from shared.realtime import events as ev
from shared.realtime.events import ProtocolError, new_id
from shared.tasks import TaskOwner

__all__ = ["MAX_APPEND_BYTES", "MIN_COMMIT_MS", "RealtimeSession"]

_log = logging.getLogger(__name__)

MAX_APPEND_BYTES = 15 * 1024 * 1024
MIN_COMMIT_MS = 100
_TURN_TAIL_MS = 150
# Transcription starts this far into a pause, before the turn is over, so the transcript is ready
# (or nearly) when speech_stopped fires; a pause that turns out not to end the turn wastes one run.
_SPECULATE_AFTER_MS = 100
Handler = Callable[[Any], Awaitable[None]]


class RealtimeSession:
    def __init__(self, *, deployment: str, models: VoiceModels, emit: Emit, latency_ms: int = 0) -> None:
        self.config = SessionConfig(model=deployment)
        self.conversation = Conversation()
        self._models = models
        self._emit = emit
        self._latency_ms = latency_ms
        self._buffer = InputBuffer()
        self._resampler = audio.StreamResampler(audio.format_rate(self.config.input_audio_format), RATE)
        self._vad: ServerVad | None = None
        self._turn: tuple[str, int] | None = None  # the speaking turn's item id and audio_start_ms
        self._speculation: tuple[int, asyncio.Task[str | TranscriptionError]] | None = None
        self._tasks = TaskOwner()
        self._active: tuple[ResponseRun, asyncio.Task[Any]] | None = None
        self._voice_locked = False
        self._configure_vad()
        self._handlers: dict[str, Handler] = {
            "session.update": self._session_update,
            "input_audio_buffer.append": self._append,
            "input_audio_buffer.commit": self._commit,
            "input_audio_buffer.clear": self._clear,
            "conversation.item.create": self._item_create,
            "conversation.item.truncate": self._item_truncate,
            "conversation.item.delete": self._item_delete,
            "conversation.item.retrieve": self._item_retrieve,
            "response.create": self._response_create,
            "response.cancel": self._response_cancel,
        }

    def start(self) -> None:
        self._send("session.created", session=self.config.public())
        self._emit(self.conversation.created_event())

    async def handle(self, data: str | bytes | dict[str, Any]) -> None:
        event_id = None
        try:
            event = ev.parse_client_event(data)
            event_id = event.event_id
            await self._handlers[event.type](event)
        except ProtocolError as exc:
            exc.event_id = exc.event_id or event_id
            self._emit(exc.event())

    async def close(self) -> None:
        await self._tasks.cancel_all()

    @property
    def response_active(self) -> bool:
        return self._active is not None

    async def _session_update(self, event: ev.SessionUpdate) -> None:
        config = apply_update(self.config, event.session, voice_locked=self._voice_locked)
        if config.input_audio_format != self.config.input_audio_format:
            self._resampler = audio.StreamResampler(audio.format_rate(config.input_audio_format), RATE)
        tools_changed = config.tools != self.config.tools
        self.config = config
        self._configure_vad()
        if tools_changed and config.tools:
            specs = [ToolSpec.from_session(t.model_dump()) for t in config.tools]
            await asyncio.to_thread(self._models.router.prepare, specs)
        self._send("session.updated", session=config.public())

    def _configure_vad(self) -> None:
        detection = self.config.turn_detection
        if detection is None:
            self._vad, self._turn = None, None
            return
        params = VadParams(detection.threshold, detection.prefix_padding_ms, detection.silence_duration_ms)
        if self._vad is None:
            self._vad = ServerVad(params)
        else:
            self._vad.params = params

    async def _append(self, event: ev.InputAudioBufferAppend) -> None:
        try:
            raw = base64.b64decode(event.audio, validate=True)
        except (binascii.Error, ValueError):
            raise ProtocolError("The audio is not valid base64.", param="audio") from None
        if len(raw) > MAX_APPEND_BYTES:
            raise ProtocolError("Audio chunks must be at most 15 MiB.", param="audio")
        try:
            samples = audio.decode(self.config.input_audio_format, raw)
        except audio.AudioFormatError as exc:
            raise ProtocolError(str(exc), param="audio") from None
        pcm = self._resampler.process(audio.to_float(samples))
        self._buffer.append(pcm)
        if self._vad is None:
            return
        for vad_event in self._vad.feed(pcm):
            self._on_vad(vad_event)
        self._speculate()
        if not self._vad.in_speech:
            self._buffer.keep_last(self._vad.params.prefix_padding_ms + 1000)

    def _speculate(self) -> None:
        pause = self._vad.pause if self._vad is not None else None
        if pause is None or self._turn is None:
            return
        end_ms, silent_ms = pause
        if silent_ms < _SPECULATE_AFTER_MS or (self._speculation and self._speculation[0] == end_ms):
            return
        pcm = self._buffer.peek(self._turn[1], end_ms + _TURN_TAIL_MS)
        self._speculation = (
            end_ms,
            self._tasks.spawn(self._recognize(pcm), name="speculative transcription"),
        )

    def _on_vad(self, vad_event: VadEvent) -> None:
        detection = self.config.turn_detection
        if vad_event.kind == "speech_started":
            item_id = new_id("item")
            self._turn, self._speculation = (item_id, vad_event.audio_ms), None
            self._send(
                "input_audio_buffer.speech_started", audio_start_ms=vad_event.audio_ms, item_id=item_id
            )
            if self._active is not None and detection is not None and detection.interrupt_response:
                run, task = self._active
                run.cancel("turn_detected", task)
            return
        if self._turn is None:
            return
        item_id, start_ms = self._turn
        self._turn = None
        self._send("input_audio_buffer.speech_stopped", audio_end_ms=vad_event.audio_ms, item_id=item_id)
        pcm = self._buffer.take(start_ms, vad_event.audio_ms + _TURN_TAIL_MS)
        speculation, self._speculation = self._speculation, None
        ready = speculation[1] if speculation and speculation[0] == vad_event.audio_ms else None
        self._commit_audio(pcm, item_id, ready)
        if detection is not None and detection.create_response and self._active is None:
            self._start_response(None)

    async def _commit(self, event: ev.InputAudioBufferCommit) -> None:
        duration = self._buffer.duration_ms
        if duration < MIN_COMMIT_MS:
            raise ProtocolError(
                "Error committing input audio buffer: buffer too small. Expected at least 100ms of audio,"
                f" but buffer only has {duration:.2f}ms of audio.",
                code="input_audio_buffer_commit_empty",
            )
        item_id = self._turn[0] if self._turn else new_id("item")
        self._turn, self._speculation = None, None
        if self._vad is not None:
            self._vad.reset()
        self._commit_audio(self._buffer.take(), item_id)

    async def _clear(self, event: ev.InputAudioBufferClear) -> None:
        self._buffer.clear()
        self._turn, self._speculation = None, None
        if self._vad is not None:
            self._vad.reset()
        self._send("input_audio_buffer.cleared")

    def _commit_audio(
        self,
        pcm: npt.NDArray[np.float32],
        item_id: str,
        ready: asyncio.Task[str | TranscriptionError] | None = None,
    ) -> None:
        item = {
            "id": item_id,
            "type": "message",
            "role": "user",
            "content": [{"type": "input_audio", "transcript": None}],
        }
        entry, previous = self.conversation.add(item)
        entry.audio_ms = pcm.size * 1000 / RATE
        self._send("input_audio_buffer.committed", previous_item_id=previous, item_id=item_id)
        self._send("conversation.item.created", previous_item_id=previous, item=entry.item)
        self._transcribe(entry, pcm, ready)

    def _transcribe(
        self,
        entry: Entry,
        pcm: npt.NDArray[np.float32],
        ready: asyncio.Task[str | TranscriptionError] | None = None,
    ) -> None:
        entry.transcript = asyncio.get_running_loop().create_future()
        self._tasks.spawn(self._transcription(entry, pcm, ready), name=f"transcribe {entry.id}")

    async def _recognize(self, pcm: npt.NDArray[np.float32]) -> str | TranscriptionError:
        wanted = self.config.input_audio_transcription
        try:
            return await self._models.transcriber.atranscribe(
                pcm,
                language=(wanted.language if wanted else None) or "en",
                prompt=wanted.prompt if wanted else None,
            )
        except TranscriptionError as exc:
            return exc

    async def _transcription(
        self,
        entry: Entry,
        pcm: npt.NDArray[np.float32],
        ready: asyncio.Task[str | TranscriptionError] | None,
    ) -> None:
        assert entry.transcript is not None
        keys = {"item_id": entry.id, "content_index": 0}
        try:
            result = await (ready if ready is not None else self._recognize(pcm))
        except BaseException:
            entry.transcript.set_result("")
            raise
        wanted = self.config.input_audio_transcription
        if isinstance(result, TranscriptionError):
            entry.transcript.set_result("")
            if wanted is not None:
                error = {
                    "type": "transcription_error",
                    "code": result.code,
                    "message": str(result),
                    "param": None,
                }
                self._send("conversation.item.input_audio_transcription.failed", **keys, error=error)
            return
        entry.item["content"][0]["transcript"] = result
        entry.transcript.set_result(result)
        if wanted is not None:
            self._send(
                "conversation.item.input_audio_transcription.completed",
                **keys,
                transcript=result,
                usage={"type": "duration", "seconds": round(pcm.size / RATE, 3)},
            )

    async def _item_create(self, event: ev.ConversationItemCreate) -> None:
        item = event.item.model_dump(exclude_none=True)
        pending_audio: list[npt.NDArray[np.float32]] = []
        if isinstance(event.item, ev.FunctionCallOutputItem) and not self.conversation.function_call(
            event.item.call_id
        ):
            raise ProtocolError(
                f"Tool call ID '{event.item.call_id}' not found in conversation.", param="item.call_id"
            )
        if isinstance(event.item, ev.MessageItem):
            pending_audio = self._check_content(item)
        entry, previous = self.conversation.add(item, previous_item_id=event.previous_item_id)
        if pending_audio:
            entry.audio_ms = pending_audio[0].size * 1000 / RATE
            self._transcribe(entry, pending_audio[0])
        self._send("conversation.item.created", previous_item_id=previous, item=entry.item)

    def _check_content(self, item: dict[str, Any]) -> list[npt.NDArray[np.float32]]:
        allowed = {"user": {"input_text", "input_audio", "item_reference"}, "system": {"input_text"}}
        kinds = allowed.get(item["role"], {"text", "audio"})
        audio_parts: list[npt.NDArray[np.float32]] = []
        for index, part in enumerate(item.get("content", [])):
            if part["type"] not in kinds:
                raise ProtocolError(
                    f"Content type '{part['type']}' is not allowed for role '{item['role']}'.",
                    param=f"item.content.{index}.type",
                )
            if part["type"] == "input_audio" and part.get("audio"):
                try:
                    samples = audio.decode(
                        self.config.input_audio_format, base64.b64decode(part.pop("audio"))
                    )
                except (binascii.Error, ValueError) as exc:
                    raise ProtocolError(
                        f"Invalid audio: {exc}", param=f"item.content.{index}.audio"
                    ) from None
                rate = audio.format_rate(self.config.input_audio_format)
                audio_parts.append(audio.resample(audio.to_float(samples), rate, RATE))
                part["transcript"] = None
        return audio_parts

    async def _item_truncate(self, event: ev.ConversationItemTruncate) -> None:
        self.conversation.truncate(event.item_id, event.content_index, event.audio_end_ms)
        self._send(
            "conversation.item.truncated",
            item_id=event.item_id,
            content_index=event.content_index,
            audio_end_ms=event.audio_end_ms,
        )

    async def _item_delete(self, event: ev.ConversationItemDelete) -> None:
        self.conversation.delete(event.item_id)
        self._send("conversation.item.deleted", item_id=event.item_id)

    async def _item_retrieve(self, event: ev.ConversationItemRetrieve) -> None:
        entry = self.conversation.get(event.item_id)
        self._send("conversation.item.retrieved", item=entry.item)

    async def _response_create(self, event: ev.ResponseCreate) -> None:
        if self._active is not None:
            raise ProtocolError(
                "Conversation already has an active response in progress:"
                f" {self._active[0].id}. Wait until the"
                " response is finished before creating a new one.",
                code="conversation_already_has_active_response",
            )
        self._start_response(event.response)

    async def _response_cancel(self, event: ev.ResponseCancel) -> None:
        active = self._active
        if active is None or (event.response_id is not None and event.response_id != active[0].id):
            raise ProtocolError(
                "Cancellation failed: no active response found",
                code="response_cancel_not_active",
            )
        active[0].cancel("client_cancelled", active[1])

    def _start_response(self, overrides: dict[str, Any] | None) -> None:
        options = response_options(self.config, overrides)
        run = ResponseRun(
            options,
            conversation=self.conversation,
            models=self._models,
            emit=self._emit,
            speed=self.config.speed,
            latency_ms=self._latency_ms,
        )
        task = self._tasks.spawn(self._respond(run), name=f"response {run.id}")
        self._active = (run, task)

    async def _respond(self, run: ResponseRun) -> None:
        try:
            await run.run()
        finally:
            if self._active is not None and self._active[0] is run:
                self._active = None
            self._voice_locked = self._voice_locked or run.spoke_audio

    def _send(self, kind: str, **fields: Any) -> None:
        self._emit({"event_id": new_id("event"), "type": kind, **fields})

"""Where a voice turn's time goes inside the emulator: a RealtimeSession in this process, fed the same paced
audio as the WebSocket bench, with its Whisper, router and Piper wrapped in timers.

Times are ms relative to the session emitting `speech_stopped` (negative: before it). No emulator code is
changed: the wrappers stand in for the models `VoiceModels` holds.
"""

from __future__ import annotations

import asyncio
import base64
import json
import statistics
import time
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from bench.realtime_models import silence, spoken
from bench.realtime_ws import CHUNK_MS, TOOLS
from orchestrator.emulators.azure_openai.embedder import get_embedder
from orchestrator.emulators.azure_openai.realtime.models import SpeechCache, VoiceModels, load_voice_models
from orchestrator.emulators.azure_openai.realtime.router import Decision, IntentRouter
from orchestrator.emulators.azure_openai.realtime.session import RealtimeSession
from orchestrator.emulators.azure_openai.realtime.stt import Transcriber
from orchestrator.emulators.azure_openai.realtime.tts import Speaker

__all__ = ["profile_turns"]

Span = tuple[float, float]


class _Clock:
    def __init__(self) -> None:
        self.stt: list[dict[str, Any]] = []
        self.route: list[Span] = []
        self.tts: list[Span] = []
        self.events: list[tuple[float, str]] = []


class _Whisper:
    def __init__(self, inner: Transcriber, clock: _Clock) -> None:
        self._inner, self._clock = inner, clock

    async def atranscribe(self, audio_16k: npt.NDArray[np.float32], **options: Any) -> str:
        call: dict[str, Any] = {"queued": time.perf_counter(), "audio_ms": audio_16k.size / 16}
        self._clock.stt.append(call)

        def run() -> str:
            call["start"] = time.perf_counter()
            try:
                return self._inner.transcribe(audio_16k, **options)
            finally:
                call["end"] = time.perf_counter()

        return await asyncio.get_running_loop().run_in_executor(self._inner._runner, run)


class _Router:
    def __init__(self, inner: IntentRouter, clock: _Clock) -> None:
        self._inner, self._clock = inner, clock

    def route(self, *args: Any, **kwargs: Any) -> Decision:
        start = time.perf_counter()
        try:
            return self._inner.route(*args, **kwargs)
        finally:
            self._clock.route.append((start, time.perf_counter()))

    def prepare(self, *args: Any) -> None:
        self._inner.prepare(*args)


class _Piper:
    def __init__(self, inner: Speaker, clock: _Clock) -> None:
        self._inner, self._clock = inner, clock

    async def asynthesize(self, text: str, **options: Any) -> npt.NDArray[np.int16]:
        start = time.perf_counter()
        try:
            return await self._inner.asynthesize(text, **options)
        finally:
            self._clock.tts.append((start, time.perf_counter()))


def _first(events: list[tuple[float, str]], kind: str, after: float) -> float | None:
    return next((t for t, k in events if k == kind and t >= after), None)


def _turn_profile(clock: _Clock, since: float, kind: str) -> dict[str, Any]:
    stop = _first(clock.events, "input_audio_buffer.speech_stopped", since)
    assert stop is not None

    def rel(t: float | None) -> float | None:
        return None if t is None else (t - stop) * 1000

    calls = [c for c in clock.stt if c["queued"] >= since]
    used = calls[-1] if calls else {}
    route = next((r for r in clock.route if r[0] >= stop), None)
    tts = next((s for s in clock.tts if s[0] >= stop), None)
    return {
        "kind": kind,
        "whisper_runs": len(calls),
        "whisper_queued": rel(used.get("queued")),
        "whisper_started": rel(used.get("start")),
        "whisper_ended": rel(used.get("end")),
        "whisper_run_ms": (used["end"] - used["start"]) * 1000 if "end" in used else None,
        "transcript_emitted": rel(
            _first(clock.events, "conversation.item.input_audio_transcription.completed", stop)
        ),
        "route_ms": None if route is None else (route[1] - route[0]) * 1000,
        "first_tts_ms": None if tts is None else (tts[1] - tts[0]) * 1000,
        "first_audio_delta": rel(_first(clock.events, "response.audio.delta", stop)),
        "arguments_done": rel(_first(clock.events, "response.function_call_arguments.done", stop)),
    }


async def _profile(script: list[tuple[str, str]], silence_ms: int) -> list[dict[str, Any]]:
    loaded = load_voice_models(get_embedder())
    clock = _Clock()
    speaker = cast(Speaker, _Piper(loaded.speaker, clock))
    models = VoiceModels(
        transcriber=cast(Transcriber, _Whisper(loaded.transcriber, clock)),
        speaker=speaker,
        router=cast(IntentRouter, _Router(loaded.router, clock)),
        speech=SpeechCache(speaker),
    )
    done = asyncio.Event()

    def emit(event: dict[str, Any]) -> None:
        clock.events.append((time.perf_counter(), event["type"]))
        if event["type"] == "response.done":
            done.set()

    session = RealtimeSession(deployment="bench", models=models, emit=emit)
    session.start()
    update = {
        "tools": TOOLS,
        "input_audio_transcription": {"model": "whisper-1"},
        "turn_detection": {"type": "server_vad", "silence_duration_ms": silence_ms},
    }
    await session.handle(json.dumps({"type": "session.update", "session": update}))
    profiles = []
    step = CHUNK_MS * 48
    for text, kind in script:
        pcm = silence(400) + spoken(text) + silence(silence_ms + 500)
        since, due = time.perf_counter(), time.perf_counter()
        done.clear()
        for start in range(0, len(pcm), step):
            frame = base64.b64encode(pcm[start : start + step]).decode("ascii")
            await session.handle({"type": "input_audio_buffer.append", "audio": frame})
            due += CHUNK_MS / 1000
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
        await asyncio.wait_for(done.wait(), 60)
        profiles.append(_turn_profile(clock, since, kind))
    await session.close()
    return profiles


def _median(rows: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(values) if values else None


def profile_turns(script: list[tuple[str, str]], silence_ms: int = 500) -> dict[str, Any]:
    """Each scripted turn's timeline inside the emulator's session, and the medians over plain/tool turns."""
    turns = asyncio.run(_profile(script, silence_ms))
    keys = [k for k in turns[0] if k != "kind"]
    medians = {
        kind: {key: _median([t for t in turns if t["kind"] == kind], key) for key in keys}
        for kind in ("plain", "tool")
    }
    return {"silence_duration_ms": silence_ms, "turns": turns, "medians": medians}

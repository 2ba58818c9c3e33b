"""The session core driven directly, without a socket: failures of the models become protocol events."""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any, cast

import numpy as np

from orchestrator.emulators.azure_openai.realtime.models import SpeechCache, VoiceModels
from orchestrator.emulators.azure_openai.realtime.session import RealtimeSession
from orchestrator.emulators.azure_openai.realtime.stt import TranscriptionError


class FailingTranscriber:
    async def atranscribe(self, audio: Any, *, language: str | None = None, prompt: str | None = None) -> str:
        raise TranscriptionError("transcription_failed", "the model could not run")


class BrokenSpeaker:
    async def asynthesize(self, text: str, *, speed: float = 1.0) -> Any:
        raise RuntimeError("speech synthesis crashed")


def _session(voice: VoiceModels) -> tuple[RealtimeSession, list[dict[str, Any]]]:
    events: list[dict[str, Any]] = []
    session = RealtimeSession(deployment="rt", models=voice, emit=events.append)
    session.start()
    return session, events


async def _until(events: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    for _ in range(200):
        found = [e for e in events if e["type"] == kind]
        if found:
            return found[-1]
        await asyncio.sleep(0.02)
    raise AssertionError(f"no {kind}: {[e['type'] for e in events]}")


async def test_a_failed_transcription_is_reported_with_its_code(local_embedder: Any) -> None:
    from orchestrator.emulators.azure_openai.realtime.router import IntentRouter

    speaker = cast(Any, BrokenSpeaker())
    voice = VoiceModels(
        transcriber=cast(Any, FailingTranscriber()),
        speaker=speaker,
        router=IntentRouter(local_embedder),
        speech=SpeechCache(speaker),
    )
    session, events = _session(voice)
    update = {"turn_detection": None, "input_audio_transcription": {"model": "whisper-1"}}
    await session.handle(json.dumps({"type": "session.update", "session": update}))
    noise = (np.random.default_rng(1).normal(0, 3000, 24000 // 2)).astype("<i2").tobytes()
    audio = base64.b64encode(noise).decode()
    await session.handle(json.dumps({"type": "input_audio_buffer.append", "audio": audio}))
    await session.handle(json.dumps({"type": "input_audio_buffer.commit"}))
    failed = await _until(events, "conversation.item.input_audio_transcription.failed")
    assert failed["error"]["code"] == "transcription_failed"

    await session.handle(json.dumps({"type": "response.create"}))
    done = await _until(events, "response.done")
    assert done["response"]["status"] == "failed"
    assert "speech synthesis crashed" in done["response"]["status_details"]["error"]["message"]
    await session.handle(json.dumps({"type": "session.update", "session": {"instructions": "still open"}}))
    assert (await _until(events, "session.updated"))["session"]["instructions"] == "still open"
    await session.close()

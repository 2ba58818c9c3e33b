"""The local models a voice session uses, loaded once per process and shared by every session."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from orchestrator.emulators.azure_openai.embedder import LocalEmbedder
from orchestrator.emulators.azure_openai.realtime.router import IntentRouter
from orchestrator.emulators.azure_openai.realtime.stt import Transcriber, get_transcriber
from orchestrator.emulators.azure_openai.realtime.tts import Speaker, get_speaker

__all__ = ["VoiceModels", "load_voice_models"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class VoiceModels:
    transcriber: Transcriber
    speaker: Speaker
    router: IntentRouter


def load_voice_models(embedder: LocalEmbedder) -> VoiceModels:
    """Whisper, Piper and the intent router (a few seconds, blocking: call it on a thread)."""
    started = time.perf_counter()
    models = VoiceModels(transcriber=get_transcriber(), speaker=get_speaker(), router=IntentRouter(embedder))
    _log.info("voice models loaded", extra={"seconds": round(time.perf_counter() - started, 2)})
    return models

"""The local models a voice session uses, loaded once per process and shared by every session."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from orchestrator.emulators.azure_openai.embedder import LocalEmbedder
from orchestrator.emulators.azure_openai.realtime.router import IntentRouter
from orchestrator.emulators.azure_openai.realtime.stt import Transcriber, get_transcriber
from orchestrator.emulators.azure_openai.realtime.tts import Speaker, get_speaker

__all__ = ["SpeechCache", "VoiceModels", "load_voice_models"]

_log = logging.getLogger(__name__)


class SpeechCache:
    """Short sentences said again and again ("You're welcome!") are synthesized once."""

    MAX_CHARS = 80

    def __init__(self, speaker: Speaker, *, size: int = 128) -> None:
        self._speaker = speaker
        self._size = size
        self._kept: OrderedDict[tuple[str, float], npt.NDArray[np.int16]] = OrderedDict()

    async def synthesize(self, text: str, *, speed: float = 1.0) -> npt.NDArray[np.int16]:
        key = (text, speed)
        kept = self._kept.get(key)
        if kept is not None:
            self._kept.move_to_end(key)
            return kept
        pcm = await self._speaker.asynthesize(text, speed=speed)
        if len(text) <= self.MAX_CHARS:
            self._kept[key] = pcm
            if len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return pcm


@dataclass(frozen=True)
class VoiceModels:
    transcriber: Transcriber
    speaker: Speaker
    router: IntentRouter
    speech: SpeechCache


def load_voice_models(embedder: LocalEmbedder) -> VoiceModels:
    """Whisper, Piper and the intent router (a few seconds, blocking: call it on a thread)."""
    started = time.perf_counter()
    speaker = get_speaker()
    models = VoiceModels(
        transcriber=get_transcriber(),
        speaker=speaker,
        router=IntentRouter(embedder),
        speech=SpeechCache(speaker),
    )
    _log.info("voice models loaded", extra={"seconds": round(time.perf_counter() - started, 2)})
    return models

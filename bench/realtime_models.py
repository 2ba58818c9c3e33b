"""In-process timings of the emulator's voice models: Whisper speech to text and Piper text to speech.

The test utterances are the emulator's own Piper voice (deterministic), as in tests/speech.py.
"""

from __future__ import annotations

import functools
import statistics
import time
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from orchestrator.emulators.azure_openai.realtime.audio import OUTPUT_RATE, resample, to_float
from orchestrator.emulators.azure_openai.realtime.stt import SAMPLE_RATE, get_transcriber
from orchestrator.emulators.azure_openai.realtime.tts import get_speaker

__all__ = ["STT_UTTERANCES", "TTS_SENTENCES", "silence", "spoken", "stt_bench", "tts_bench"]

# About 1 s, 2 s and 5 s of speech in the joe voice.
STT_UTTERANCES = {
    "1s": "Do you have tents?",
    "2s": "I need a waterproof jacket for hiking.",
    "5s": "I'm looking for a warm sleeping bag and a two person tent for a camping trip in the mountains"
    " next weekend.",
}
TTS_SENTENCES = {
    "short": "Hi! How can I help?",
    "short_2": "You're welcome, happy hiking!",
    "typical": "I found the Alpine Rain Shell for 129 dollars, a waterproof hiking jacket.",
    "typical_2": "Your cart holds the Alpine Rain Shell, for a total of 129 dollars.",
    # The first sentences the emulator speaks for a greeting and for thanks (split_sentences' first chunk).
    "first_greeting": "Hi!",
    "first_thanks": "You're welcome!",
}
_cache: dict[str, bytes] = {}
T = TypeVar("T")


def spoken(text: str) -> bytes:
    """`text` in the emulator's voice as pcm16 little-endian mono at 24 kHz (made once per text)."""
    if text not in _cache:
        sentence = text if text.rstrip().endswith((".", "!", "?")) else f"{text.rstrip()}."
        _cache[text] = get_speaker().synthesize(sentence, deterministic=True).astype("<i2").tobytes()
    return _cache[text]


def silence(ms: int) -> bytes:
    return bytes(2 * (OUTPUT_RATE * ms // 1000))


def _median_s(run: Callable[[], T], repeats: int) -> tuple[float, list[float], T]:
    """Median seconds of `repeats` calls after a warm-up call (first calls allocate); the last result."""
    result = run()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times, result


def stt_bench(repeats: int = 5) -> dict[str, Any]:
    """Median `Transcriber.transcribe` time per utterance and its real-time factor (compute s / audio s)."""
    transcriber = get_transcriber()
    results: dict[str, Any] = {}
    for name, text in STT_UTTERANCES.items():
        pcm = np.frombuffer(spoken(text), dtype="<i2")
        audio_16k = resample(to_float(pcm), OUTPUT_RATE, SAMPLE_RATE)
        audio_s = audio_16k.size / SAMPLE_RATE
        median, times, heard = _median_s(functools.partial(transcriber.transcribe, audio_16k), repeats)
        results[name] = {
            "text": text,
            "heard": heard,
            "audio_s": round(audio_s, 3),
            "median_s": median,
            "times_s": times,
            "rtf": median / audio_s,
        }
    return results


def tts_bench(repeats: int = 5) -> dict[str, Any]:
    """Median `Speaker.synthesize` time per sentence and audio seconds made per compute second."""
    speaker = get_speaker()
    results: dict[str, Any] = {}
    for name, text in TTS_SENTENCES.items():
        median, times, samples = _median_s(functools.partial(speaker.synthesize, text), repeats)
        audio_s = samples.size / OUTPUT_RATE
        results[name] = {
            "text": text,
            "words": len(text.split()),
            "audio_s": round(audio_s, 3),
            "median_s": median,
            "times_s": times,
            "audio_s_per_s": audio_s / median,
        }
    return results

"""Spoken test utterances, made at test time: pcm16 little-endian mono bytes at any rate.

The default voice is the emulator's own Piper voice (deterministic, so every run hears the same audio):
Whisper tiny.en understands it far better than espeak-ng, which it hears "my cart" as "my card" or
"my car". `voice="espeak"` gives an independent synthetic voice (espeak-ng, resampled by sox) for the
utterances it does get right: "I need a waterproof jacket for hiking", "hello there", "thank you".
Piper utterances get a closing period when they have no closing punctuation.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import Literal

import numpy as np
import numpy.typing as npt

__all__ = ["ESPEAK_ARGS", "Voice", "as_float", "silence", "spoken"]

ESPEAK_ARGS = ("-v", "en-us", "-s", "150")

Voice = Literal["piper", "espeak"]

_cache: dict[tuple[str, int, Voice], bytes] = {}


def spoken(text: str, *, rate: int = 24000, voice: Voice = "piper") -> bytes:
    """`text` spoken at `rate` Hz as pcm16 little-endian mono; made once per (text, rate, voice)."""
    key = (text, rate, voice)
    if key not in _cache:
        _cache[key] = _piper(text, rate) if voice == "piper" else _espeak(text, rate)
    return _cache[key]


def silence(ms: int, *, rate: int = 24000) -> bytes:
    """`ms` milliseconds of digital silence as pcm16 at `rate` Hz."""
    return bytes(2 * (rate * ms // 1000))


def as_float(data: bytes) -> npt.NDArray[np.float32]:
    """pcm16 little-endian bytes as float32 samples in [-1, 1)."""
    return np.frombuffer(data, dtype="<i2").astype(np.float32) / np.float32(32768.0)


def _piper(text: str, rate: int) -> bytes:
    from orchestrator.emulators.azure_openai.realtime.audio import OUTPUT_RATE, resample, to_float, to_pcm16
    from orchestrator.emulators.azure_openai.realtime.tts import get_speaker

    # A statement's falling close: without it Whisper hears "add two of ..." as "at two of ...".
    sentence = text if text.rstrip().endswith((".", "!", "?")) else f"{text.rstrip()}."
    samples = get_speaker().synthesize(sentence, deterministic=True)
    if rate != OUTPUT_RATE:
        samples = to_pcm16(resample(to_float(samples), OUTPUT_RATE, rate))
    return samples.astype("<i2").tobytes()


def _espeak(text: str, rate: int) -> bytes:
    wav = _run(["espeak-ng", *ESPEAK_ARGS, "--stdout", text], b"", package="espeak-ng")
    command = ["sox", "-t", "wav", "-", "-t", "raw", "-r", str(rate), "-e", "signed", "-b", "16", "-c", "1"]
    return _run([*command, "-L", "-"], wav, package="sox")


def _run(command: list[str], stdin: bytes, *, package: str) -> bytes:
    if shutil.which(command[0]) is None:
        raise RuntimeError(
            f"{command[0]} is not installed; the spoken test utterances need the Debian package {package}"
            f" (apt-get install {package})"
        )
    done = subprocess.run(command, input=stdin, capture_output=True, check=False, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:3])}... failed: {done.stderr.decode(errors='replace')}")
    return done.stdout

"""Optional per-session audio dump for debugging: what the customer and the assistant said, as WAV."""

from __future__ import annotations

import base64
import binascii
import logging
import wave
from pathlib import Path

__all__ = ["AudioDump"]

_log = logging.getLogger(__name__)


class AudioDump:
    """`<dir>/<session>-input.wav` and `-output.wav`, pcm16 24 kHz mono, written as the audio flows."""

    def __init__(self, folder: Path, session_id: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.input_path = folder / f"{session_id}-input.wav"
        self.output_path = folder / f"{session_id}-output.wav"
        self._input = _open(self.input_path)
        self._output = _open(self.output_path)

    def heard(self, audio_b64: str) -> None:
        _write(self._input, audio_b64)

    def said(self, audio_b64: str) -> None:
        _write(self._output, audio_b64)

    def close(self) -> None:
        self._input.close()
        self._output.close()
        _log.info("audio dumped", extra={"input": str(self.input_path), "output": str(self.output_path)})


def _open(path: Path) -> wave.Wave_write:
    wav = wave.open(str(path), "wb")  # noqa: SIM115 - closed by AudioDump.close
    wav.setnchannels(1)
    wav.setsampwidth(2)
    wav.setframerate(24000)
    return wav


def _write(wav: wave.Wave_write, audio_b64: str) -> None:
    try:
        wav.writeframes(base64.b64decode(audio_b64))
    except (binascii.Error, ValueError):
        return

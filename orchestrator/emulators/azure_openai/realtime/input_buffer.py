"""The input audio buffer: 16 kHz float32 on the session's audio timeline (ms since the first append)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["RATE", "InputBuffer"]

RATE = 16000
Samples = npt.NDArray[np.float32]


class InputBuffer:
    def __init__(self) -> None:
        self._chunks: list[Samples] = []
        self._start = 0  # timeline position (in samples) of the buffer's first sample
        self._length = 0

    @property
    def start_ms(self) -> float:
        return self._start * 1000 / RATE

    @property
    def end_ms(self) -> float:
        return (self._start + self._length) * 1000 / RATE

    @property
    def duration_ms(self) -> float:
        return self._length * 1000 / RATE

    def append(self, samples: Samples) -> None:
        if samples.size:
            self._chunks.append(samples)
            self._length += samples.size

    def peek(self, start_ms: float, end_ms: float) -> Samples:
        """A copy of the audio between two timeline positions, leaving the buffer as it is."""
        audio = self._joined()
        lo = _clamp(round(start_ms * RATE / 1000) - self._start, audio.size)
        hi = _clamp(round(end_ms * RATE / 1000) - self._start, audio.size)
        return audio[lo : max(lo, hi)].copy()

    def take(self, start_ms: float | None = None, end_ms: float | None = None) -> Samples:
        """The audio between two timeline positions (default: all of it); the buffer keeps what follows."""
        audio = self._joined()
        lo = 0 if start_ms is None else _clamp(round(start_ms * RATE / 1000) - self._start, audio.size)
        hi = audio.size if end_ms is None else _clamp(round(end_ms * RATE / 1000) - self._start, audio.size)
        taken = audio[lo : max(lo, hi)].copy()
        self._drop(max(lo, hi), audio)
        return taken

    def keep_last(self, ms: float) -> None:
        """Forget all but the last `ms` (audio no turn can start in any more)."""
        excess = self._length - round(ms * RATE / 1000)
        if excess > 0 and self._length > 2 * round(ms * RATE / 1000):
            self._drop(excess, self._joined())

    def clear(self) -> None:
        self._drop(self._length, self._joined())

    def _joined(self) -> Samples:
        if len(self._chunks) != 1:
            joined = np.concatenate(self._chunks) if self._chunks else np.zeros(0, dtype=np.float32)
            self._chunks = [joined]
        return self._chunks[0]

    def _drop(self, n: int, audio: Samples) -> None:
        rest = audio[n:]
        self._chunks = [rest] if rest.size else []
        self._start += n
        self._length = rest.size


def _clamp(value: int, upper: int) -> int:
    return max(0, min(value, upper))

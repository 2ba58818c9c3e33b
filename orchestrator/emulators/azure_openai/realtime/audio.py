"""The realtime API's audio formats: pcm16 at 24 kHz and G.711 μ-law / A-law at 8 kHz, plus resampling.

G.711 follows the ITU-T reference algorithms (as in Sun's g711.c): the codecs are 256-entry decode
tables and 65536-entry encode tables built once with numpy, so coding a buffer is one table lookup.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import soxr

__all__ = [
    "INPUT_FORMATS",
    "OUTPUT_RATE",
    "AudioFormatError",
    "StreamResampler",
    "alaw_decode",
    "alaw_encode",
    "decode",
    "encode",
    "format_rate",
    "resample",
    "to_float",
    "to_pcm16",
    "ulaw_decode",
    "ulaw_encode",
]

INPUT_FORMATS = ("pcm16", "g711_ulaw", "g711_alaw")
OUTPUT_RATE = 24000
_G711_RATE = 8000
_QUALITY = "HQ"

Pcm16 = npt.NDArray[np.int16]
Floats = npt.NDArray[np.float32]


class AudioFormatError(ValueError):
    """Audio bytes that do not fit the declared format, or an unknown format name."""


def format_rate(fmt: str) -> int:
    """Sample rate of a realtime audio format."""
    if fmt == "pcm16":
        return OUTPUT_RATE
    if fmt in ("g711_ulaw", "g711_alaw"):
        return _G711_RATE
    raise AudioFormatError(f"unknown audio format {fmt!r}; expected one of {', '.join(INPUT_FORMATS)}")


def _segment(magnitude: npt.NDArray[np.int32], ends: tuple[int, ...]) -> npt.NDArray[np.int32]:
    """Index of the first segment end at or above each magnitude (len(ends) when above them all)."""
    return np.searchsorted(np.asarray(ends), magnitude, side="left").astype(np.int32)


def _build_ulaw() -> tuple[Pcm16, npt.NDArray[np.uint8]]:
    codes = ~np.arange(256, dtype=np.int32) & 0xFF
    exponent = (codes >> 4) & 0x07
    magnitude = ((((codes & 0x0F) << 3) + 0x84) << exponent) - 0x84
    decoded = np.where(codes & 0x80, -magnitude, magnitude).astype(np.int16)

    pcm = np.arange(-32768, 32768, dtype=np.int32) >> 2
    mask = np.where(pcm < 0, 0x7F, 0xFF)
    value = np.minimum(np.where(pcm < 0, -pcm, pcm), 8159) + 0x21
    seg = _segment(value, (0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF))
    code = np.where(seg >= 8, 0x7F, (seg << 4) | ((value >> (seg + 1)) & 0x0F))
    encoded = (code ^ mask).astype(np.uint8)
    return decoded, _by_uint16(encoded)


def _build_alaw() -> tuple[Pcm16, npt.NDArray[np.uint8]]:
    codes = np.arange(256, dtype=np.int32) ^ 0x55
    seg = (codes & 0x70) >> 4
    t = (codes & 0x0F) << 4
    t = np.where(seg == 0, t + 8, (t + 0x108) << np.maximum(seg - 1, 0))
    decoded = np.where(codes & 0x80, t, -t).astype(np.int16)

    pcm = np.arange(-32768, 32768, dtype=np.int32) >> 3
    mask = np.where(pcm >= 0, 0xD5, 0x55)
    value = np.where(pcm >= 0, pcm, -pcm - 1)
    seg = _segment(value, (0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF))
    shift = np.where(seg < 2, 1, seg)
    code = np.where(seg >= 8, 0x7F, (seg << 4) | ((value >> shift) & 0x0F))
    encoded = (code ^ mask).astype(np.uint8)
    return decoded, _by_uint16(encoded)


def _by_uint16(by_int16_order: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """Reorder a table indexed by sample + 32768 into one indexed by the sample's uint16 bit pattern."""
    return np.roll(by_int16_order, -32768)


_ULAW_DECODE, _ULAW_ENCODE = _build_ulaw()
_ALAW_DECODE, _ALAW_ENCODE = _build_alaw()


def ulaw_decode(data: bytes) -> Pcm16:
    return _ULAW_DECODE[np.frombuffer(data, dtype=np.uint8)]


def ulaw_encode(samples: Pcm16) -> bytes:
    return _ULAW_ENCODE[np.asarray(samples, dtype=np.int16).view(np.uint16)].tobytes()


def alaw_decode(data: bytes) -> Pcm16:
    return _ALAW_DECODE[np.frombuffer(data, dtype=np.uint8)]


def alaw_encode(samples: Pcm16) -> bytes:
    return _ALAW_ENCODE[np.asarray(samples, dtype=np.int16).view(np.uint16)].tobytes()


def decode(fmt: str, data: bytes) -> Pcm16:
    """Bytes of a realtime audio format to int16 samples at `format_rate(fmt)`."""
    if fmt == "pcm16":
        if len(data) % 2:
            raise AudioFormatError(f"pcm16 audio must be whole 16-bit samples; got {len(data)} bytes")
        return np.frombuffer(data, dtype="<i2").astype(np.int16)
    if fmt == "g711_ulaw":
        return ulaw_decode(data)
    if fmt == "g711_alaw":
        return alaw_decode(data)
    format_rate(fmt)
    raise AssertionError("unreachable")


def encode(fmt: str, samples_24k: Pcm16) -> bytes:
    """24 kHz int16 samples to bytes of a realtime audio format (G.711 is resampled to 8 kHz first).

    Each call resamples on its own; a stream cut into chunks is better served by a `StreamResampler`
    to 8 kHz and `ulaw_encode` / `alaw_encode` on its output.
    """
    if fmt == "pcm16":
        return np.asarray(samples_24k, dtype="<i2").tobytes()
    rate = format_rate(fmt)
    narrow = to_pcm16(resample(to_float(samples_24k), OUTPUT_RATE, rate))
    return ulaw_encode(narrow) if fmt == "g711_ulaw" else alaw_encode(narrow)


def resample(samples: Floats, src_rate: int, dst_rate: int) -> Floats:
    """One whole signal from `src_rate` to `dst_rate` (soxr, high quality)."""
    samples = np.asarray(samples, dtype=np.float32)
    if src_rate == dst_rate or samples.size == 0:
        return samples.copy()
    out: Floats = soxr.resample(samples, src_rate, dst_rate, quality=_QUALITY).astype(np.float32)
    return out


class StreamResampler:
    """Resamples a signal that arrives in chunks of any size, with the filter state kept between them.

    The output lags the input by the filter's delay; `last=True` flushes what is held back, after which
    the resampler must not be fed again.
    """

    def __init__(self, src_rate: int, dst_rate: int) -> None:
        self.src_rate = src_rate
        self.dst_rate = dst_rate
        self._stream = (
            None
            if src_rate == dst_rate
            else soxr.ResampleStream(src_rate, dst_rate, 1, dtype="float32", quality=_QUALITY)
        )

    def process(self, samples: Floats, *, last: bool = False) -> Floats:
        samples = np.asarray(samples, dtype=np.float32)
        if self._stream is None:
            return samples.copy()
        out: Floats = self._stream.resample_chunk(samples, last=last).astype(np.float32)
        return out


def to_float(samples: Pcm16) -> Floats:
    """int16 samples to float32 in [-1, 1)."""
    return np.asarray(samples, dtype=np.float32) / np.float32(32768.0)


def to_pcm16(samples: Floats) -> Pcm16:
    """float32 samples to int16, rounded and clipped (the inverse of `to_float`)."""
    scaled = np.rint(np.asarray(samples, dtype=np.float32) * np.float32(32768.0))
    out: Pcm16 = np.clip(scaled, -32768, 32767).astype(np.int16)
    return out

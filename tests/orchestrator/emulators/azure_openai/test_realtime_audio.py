"""Realtime audio formats: G.711 codecs, pcm16, conversions and resampling."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from orchestrator.emulators.azure_openai.realtime.audio import (
    INPUT_FORMATS,
    AudioFormatError,
    StreamResampler,
    alaw_decode,
    alaw_encode,
    decode,
    encode,
    format_rate,
    resample,
    to_float,
    to_pcm16,
    ulaw_decode,
    ulaw_encode,
)

ALL_SAMPLES = np.arange(-32768, 32768, dtype=np.int16)
ALL_CODES = bytes(range(256))


def sine(rate: int, seconds: float, hz: float = 440.0, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (amplitude * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def test_format_rates() -> None:
    assert INPUT_FORMATS == ("pcm16", "g711_ulaw", "g711_alaw")
    assert [format_rate(f) for f in INPUT_FORMATS] == [24000, 8000, 8000]
    with pytest.raises(AudioFormatError):
        format_rate("mp3")


@pytest.mark.parametrize(
    ("code", "sample"),
    [(0xFF, 0), (0x7F, 0), (0x80, 32124), (0x00, -32124), (0xFE, 8), (0xEF, 132), (0xCF, 924)],
)
def test_ulaw_known_code_points(code: int, sample: int) -> None:
    assert ulaw_decode(bytes([code])).tolist() == [sample]


@pytest.mark.parametrize(
    ("code", "sample"), [(0xD5, 8), (0x55, -8), (0xAA, 32256), (0x2A, -32256), (0xD4, 24), (0xC5, 264)]
)
def test_alaw_known_code_points(code: int, sample: int) -> None:
    assert alaw_decode(bytes([code])).tolist() == [sample]


def test_encoders_at_known_points() -> None:
    points = np.array([0, 1000, -1000, 32767, -32768], dtype=np.int16)
    assert ulaw_encode(points) == bytes([0xFF, 0xCE, 0x4E, 0x80, 0x00])
    assert alaw_encode(points) == bytes([0xD5, 0xFA, 0x7A, 0xAA, 0x2A])


def test_g711_matches_the_reference_codec_for_every_value() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        audioop = pytest.importorskip("audioop")
    linear = ALL_SAMPLES.astype("<i2").tobytes()
    assert ulaw_encode(ALL_SAMPLES) == audioop.lin2ulaw(linear, 2)
    assert alaw_encode(ALL_SAMPLES) == audioop.lin2alaw(linear, 2)
    assert ulaw_decode(ALL_CODES).astype("<i2").tobytes() == audioop.ulaw2lin(ALL_CODES, 2)
    assert alaw_decode(ALL_CODES).astype("<i2").tobytes() == audioop.alaw2lin(ALL_CODES, 2)


@pytest.mark.parametrize(("enc", "dec"), [(ulaw_encode, ulaw_decode), (alaw_encode, alaw_decode)])
def test_g711_round_trips(enc, dec) -> None:  # type: ignore[no-untyped-def]
    # Every code decodes to a value that encodes back to the same code (μ-law's two zeros aside).
    again = enc(dec(ALL_CODES))
    differing = {c for c, a in zip(ALL_CODES, again, strict=True) if c != a}
    assert differing <= {0x7F}
    # Every sample survives within the companding step: under 1/32 of its size (plus a floor near zero).
    back = dec(enc(ALL_SAMPLES)).astype(np.int32)
    error = np.abs(back - ALL_SAMPLES.astype(np.int32))
    assert np.all(error <= np.maximum(np.abs(ALL_SAMPLES.astype(np.int32)) // 16, 140))


def test_pcm16_decode_encode() -> None:
    samples = np.array([0, 1, -1, 32767, -32768], dtype=np.int16)
    data = samples.astype("<i2").tobytes()
    assert decode("pcm16", data).tolist() == samples.tolist()
    assert decode("pcm16", data).dtype == np.int16
    assert encode("pcm16", samples) == data
    assert decode("pcm16", b"").size == 0


def test_odd_pcm16_is_an_audio_format_error() -> None:
    with pytest.raises(AudioFormatError, match="3 bytes"):
        decode("pcm16", b"\x00\x01\x02")
    with pytest.raises(AudioFormatError):
        decode("opus", b"")


@pytest.mark.parametrize("fmt", ["g711_ulaw", "g711_alaw"])
def test_g711_encode_resamples_to_8k_and_decodes_back(fmt: str) -> None:
    tone = to_pcm16(sine(24000, 0.5))
    data = encode(fmt, tone)
    assert len(data) == 4000  # one byte per 8 kHz sample
    back = to_float(decode(fmt, data))
    assert back.dtype == np.float32 and back.size == 4000
    reference = sine(8000, 0.5)
    middle = slice(200, -200)
    assert np.max(np.abs(back[middle] - reference[middle])) < 0.03


def test_float_conversions() -> None:
    assert to_float(np.array([-32768, 0, 16384], dtype=np.int16)).tolist() == [-1.0, 0.0, 0.5]
    assert np.array_equal(to_pcm16(to_float(ALL_SAMPLES)), ALL_SAMPLES)
    assert to_pcm16(np.array([2.0, -2.0, 0.49999 / 32768], dtype=np.float32)).tolist() == [32767, -32768, 0]


def test_resample_length_and_content() -> None:
    tone = sine(24000, 1.0)
    narrow = resample(tone, 24000, 16000)
    assert narrow.dtype == np.float32 and narrow.size == 16000
    assert np.max(np.abs(narrow[100:-100] - sine(16000, 1.0)[100:-100])) < 1e-3
    assert resample(tone, 24000, 24000) is not tone
    assert resample(np.zeros(0, dtype=np.float32), 24000, 16000).size == 0


@pytest.mark.parametrize(("src", "dst"), [(24000, 16000), (8000, 16000), (22050, 24000), (16000, 16000)])
def test_stream_resampler_matches_whole_signal_across_chunks(src: int, dst: int) -> None:
    tone = sine(src, 1.0, hz=300.0)
    rng = np.random.default_rng(7)
    cuts = np.sort(rng.choice(np.arange(1, tone.size), size=40, replace=False))
    stream = StreamResampler(src, dst)
    pieces = [stream.process(chunk) for chunk in np.split(tone, cuts)]
    pieces.append(stream.process(np.zeros(0, dtype=np.float32), last=True))
    joined = np.concatenate(pieces)
    assert abs(joined.size - dst) <= 1
    whole = resample(tone, src, dst)
    n = min(joined.size, whole.size)
    # Continuous across the cuts: no clicks, and the same signal as resampling it whole.
    assert np.max(np.abs(joined[50 : n - 50] - whole[50 : n - 50])) < 1e-3
    assert np.max(np.abs(np.diff(joined[50 : n - 50]))) < 2 * np.pi * 300 / dst * 0.5 * 1.1

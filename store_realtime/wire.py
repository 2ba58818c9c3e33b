"""Reading the few fields the relay needs from a raw event without parsing it: the hot path is audio."""

from __future__ import annotations

__all__ = ["AUDIO_DELTA", "GA_AUDIO_DELTA", "delta_bytes", "event_type", "string_field"]

AUDIO_DELTA = "response.audio.delta"
GA_AUDIO_DELTA = "response.output_audio.delta"


def string_field(raw: str, name: str) -> str | None:
    """The value of the first top-level-looking `"name": "value"` pair; None when absent or not a string."""
    key = f'"{name}"'
    at = raw.find(key)
    if at < 0:
        return None
    at += len(key)
    while at < len(raw) and raw[at] in " \t\r\n:":
        at += 1
    if at >= len(raw) or raw[at] != '"':
        return None
    end = raw.find('"', at + 1)
    return None if end < 0 else raw[at + 1 : end]


def event_type(raw: str) -> str | None:
    return string_field(raw, "type")


def delta_bytes(raw: str) -> int:
    """Bytes of audio in an audio delta's base64 `delta`."""
    value = string_field(raw, "delta")
    if not value:
        return 0
    return len(value) * 3 // 4 - value.count("=", -2)

"""Token usage estimated the way the real service bills: text by length, audio by duration.

Text: one token per 4 characters. Audio: one token per 100 ms heard, one per 50 ms spoken (the rates
OpenAI publishes for its realtime models). Estimates, honest about what was actually processed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any, Literal, Protocol

__all__ = ["Meter", "text_tokens"]

INPUT_AUDIO_MS_PER_TOKEN = 100
OUTPUT_AUDIO_MS_PER_TOKEN = 50


class _Entry(Protocol):
    audio_ms: float

    @property
    def type(self) -> str: ...

    @property
    def role(self) -> str | None: ...

    def text(self) -> str: ...


class _Options(Protocol):
    instructions: str

    @property
    def tools(self) -> Iterable[Any]: ...


def text_tokens(text: str) -> int:
    return math.ceil(len(text) / 4)


class Meter:
    def __init__(self) -> None:
        self.input_text = 0
        self.input_audio = 0
        self.output_text = 0
        self.output_audio = 0

    def count_input(self, options: _Options, entries: Iterable[_Entry]) -> None:
        tools = json.dumps([t.model_dump() for t in options.tools]) if options.tools else ""
        self.input_text += text_tokens(options.instructions) + text_tokens(tools)
        for entry in entries:
            if entry.type == "message" and entry.role == "user" and entry.audio_ms:
                self.input_audio += math.ceil(entry.audio_ms / INPUT_AUDIO_MS_PER_TOKEN)
            else:
                self.input_text += text_tokens(entry.text())

    def count_output_text(self, text: str) -> None:
        self.output_text += text_tokens(text)

    def count_output_audio(self, ms: float) -> None:
        self.output_audio += math.ceil(ms / OUTPUT_AUDIO_MS_PER_TOKEN)

    def over(self, limit: int | Literal["inf"]) -> bool:
        return limit != "inf" and self.output_text + self.output_audio >= limit

    def usage(self) -> dict[str, Any]:
        input_tokens = self.input_text + self.input_audio
        output_tokens = self.output_text + self.output_audio
        return {
            "total_tokens": input_tokens + output_tokens,
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "input_token_details": {
                "cached_tokens": 0,
                "text_tokens": self.input_text,
                "audio_tokens": self.input_audio,
            },
            "output_token_details": {"text_tokens": self.output_text, "audio_tokens": self.output_audio},
        }

"""The session the store owns: its instructions, voice, tools and transcription, and what a client may change.

A client may change only `turn_detection`, `voice` and `input_audio_transcription.language`; it cannot read
or replace the instructions or the tools (they are left out of what it is shown).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from shared.realtime.events import ProtocolError

__all__ = [
    "CLIENT_FIELDS",
    "INSTRUCTIONS",
    "ClientPreferences",
    "check_client_item",
    "check_response_overrides",
    "redact_session",
    "store_session",
]

INSTRUCTIONS = """You are the voice assistant of Contoso Outdoors, an outdoor and camping store.
Be concise and friendly: answer in one to three short spoken sentences, then stop.
Never claim anything about products, prices, stock or the customer's cart without checking first:
use search_products or recommend_products to find products, get_product_details for one product's
facts, and add_to_cart, remove_from_cart and view_cart for the cart. Name prices exactly as the tools
give them. If a tool reports an error, say so plainly and offer to try again.
Only help with shopping at this store; politely decline anything else."""

CLIENT_FIELDS = ("turn_detection", "voice", "input_audio_transcription")

DEFAULT_TURN_DETECTION: dict[str, Any] = {
    "type": "server_vad",
    "threshold": 0.5,
    "prefix_padding_ms": 300,
    "silence_duration_ms": 500,
    "create_response": True,
    "interrupt_response": True,
}


class ClientPreferences:
    """What this customer chose, kept across upstream reconnects."""

    def __init__(self, voice: str) -> None:
        self.voice = voice
        self.turn_detection: dict[str, Any] | None = dict(DEFAULT_TURN_DETECTION)
        self.language: str | None = None

    def apply(self, update: Mapping[str, Any]) -> None:
        """Take the fields a client may change; ProtocolError (nothing applied) for any other."""
        for key in update:
            if key not in CLIENT_FIELDS:
                raise ProtocolError(
                    f"The store sets session.{key}; a client may change only turn_detection, voice and"
                    " input_audio_transcription.language.",
                    code="store_managed_field",
                    param=f"session.{key}",
                )
        transcription = update.get("input_audio_transcription")
        if transcription is not None and (
            not isinstance(transcription, Mapping) or set(transcription) - {"language", "model"}
        ):
            raise ProtocolError(
                "Only input_audio_transcription.language can be changed.",
                code="store_managed_field",
                param="session.input_audio_transcription",
            )
        if "voice" in update:
            if not isinstance(update["voice"], str):
                raise ProtocolError("voice must be a string.", param="session.voice")
            self.voice = update["voice"]
        if "turn_detection" in update:
            detection = update["turn_detection"]
            if detection is not None and not isinstance(detection, Mapping):
                raise ProtocolError(
                    "turn_detection must be an object or null.", param="session.turn_detection"
                )
            self.turn_detection = None if detection is None else {**DEFAULT_TURN_DETECTION, **detection}
        if isinstance(transcription, Mapping) and "language" in transcription:
            self.language = transcription["language"]


def store_session(tools: Sequence[Mapping[str, Any]], preferences: ClientPreferences) -> dict[str, Any]:
    """The whole session (beta shape) the store configures upstream, at connect and after every change."""
    transcription: dict[str, Any] = {"model": "whisper-1"}
    if preferences.language:
        transcription["language"] = preferences.language
    return {
        "modalities": ["text", "audio"],
        "instructions": INSTRUCTIONS,
        "voice": preferences.voice,
        "input_audio_format": "pcm16",
        "output_audio_format": "pcm16",
        "input_audio_transcription": transcription,
        "turn_detection": preferences.turn_detection,
        "tools": [dict(t) for t in tools],
        "tool_choice": "auto",
    }


def redact_session(session: Mapping[str, Any]) -> dict[str, Any]:
    """The session as a client may see it: no instructions, no tool definitions."""
    shown = {k: v for k, v in session.items() if k not in ("instructions", "tools", "client_secret")}
    shown["tools"] = []
    return shown


def check_client_item(item: Mapping[str, Any]) -> None:
    """Clients add what the customer says or types; tool calls and their results are the store's."""
    if item.get("type") != "message" or item.get("role") != "user":
        raise ProtocolError(
            "A client may add only user messages; the store runs the tools itself.",
            code="store_managed_field",
            param="item",
        )


def check_response_overrides(response: Mapping[str, Any] | None) -> None:
    for key in response or {}:
        if key in ("instructions", "tools", "tool_choice", "input", "conversation"):
            raise ProtocolError(
                f"The store sets response.{key}.", code="store_managed_field", param=f"response.{key}"
            )

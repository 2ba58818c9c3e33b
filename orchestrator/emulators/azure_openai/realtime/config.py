"""A realtime session's configuration (beta shape): defaults, checked updates, per-response overrides."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shared.realtime.events import ProtocolError, new_id

__all__ = ["VOICES", "ResponseOptions", "SessionConfig", "TurnDetection", "apply_update", "response_options"]

VOICES = ("alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse")
AudioFormat = Literal["pcm16", "g711_ulaw", "g711_alaw"]
Voice = Literal["alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse"]
Modality = Literal["text", "audio"]
Modalities = Annotated[list[Modality], Field(min_length=1, max_length=2)]
MaxTokens = Annotated[int, Field(ge=1, le=4096)] | Literal["inf"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class TurnDetection(_Strict):
    type: Literal["server_vad", "semantic_vad"] = "server_vad"
    threshold: float = Field(0.5, ge=0.0, le=1.0)
    prefix_padding_ms: int = Field(300, ge=0, le=5000)
    silence_duration_ms: int = Field(500, ge=0, le=10000)
    create_response: bool = True
    interrupt_response: bool = True
    eagerness: Literal["low", "medium", "high", "auto"] | None = None


class Transcription(_Strict):
    model: str = "whisper-1"
    language: str | None = None
    prompt: str | None = None


class NoiseReduction(_Strict):
    type: Literal["near_field", "far_field"]


class Tool(_Strict):
    type: Literal["function"] = "function"
    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    description: str = ""
    parameters: dict[str, Any] = Field(default_factory=dict)


class NamedToolChoice(_Strict):
    type: Literal["function"]
    name: str


ToolChoice = Literal["auto", "none", "required"] | NamedToolChoice


class SessionConfig(_Strict):
    id: str = Field(default_factory=lambda: new_id("sess"))
    object: Literal["realtime.session"] = "realtime.session"
    model: str = ""
    modalities: Modalities = Field(default_factory=lambda: list[Modality](["text", "audio"]))
    instructions: str = ""
    voice: Voice = "alloy"
    input_audio_format: AudioFormat = "pcm16"
    output_audio_format: AudioFormat = "pcm16"
    input_audio_transcription: Transcription | None = None
    input_audio_noise_reduction: NoiseReduction | None = None
    turn_detection: TurnDetection | None = Field(default_factory=TurnDetection)
    tools: list[Tool] = Field(default_factory=list)
    tool_choice: ToolChoice = "auto"
    temperature: float = Field(0.8, ge=0.6, le=1.2)
    max_response_output_tokens: MaxTokens = "inf"
    speed: float = Field(1.0, ge=0.25, le=1.5)

    def public(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


_READ_ONLY = {"id", "object"}


def apply_update(config: SessionConfig, update: dict[str, Any], *, voice_locked: bool) -> SessionConfig:
    """A new config with only the sent fields changed; ProtocolError (session left as it was) otherwise."""
    for key in update:
        if key in _READ_ONLY or key not in SessionConfig.model_fields:
            raise ProtocolError(
                f"Unknown parameter: 'session.{key}'.", code="unknown_parameter", param=f"session.{key}"
            )
    if voice_locked and "voice" in update and update["voice"] != config.voice:
        raise ProtocolError(
            "Cannot update a conversation's voice if assistant audio is present.",
            code="cannot_update_voice",
            param="session.voice",
        )
    merged = {**config.model_dump(), **update}
    try:
        return SessionConfig.model_validate(merged)
    except ValidationError as exc:
        raise _protocol_error(exc, "session") from None


class ResponseOptions(_Strict):
    """`response.create`'s per-response overrides, resolved against the session."""

    modalities: Modalities
    instructions: str
    voice: Voice
    output_audio_format: AudioFormat
    tools: list[Tool]
    tool_choice: ToolChoice
    temperature: float = Field(ge=0.6, le=1.2)
    max_response_output_tokens: MaxTokens
    conversation: Literal["auto", "none"] = "auto"
    metadata: dict[str, str] | None = None
    input: list[dict[str, Any]] | None = None


def response_options(config: SessionConfig, overrides: dict[str, Any] | None) -> ResponseOptions:
    base = config.model_dump(
        include={
            "modalities",
            "instructions",
            "voice",
            "output_audio_format",
            "tools",
            "tool_choice",
            "temperature",
            "max_response_output_tokens",
        }
    )
    try:
        return ResponseOptions.model_validate({**base, **(overrides or {})})
    except ValidationError as exc:
        raise _protocol_error(exc, "response") from None


_SCHEMA_TAG = re.compile(r"[-\[]|^[A-Z]")


def _protocol_error(exc: ValidationError, prefix: str) -> ProtocolError:
    first = exc.errors(include_url=False)[0]
    param = ".".join([prefix, *(str(p) for p in first["loc"] if not _SCHEMA_TAG.search(str(p)))])
    if first["type"] == "extra_forbidden":
        return ProtocolError(f"Unknown parameter: '{param}'.", code="unknown_parameter", param=param)
    return ProtocolError(f"Invalid value for '{param}': {first['msg']}.", code="invalid_value", param=param)

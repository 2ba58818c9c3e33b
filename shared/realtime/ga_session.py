"""Beta <-> GA shapes of the Realtime objects: the session, a response, response.create's parameters, items.

Every converter is pure, copies what it returns and converts only the keys present, so a partial
`session.update` stays partial and `turn_detection: null` (manual turns) stays an explicit null.
Keys a converter does not know pass through unchanged (forward compatibility). Each shape is one
table of `_Field(beta key, GA path, to_ga, from_ga)`; a GA path of `None` marks a beta-only key.

Decisions (the SDK types leave them open):
- Modalities: GA allows only `["audio"]` (audio with its transcript) or `["text"]`, so a beta list
  holding "audio" becomes `["audio"]`, and GA `["audio"]` comes back as beta `["text", "audio"]`.
- Formats: pcm16 <-> `{type: "audio/pcm", rate: 24000}`, g711_ulaw <-> `audio/pcmu`, g711_alaw <->
  `audio/pcma`; a GA format with another rate, or an unknown one, passes through as it is.
- Beta-only keys GA has no place for are dropped going to GA: `temperature` (GA removed it) and
  `client_secret` (GA mints those at `/realtime/client_secrets`); a transcription session also drops
  `modalities`. GA-only keys (`truncation`, `prompt`, `reasoning`, server_vad's `idle_timeout_ms`,
  ...) pass through to beta unchanged, so a GA session survives GA -> beta -> GA.
- `turn_detection` keeps only the keys GA defines for its `type` (semantic_vad has no threshold,
  padding or silence; eagerness is semantic_vad's only), since the GA service rejects unknown keys.
- `tool_choice`: the chat-style `{type: "function", function: {name}}` becomes GA's
  `{type: "function", name}`; strings and GA's own shape pass unchanged both ways.
- Usage: beta's shape is GA's minus `input_token_details.image_tokens` and `.cached_tokens_details`,
  which are dropped going to beta (nothing to add going to GA).
- Item content parts: `text` <-> `output_text`, `audio` <-> `output_audio` (only assistant messages
  carry them), whatever the role; everything else in an item is the same in both protocols.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

__all__ = [
    "format_from_ga",
    "format_to_ga",
    "item_from_ga",
    "item_to_ga",
    "modalities_from_ga",
    "modalities_to_ga",
    "response_from_ga",
    "response_params_from_ga",
    "response_params_to_ga",
    "response_to_ga",
    "session_from_ga",
    "session_to_ga",
    "tool_choice_to_ga",
    "transcription_session_to_ga",
    "turn_detection_to_ga",
    "usage_from_ga",
]

Converter = Callable[[Any], Any]

_FORMAT_TO_GA: Final[Mapping[str, Mapping[str, Any]]] = {
    "pcm16": {"type": "audio/pcm", "rate": 24000},
    "g711_ulaw": {"type": "audio/pcmu"},
    "g711_alaw": {"type": "audio/pcma"},
}
_FORMAT_FROM_GA: Final[Mapping[str, str]] = {
    "audio/pcm": "pcm16",
    "audio/pcmu": "g711_ulaw",
    "audio/pcma": "g711_alaw",
}
_PCM_RATE: Final = 24000

_VAD_KEYS: Final[Mapping[str, frozenset[str]]] = {
    "server_vad": frozenset(
        {
            "type",
            "threshold",
            "prefix_padding_ms",
            "silence_duration_ms",
            "idle_timeout_ms",
            "create_response",
            "interrupt_response",
        }
    ),
    "semantic_vad": frozenset({"type", "eagerness", "create_response", "interrupt_response"}),
}

_GA_ONLY_INPUT_TOKEN_DETAILS: Final = ("image_tokens", "cached_tokens_details")

_PART_TO_GA: Final[Mapping[str, str]] = {"text": "output_text", "audio": "output_audio"}
_PART_FROM_GA: Final[Mapping[str, str]] = {ga: beta for beta, ga in _PART_TO_GA.items()}


def _same(value: Any) -> Any:
    return copy.deepcopy(value)


def format_to_ga(value: Any) -> Any:
    """`"pcm16"` -> `{"type": "audio/pcm", "rate": 24000}`; g711_ulaw/alaw -> audio/pcmu/pcma."""
    if isinstance(value, str) and value in _FORMAT_TO_GA:
        return dict(_FORMAT_TO_GA[value])
    return copy.deepcopy(value)


def format_from_ga(value: Any) -> Any:
    """The reverse of `format_to_ga`; an `audio/pcm` rate other than 24 kHz has no beta name."""
    if isinstance(value, Mapping):
        name = _FORMAT_FROM_GA.get(value.get("type", ""))
        if name is not None and (name != "pcm16" or value.get("rate") in (None, _PCM_RATE)):
            return name
    return copy.deepcopy(value)


def modalities_to_ga(value: Any) -> Any:
    if isinstance(value, list):
        for modality in ("audio", "text"):
            if modality in value:
                return [modality]
    return copy.deepcopy(value)


def modalities_from_ga(value: Any) -> Any:
    if value == ["audio"]:
        return ["text", "audio"]
    return copy.deepcopy(value)


def turn_detection_to_ga(value: Any) -> Any:
    if isinstance(value, Mapping) and (keys := _VAD_KEYS.get(value.get("type", ""))) is not None:
        return {key: copy.deepcopy(v) for key, v in value.items() if key in keys}
    return copy.deepcopy(value)


def tool_choice_to_ga(value: Any) -> Any:
    if (
        isinstance(value, Mapping)
        and value.get("type") == "function"
        and isinstance(value.get("function"), Mapping)
    ):
        return {"type": "function", "name": value["function"].get("name")}
    return copy.deepcopy(value)


def usage_from_ga(usage: Any) -> Any:
    """GA usage less what beta's `RealtimeResponseUsage` lacks: input image tokens and the cached split."""
    out = copy.deepcopy(usage)
    details = out.get("input_token_details") if isinstance(out, dict) else None
    if isinstance(details, dict):
        for key in _GA_ONLY_INPUT_TOKEN_DETAILS:
            details.pop(key, None)
    return out


def _parts(item: Mapping[str, Any], table: Mapping[str, str]) -> dict[str, Any]:
    out = copy.deepcopy(dict(item))
    content = out.get("content")
    if isinstance(content, list):
        for part in content:
            if isinstance(part, dict) and part.get("type") in table:
                part["type"] = table[part["type"]]
    return out


def item_to_ga(item: Mapping[str, Any]) -> dict[str, Any]:
    """A beta conversation item -> GA: assistant parts `text`/`audio` -> `output_text`/`output_audio`."""
    return _parts(item, _PART_TO_GA)


def item_from_ga(item: Mapping[str, Any]) -> dict[str, Any]:
    return _parts(item, _PART_FROM_GA)


def _items_to_ga(items: Any) -> Any:
    return (
        [item_to_ga(i) if isinstance(i, Mapping) else i for i in items] if isinstance(items, list) else items
    )


def _items_from_ga(items: Any) -> Any:
    return (
        [item_from_ga(i) if isinstance(i, Mapping) else i for i in items]
        if isinstance(items, list)
        else items
    )


@dataclass(frozen=True)
class _Field:
    beta: str
    ga: tuple[str, ...] | None
    to_ga: Converter = field(default=_same)
    from_ga: Converter = field(default=_same)


_AUDIO_IN: Final = ("audio", "input")
_AUDIO_OUT: Final = ("audio", "output")
_INPUT_AUDIO_FIELDS: Final = (
    _Field("input_audio_format", (*_AUDIO_IN, "format"), format_to_ga, format_from_ga),
    _Field("input_audio_transcription", (*_AUDIO_IN, "transcription")),
    _Field("input_audio_noise_reduction", (*_AUDIO_IN, "noise_reduction")),
    _Field("turn_detection", (*_AUDIO_IN, "turn_detection"), turn_detection_to_ga),
)
_OUTPUT_FIELDS: Final = (
    _Field("modalities", ("output_modalities",), modalities_to_ga, modalities_from_ga),
    _Field("output_audio_format", (*_AUDIO_OUT, "format"), format_to_ga, format_from_ga),
    _Field("voice", (*_AUDIO_OUT, "voice")),
    _Field("temperature", None),
)
_SESSION: Final = (
    *_INPUT_AUDIO_FIELDS,
    *_OUTPUT_FIELDS,
    _Field("speed", (*_AUDIO_OUT, "speed")),
    _Field("max_response_output_tokens", ("max_output_tokens",)),
    _Field("tool_choice", ("tool_choice",), tool_choice_to_ga),
    _Field("client_secret", None),
)
_TRANSCRIPTION_SESSION: Final = (
    *_INPUT_AUDIO_FIELDS,
    _Field("modalities", None),
    _Field("client_secret", None),
)
_RESPONSE: Final = (
    *_OUTPUT_FIELDS,
    _Field("output", ("output",), _items_to_ga, _items_from_ga),
    _Field("usage", ("usage",), _same, usage_from_ga),
)
_RESPONSE_PARAMS: Final = (
    *_OUTPUT_FIELDS,
    _Field("max_response_output_tokens", ("max_output_tokens",)),
    _Field("tool_choice", ("tool_choice",), tool_choice_to_ga),
    _Field("input", ("input",), _items_to_ga, _items_from_ga),
)


def _set_path(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        child = target.get(key)
        if not isinstance(child, dict):
            child = target[key] = {}
        target = child
    target[path[-1]] = value


def _pop_path(source: dict[str, Any], path: tuple[str, ...]) -> tuple[bool, Any]:
    """Remove `path` from `source` (and the containers it leaves empty); (found, value)."""
    head, *rest = path
    if head not in source:
        return False, None
    if not rest:
        return True, source.pop(head)
    child = source[head]
    if not isinstance(child, dict):
        return False, None
    found, value = _pop_path(child, tuple(rest))
    if found and not child:
        del source[head]
    return found, value


def _to_ga(obj: Mapping[str, Any], fields: tuple[_Field, ...]) -> dict[str, Any]:
    mapped = {f.beta for f in fields}
    out = {key: copy.deepcopy(value) for key, value in obj.items() if key not in mapped}
    for f in fields:
        if f.ga is not None and f.beta in obj:
            _set_path(out, f.ga, f.to_ga(obj[f.beta]))
    return out


def _from_ga(obj: Mapping[str, Any], fields: tuple[_Field, ...]) -> dict[str, Any]:
    rest = copy.deepcopy(dict(obj))
    out: dict[str, Any] = {}
    for f in fields:
        if f.ga is not None:
            found, value = _pop_path(rest, f.ga)
            if found:
                out[f.beta] = f.from_ga(value)
    return {**rest, **out}


def session_to_ga(session: Mapping[str, Any]) -> dict[str, Any]:
    """A beta session (session.update / session.created / session.updated) -> a GA `realtime` session."""
    return {"type": "realtime", **_to_ga(session, _SESSION)}


def transcription_session_to_ga(session: Mapping[str, Any]) -> dict[str, Any]:
    """A beta transcription session (transcription_session.update/updated) -> a GA `transcription` one."""
    return {"type": "transcription", **_to_ga(session, _TRANSCRIPTION_SESSION)}


def session_from_ga(session: Mapping[str, Any]) -> dict[str, Any]:
    """A GA session (`realtime` or `transcription`) -> the beta shape, without `type`."""
    beta = _from_ga(session, _SESSION)
    beta.pop("type", None)
    return beta


def response_to_ga(response: Mapping[str, Any]) -> dict[str, Any]:
    """A beta response object (response.created / response.done) -> GA; its output items too."""
    return _to_ga(response, _RESPONSE)


def response_from_ga(response: Mapping[str, Any]) -> dict[str, Any]:
    return _from_ga(response, _RESPONSE)


def response_params_to_ga(params: Mapping[str, Any]) -> dict[str, Any]:
    """response.create's `response` -> GA (modalities, voice, output format, max tokens, input items)."""
    return _to_ga(params, _RESPONSE_PARAMS)


def response_params_from_ga(params: Mapping[str, Any]) -> dict[str, Any]:
    return _from_ga(params, _RESPONSE_PARAMS)

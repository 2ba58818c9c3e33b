"""Typed Realtime client events (beta names): one model per event type and one parse function.

The emulator serves them and store_realtime reads them from the page; both answer a bad event with the
protocol's own `error` event (`ProtocolError.event()`), and the session stays open.
"""

from __future__ import annotations

import json
import secrets
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

__all__ = [
    "ClientEvent",
    "ContentPart",
    "ConversationItemCreate",
    "ConversationItemDelete",
    "ConversationItemRetrieve",
    "ConversationItemTruncate",
    "FunctionCallItem",
    "FunctionCallOutputItem",
    "InputAudioBufferAppend",
    "InputAudioBufferClear",
    "InputAudioBufferCommit",
    "Item",
    "MessageItem",
    "ProtocolError",
    "ResponseCancel",
    "ResponseCreate",
    "SessionUpdate",
    "error_event",
    "new_id",
    "parse_client_event",
]


def new_id(prefix: str) -> str:
    """`event_…`, `item_…`, `resp_…`: the prefixes the real service uses, 22 random characters after."""
    return f"{prefix}_{secrets.token_urlsafe(16)[:22]}"


class ProtocolError(Exception):
    """A client event the server refuses; sent back as an `error` event."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid_value",
        param: str | None = None,
        event_id: str | None = None,
        error_type: str = "invalid_request_error",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.param = param
        self.event_id = event_id
        self.error_type = error_type

    def event(self) -> dict[str, Any]:
        return error_event(self.message, self.code, param=self.param, event_id=self.event_id)


def error_event(
    message: str,
    code: str,
    *,
    param: str | None = None,
    event_id: str | None = None,
    error_type: str = "invalid_request_error",
) -> dict[str, Any]:
    return {
        "event_id": new_id("event"),
        "type": "error",
        "error": {"type": error_type, "code": code, "message": message, "param": param, "event_id": event_id},
    }


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Event(_Strict):
    event_id: str | None = None


class ContentPart(_Strict):
    type: Literal["input_text", "input_audio", "text", "audio", "item_reference"]
    text: str | None = None
    audio: str | None = None
    transcript: str | None = None
    id: str | None = None


class MessageItem(_Strict):
    type: Literal["message"] = "message"
    id: str | None = None
    object: Literal["realtime.item"] | None = None
    status: Literal["completed", "incomplete", "in_progress"] | None = None
    role: Literal["user", "assistant", "system"]
    content: list[ContentPart] = Field(default_factory=list)


class FunctionCallItem(_Strict):
    type: Literal["function_call"]
    id: str | None = None
    object: Literal["realtime.item"] | None = None
    status: Literal["completed", "incomplete", "in_progress"] | None = None
    call_id: str
    name: str
    arguments: str = ""


class FunctionCallOutputItem(_Strict):
    type: Literal["function_call_output"]
    id: str | None = None
    object: Literal["realtime.item"] | None = None
    status: Literal["completed", "incomplete", "in_progress"] | None = None
    call_id: str
    output: str


Item = Annotated[MessageItem | FunctionCallItem | FunctionCallOutputItem, Field(discriminator="type")]


class SessionUpdate(_Event):
    """The session fields are checked by whoever applies them (the emulator's config, the relay's policy)."""

    type: Literal["session.update"]
    session: dict[str, Any]


class InputAudioBufferAppend(_Event):
    type: Literal["input_audio_buffer.append"]
    audio: str


class InputAudioBufferCommit(_Event):
    type: Literal["input_audio_buffer.commit"]


class InputAudioBufferClear(_Event):
    type: Literal["input_audio_buffer.clear"]


class ConversationItemCreate(_Event):
    type: Literal["conversation.item.create"]
    previous_item_id: str | None = None
    item: Item


class ConversationItemTruncate(_Event):
    type: Literal["conversation.item.truncate"]
    item_id: str
    content_index: int = Field(0, ge=0)
    audio_end_ms: int = Field(ge=0)


class ConversationItemDelete(_Event):
    type: Literal["conversation.item.delete"]
    item_id: str


class ConversationItemRetrieve(_Event):
    type: Literal["conversation.item.retrieve"]
    item_id: str


class ResponseCreate(_Event):
    type: Literal["response.create"]
    response: dict[str, Any] | None = None


class ResponseCancel(_Event):
    type: Literal["response.cancel"]
    response_id: str | None = None


ClientEvent = Annotated[
    SessionUpdate
    | InputAudioBufferAppend
    | InputAudioBufferCommit
    | InputAudioBufferClear
    | ConversationItemCreate
    | ConversationItemTruncate
    | ConversationItemDelete
    | ConversationItemRetrieve
    | ResponseCreate
    | ResponseCancel,
    Field(discriminator="type"),
]

_ADAPTER: TypeAdapter[ClientEvent] = TypeAdapter(ClientEvent)
_TYPES = sorted(
    str(model.model_fields["type"].annotation.__args__[0])  # type: ignore[union-attr]
    for model in (
        SessionUpdate,
        InputAudioBufferAppend,
        InputAudioBufferCommit,
        InputAudioBufferClear,
        ConversationItemCreate,
        ConversationItemTruncate,
        ConversationItemDelete,
        ConversationItemRetrieve,
        ResponseCreate,
        ResponseCancel,
    )
)


_ITEM_TAGS = {"message", "function_call", "function_call_output"}


def parse_client_event(data: str | bytes | dict[str, Any]) -> ClientEvent:
    """One client event, or ProtocolError with the code the real service would use."""
    if isinstance(data, dict):
        raw = data
    else:
        try:
            raw = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ProtocolError(f"The event is not valid JSON: {exc}", code="invalid_json") from None
    if not isinstance(raw, dict):
        raise ProtocolError("An event must be a JSON object.", code="invalid_event")
    event_id = raw.get("event_id") if isinstance(raw.get("event_id"), str) else None
    kind = raw.get("type")
    if kind not in _TYPES:
        raise ProtocolError(
            f"Invalid value: {kind!r}. Supported values are: {', '.join(repr(t) for t in _TYPES)}.",
            code="invalid_value",
            param="type",
            event_id=event_id,
        )
    try:
        return _ADAPTER.validate_python(raw)
    except ValidationError as exc:
        raise _translate(exc, event_id) from None


def _translate(exc: ValidationError, event_id: str | None) -> ProtocolError:
    first = exc.errors(include_url=False)[0]
    loc = [str(part) for part in first["loc"][1:]]  # the first element is the union tag
    loc = [part for part in loc if part not in _ITEM_TAGS]
    param = ".".join(loc) or None
    if first["type"] == "extra_forbidden":
        return ProtocolError(
            f"Unknown parameter: '{param}'.", code="unknown_parameter", param=param, event_id=event_id
        )
    if first["type"] == "missing":
        return ProtocolError(
            f"Missing required parameter: '{param}'.",
            code="missing_required_parameter",
            param=param,
            event_id=event_id,
        )
    return ProtocolError(
        f"Invalid value for '{param}': {first['msg']}.", code="invalid_value", param=param, event_id=event_id
    )

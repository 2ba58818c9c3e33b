"""Beta <-> GA Realtime events, client and server, in both directions (shapes in `ga_session`).

Client events are translated one by one (`client_event_to_ga`, `client_event_from_ga`). Server
events go through a per-connection translator, because GA's `response.function_call_arguments.done`
carries the function's `name` and GA tells an item's completion apart (`conversation.item.done`),
while beta announces an item once (`conversation.item.created`). Types no table knows pass through
unchanged in both directions. Every type in the SDK unions (openai.types.beta.realtime and
openai.types.realtime, `RealtimeServerEvent` / `RealtimeClientEvent`) is handled as follows.

Server, beta -> GA (`ServerEventsToGa`)
    session.created, session.updated ............ same type, session via `session_to_ga`
    transcription_session.updated (and .created,   session.updated (session.created) with a
      seen from the beta service, not in the SDK)    `transcription` session
    conversation.item.created ................... conversation.item.added, then at once
                                                  conversation.item.done when the item is not
                                                  in_progress (user and client-created items);
                                                  an in_progress output item gets its .done just
                                                  before its response.output_item.done (or, if
                                                  that never comes, before response.done) - the
                                                  order the GA service uses
    conversation.item.retrieved ................. same, item converted
    conversation.item.deleted ................... unchanged (a pending .done is forgotten)
    response.created, response.done ............. same, response via `response_to_ga`
    response.output_item.added .................. same, item converted; a call's name remembered
    response.output_item.done ................... [conversation.item.done] + same, item converted
    response.function_call_arguments.done ....... same plus `name` (by item_id, else call_id)
    response.text.delta/.done ................... response.output_text.delta/.done
    response.audio.delta/.done .................. response.output_audio.delta/.done
    response.audio_transcript.delta/.done ....... response.output_audio_transcript.delta/.done
    response.content_part.added/.done ........... unchanged: GA parts are still `text`/`audio`
    conversation.created, conversation.item.truncated,
    conversation.item.input_audio_transcription.completed/.delta/.failed,
    input_audio_buffer.committed/.cleared/.speech_started/.speech_stopped,
    output_audio_buffer.started/.stopped/.cleared, rate_limits.updated, error,
    response.function_call_arguments.delta ...... unchanged (the same in both protocols)

Server, GA -> beta (`ServerEventsFromGa`)
    session.created, session.updated ............ same type (transcription_session.created /
                                                  .updated for a `transcription` session),
                                                  session via `session_from_ga`
    conversation.item.added ..................... conversation.item.created, once per item id
    conversation.item.created ................... conversation.item.created, once per item id
    conversation.item.done ...................... nothing, or conversation.item.created when no
                                                  .added/.created announced the item
    conversation.item.deleted ................... unchanged (the item id is forgotten)
    conversation.item.retrieved, response.output_item.added/.done ... item converted
    response.created, response.done ............. response via `response_from_ga`
    response.function_call_arguments.done ....... without `name`
    response.output_text.* / output_audio.* / output_audio_transcript.* ... beta names
    response.content_part.added/.done ........... unchanged (an `output_text`/`output_audio`
                                                  part type, if a server sends one, is renamed)
    input_audio_buffer.timeout_triggered, input_audio_buffer.dtmf_event_received,
    conversation.item.input_audio_transcription.segment, mcp_list_tools.in_progress/.completed/
    .failed, response.mcp_call_arguments.delta/.done, response.mcp_call.in_progress/.completed/
    .failed ..................................... dropped: beta has no counterpart (kept
                                                  unchanged with `keep_ga_only=True`)
    the remaining types, as in beta -> GA ....... unchanged

Client, beta <-> GA (`client_event_to_ga` / `client_event_from_ga`)
    session.update .............................. session via `session_to_ga` / `session_from_ga`
    transcription_session.update ................ session.update with a `transcription` session
                                                  (and back, by the session's `type`)
    conversation.item.create .................... item converted
    response.create ............................. `response` via `response_params_to_ga` / _from_ga
    input_audio_buffer.append/.commit/.clear, output_audio_buffer.clear,
    conversation.item.truncate/.delete/.retrieve, response.cancel ... unchanged

A synthesized event's `event_id` is derived from the event that caused it, so translation stays pure.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any, Final

from shared.realtime.ga_session import (
    item_from_ga,
    item_to_ga,
    response_from_ga,
    response_params_from_ga,
    response_params_to_ga,
    response_to_ga,
    session_from_ga,
    session_to_ga,
    transcription_session_to_ga,
)

__all__ = [
    "GA_ONLY_SERVER_EVENTS",
    "SAME_SERVER_EVENTS",
    "SERVER_RENAMES_TO_GA",
    "ServerEventsFromGa",
    "ServerEventsToGa",
    "client_event_from_ga",
    "client_event_to_ga",
]

Event = dict[str, Any]

SERVER_RENAMES_TO_GA: Final[Mapping[str, str]] = {
    "response.text.delta": "response.output_text.delta",
    "response.text.done": "response.output_text.done",
    "response.audio.delta": "response.output_audio.delta",
    "response.audio.done": "response.output_audio.done",
    "response.audio_transcript.delta": "response.output_audio_transcript.delta",
    "response.audio_transcript.done": "response.output_audio_transcript.done",
}
_RENAMES_FROM_GA: Final[Mapping[str, str]] = {ga: beta for beta, ga in SERVER_RENAMES_TO_GA.items()}

GA_ONLY_SERVER_EVENTS: Final = frozenset(
    {
        "input_audio_buffer.timeout_triggered",
        "input_audio_buffer.dtmf_event_received",
        "conversation.item.input_audio_transcription.segment",
        "mcp_list_tools.in_progress",
        "mcp_list_tools.completed",
        "mcp_list_tools.failed",
        "response.mcp_call_arguments.delta",
        "response.mcp_call_arguments.done",
        "response.mcp_call.in_progress",
        "response.mcp_call.completed",
        "response.mcp_call.failed",
    }
)
SAME_SERVER_EVENTS: Final = frozenset(
    {
        "conversation.created",
        "conversation.item.truncated",
        "conversation.item.input_audio_transcription.completed",
        "conversation.item.input_audio_transcription.delta",
        "conversation.item.input_audio_transcription.failed",
        "input_audio_buffer.committed",
        "input_audio_buffer.cleared",
        "input_audio_buffer.speech_started",
        "input_audio_buffer.speech_stopped",
        "output_audio_buffer.started",
        "output_audio_buffer.stopped",
        "output_audio_buffer.cleared",
        "rate_limits.updated",
        "error",
        "response.function_call_arguments.delta",
    }
)
"""Server events whose type and shape are the same in beta and GA."""
_SESSION_EVENTS_TO_GA: Final[Mapping[str, str]] = {
    "transcription_session.created": "session.created",
    "transcription_session.updated": "session.updated",
}
_TRANSCRIPTION_EVENTS_FROM_GA: Final[Mapping[str, str]] = {
    ga: beta for beta, ga in _SESSION_EVENTS_TO_GA.items()
}
_GA_PART_TYPES: Final[Mapping[str, str]] = {"output_text": "text", "output_audio": "audio"}
_MAX_ANNOUNCED: Final = 4096


def _with(event: Mapping[str, Any], **changes: Any) -> Event:
    """A deep copy of `event` with `changes` applied (the changed values are used as given)."""
    return {**{key: copy.deepcopy(value) for key, value in event.items() if key not in changes}, **changes}


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _item_ref(item: Mapping[str, Any]) -> str | None:
    item_id = item.get("id")
    return item_id if isinstance(item_id, str) else None


# --- client events ---------------------------------------------------------------------------------


def _convert_key(
    key: str, convert: Callable[[Mapping[str, Any]], Event]
) -> Callable[[Mapping[str, Any]], Event]:
    def handler(event: Mapping[str, Any]) -> Event:
        value = event.get(key)
        return _with(event, **{key: convert(value)}) if isinstance(value, Mapping) else _with(event)

    return handler


def _transcription_update_to_ga(event: Mapping[str, Any]) -> Event:
    return _with(
        event, type="session.update", session=transcription_session_to_ga(_mapping(event.get("session")))
    )


def _session_update_from_ga(event: Mapping[str, Any]) -> Event:
    session = _mapping(event.get("session"))
    kind = "transcription_session.update" if session.get("type") == "transcription" else "session.update"
    return _with(event, type=kind, session=session_from_ga(session))


_CLIENT_TO_GA: Final[Mapping[str, Callable[[Mapping[str, Any]], Event]]] = {
    "session.update": lambda event: _with(event, session=session_to_ga(_mapping(event.get("session")))),
    "transcription_session.update": _transcription_update_to_ga,
    "conversation.item.create": _convert_key("item", item_to_ga),
    "response.create": _convert_key("response", response_params_to_ga),
}
_CLIENT_FROM_GA: Final[Mapping[str, Callable[[Mapping[str, Any]], Event]]] = {
    "session.update": _session_update_from_ga,
    "conversation.item.create": _convert_key("item", item_from_ga),
    "response.create": _convert_key("response", response_params_from_ga),
}


def _translate_client(
    event: Mapping[str, Any], table: Mapping[str, Callable[[Mapping[str, Any]], Event]]
) -> Event:
    kind = event.get("type")
    handler = table.get(kind) if isinstance(kind, str) else None
    return handler(event) if handler is not None else _with(event)


def client_event_to_ga(event: Mapping[str, Any]) -> Event:
    """A beta client event -> its GA form (a copy; unknown types unchanged)."""
    return _translate_client(event, _CLIENT_TO_GA)


def client_event_from_ga(event: Mapping[str, Any]) -> Event:
    """A GA client event -> its beta form (a copy; unknown types unchanged)."""
    return _translate_client(event, _CLIENT_FROM_GA)


# --- server events, beta -> GA ---------------------------------------------------------------------


def _unchanged(_state: object, event: Mapping[str, Any]) -> list[Event]:
    return [_with(event)]


def _renamed(table: Mapping[str, str]) -> Callable[[object, Mapping[str, Any]], list[Event]]:
    def handler(_state: object, event: Mapping[str, Any]) -> list[Event]:
        return [_with(event, type=table[event["type"]])]

    return handler


def _item_converted(
    convert: Callable[[Mapping[str, Any]], Event],
) -> Callable[[object, Mapping[str, Any]], list[Event]]:
    convert_item = _convert_key("item", convert)

    def handler(_state: object, event: Mapping[str, Any]) -> list[Event]:
        return [convert_item(event)]

    return handler


class ServerEventsToGa:
    """Stateful per connection: beta server events -> GA server events."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        """A function call's name, by item id and by call id, from its announcement to its done."""
        self._pending: dict[str, dict[str, Any]] = {}
        """Output items announced in_progress, awaiting their conversation.item.done: the fields
        (previous_item_id) that .added carried."""

    def translate(self, event: Mapping[str, Any]) -> list[Event]:
        kind = event.get("type")
        handler = _SERVER_TO_GA.get(kind) if isinstance(kind, str) else None
        return handler(self, event) if handler is not None else [_with(event)]

    def _remember_name(self, item: Mapping[str, Any]) -> None:
        name = item.get("name")
        if item.get("type") == "function_call" and isinstance(name, str):
            for key in (item.get("id"), item.get("call_id")):
                if isinstance(key, str):
                    self._names[key] = name

    def _item_done(self, cause: Mapping[str, Any], item: Mapping[str, Any]) -> list[Event]:
        item_id = _item_ref(item)
        extra = self._pending.pop(item_id, None) if item_id is not None else None
        if extra is None:
            return []
        event_id = f"{cause.get('event_id') or 'event'}_done_{item_id}"
        return [
            {"type": "conversation.item.done", "event_id": event_id, **extra, "item": copy.deepcopy(item)}
        ]

    def _session(self, event: Mapping[str, Any]) -> list[Event]:
        return [_with(event, session=session_to_ga(_mapping(event.get("session"))))]

    def _transcription_session(self, event: Mapping[str, Any]) -> list[Event]:
        session = transcription_session_to_ga(_mapping(event.get("session")))
        return [_with(event, type=_SESSION_EVENTS_TO_GA[event["type"]], session=session)]

    def _item_created(self, event: Mapping[str, Any]) -> list[Event]:
        item = item_to_ga(_mapping(event.get("item")))
        self._remember_name(item)
        added = _with(event, type="conversation.item.added", item=item)
        item_id = _item_ref(item)
        if item_id is None:
            return [added]
        self._pending[item_id] = {
            key: copy.deepcopy(event[key]) for key in ("previous_item_id",) if key in event
        }
        return [added] if item.get("status") == "in_progress" else [added, *self._item_done(event, item)]

    def _output_item_added(self, event: Mapping[str, Any]) -> list[Event]:
        item = item_to_ga(_mapping(event.get("item")))
        self._remember_name(item)
        return [_with(event, item=item)]

    def _output_item_done(self, event: Mapping[str, Any]) -> list[Event]:
        item = item_to_ga(_mapping(event.get("item")))
        for key in (item.get("id"), item.get("call_id")):
            if isinstance(key, str):
                self._names.pop(key, None)
        return [*self._item_done(event, item), _with(event, item=item)]

    def _arguments_done(self, event: Mapping[str, Any]) -> list[Event]:
        if "name" in event:
            return [_with(event)]
        name = next(
            (self._names[k] for k in (event.get("item_id"), event.get("call_id")) if k in self._names), None
        )
        return [_with(event, name=name)] if name is not None else [_with(event)]

    def _response(self, event: Mapping[str, Any]) -> list[Event]:
        response = response_to_ga(_mapping(event.get("response")))
        output = response.get("output") if event.get("type") == "response.done" else None
        done = [
            ev for item in output or () if isinstance(item, Mapping) for ev in self._item_done(event, item)
        ]
        return [*done, _with(event, response=response)]

    def _item_deleted(self, event: Mapping[str, Any]) -> list[Event]:
        item_id = event.get("item_id")
        if isinstance(item_id, str):
            self._pending.pop(item_id, None)
        return [_with(event)]


_ToGaHandler = Callable[[ServerEventsToGa, Mapping[str, Any]], list[Event]]
_SERVER_TO_GA: Final[Mapping[str, _ToGaHandler]] = {
    "session.created": ServerEventsToGa._session,
    "session.updated": ServerEventsToGa._session,
    "transcription_session.created": ServerEventsToGa._transcription_session,
    "transcription_session.updated": ServerEventsToGa._transcription_session,
    "conversation.item.created": ServerEventsToGa._item_created,
    "conversation.item.retrieved": _item_converted(item_to_ga),
    "conversation.item.deleted": ServerEventsToGa._item_deleted,
    "response.created": ServerEventsToGa._response,
    "response.done": ServerEventsToGa._response,
    "response.output_item.added": ServerEventsToGa._output_item_added,
    "response.output_item.done": ServerEventsToGa._output_item_done,
    "response.function_call_arguments.done": ServerEventsToGa._arguments_done,
    **dict.fromkeys(SERVER_RENAMES_TO_GA, _renamed(SERVER_RENAMES_TO_GA)),
    **dict.fromkeys(SAME_SERVER_EVENTS, _unchanged),
    "response.content_part.added": _unchanged,
    "response.content_part.done": _unchanged,
}


# --- server events, GA -> beta ---------------------------------------------------------------------


class ServerEventsFromGa:
    """Stateful per connection: GA server events -> beta server events.

    `keep_ga_only` passes the GA-only events (`GA_ONLY_SERVER_EVENTS`) through instead of dropping them.
    """

    def __init__(self, *, keep_ga_only: bool = False) -> None:
        self.keep_ga_only = keep_ga_only
        self._announced: dict[str, None] = {}
        """Item ids already sent as conversation.item.created (an ordered set, oldest first)."""

    def translate(self, event: Mapping[str, Any]) -> list[Event]:
        kind = event.get("type")
        handler = _SERVER_FROM_GA.get(kind) if isinstance(kind, str) else None
        return handler(self, event) if handler is not None else [_with(event)]

    def _announce(self, event: Mapping[str, Any], *, always: bool) -> list[Event]:
        item = item_from_ga(_mapping(event.get("item")))
        item_id = _item_ref(item)
        if item_id is None:
            return [_with(event, type="conversation.item.created", item=item)] if always else []
        if item_id in self._announced:
            return []
        self._announced[item_id] = None
        if len(self._announced) > _MAX_ANNOUNCED:
            del self._announced[next(iter(self._announced))]
        return [_with(event, type="conversation.item.created", item=item)]

    def _item_added(self, event: Mapping[str, Any]) -> list[Event]:
        return self._announce(event, always=True)

    def _item_done(self, event: Mapping[str, Any]) -> list[Event]:
        return self._announce(event, always=False)

    def _item_deleted(self, event: Mapping[str, Any]) -> list[Event]:
        item_id = event.get("item_id")
        if isinstance(item_id, str):
            self._announced.pop(item_id, None)
        return [_with(event)]

    def _session(self, event: Mapping[str, Any]) -> list[Event]:
        session = _mapping(event.get("session"))
        kind = event["type"]
        if session.get("type") == "transcription":
            kind = _TRANSCRIPTION_EVENTS_FROM_GA[kind]
        return [_with(event, type=kind, session=session_from_ga(session))]

    def _response(self, event: Mapping[str, Any]) -> list[Event]:
        return [_with(event, response=response_from_ga(_mapping(event.get("response"))))]

    def _arguments_done(self, event: Mapping[str, Any]) -> list[Event]:
        return [{key: copy.deepcopy(value) for key, value in event.items() if key != "name"}]

    def _content_part(self, event: Mapping[str, Any]) -> list[Event]:
        part = copy.deepcopy(dict(_mapping(event.get("part"))))
        if part.get("type") in _GA_PART_TYPES:
            part["type"] = _GA_PART_TYPES[part["type"]]
        return [_with(event, part=part)] if "part" in event else [_with(event)]

    def _ga_only(self, event: Mapping[str, Any]) -> list[Event]:
        return [_with(event)] if self.keep_ga_only else []


_FromGaHandler = Callable[[ServerEventsFromGa, Mapping[str, Any]], list[Event]]
_SERVER_FROM_GA: Final[Mapping[str, _FromGaHandler]] = {
    "session.created": ServerEventsFromGa._session,
    "session.updated": ServerEventsFromGa._session,
    "conversation.item.added": ServerEventsFromGa._item_added,
    "conversation.item.created": ServerEventsFromGa._item_added,
    "conversation.item.done": ServerEventsFromGa._item_done,
    "conversation.item.deleted": ServerEventsFromGa._item_deleted,
    "conversation.item.retrieved": _item_converted(item_from_ga),
    "response.output_item.added": _item_converted(item_from_ga),
    "response.output_item.done": _item_converted(item_from_ga),
    "response.created": ServerEventsFromGa._response,
    "response.done": ServerEventsFromGa._response,
    "response.function_call_arguments.done": ServerEventsFromGa._arguments_done,
    "response.content_part.added": ServerEventsFromGa._content_part,
    "response.content_part.done": ServerEventsFromGa._content_part,
    **dict.fromkeys(_RENAMES_FROM_GA, _renamed(_RENAMES_FROM_GA)),
    **dict.fromkeys(GA_ONLY_SERVER_EVENTS, ServerEventsFromGa._ga_only),
    **dict.fromkeys(SAME_SERVER_EVENTS, _unchanged),
}

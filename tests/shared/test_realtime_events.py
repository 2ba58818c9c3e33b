"""Client events: typed parsing, and the protocol's error codes for what does not parse."""

from __future__ import annotations

import json

import pytest

from shared.realtime.events import (
    ConversationItemCreate,
    FunctionCallOutputItem,
    InputAudioBufferAppend,
    MessageItem,
    ProtocolError,
    new_id,
    parse_client_event,
)


def test_events_parse_into_their_own_types() -> None:
    append = parse_client_event('{"type": "input_audio_buffer.append", "audio": "AAAA", "event_id": "e1"}')
    assert isinstance(append, InputAudioBufferAppend) and append.event_id == "e1"
    create = parse_client_event(
        {
            "type": "conversation.item.create",
            "item": {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]},
        }
    )
    assert isinstance(create, ConversationItemCreate) and isinstance(create.item, MessageItem)
    output = parse_client_event(
        {
            "type": "conversation.item.create",
            "item": {"type": "function_call_output", "call_id": "c", "output": "{}"},
        }
    )
    assert isinstance(output, ConversationItemCreate) and isinstance(output.item, FunctionCallOutputItem)


@pytest.mark.parametrize(
    ("raw", "code", "param"),
    [
        ("{", "invalid_json", None),
        ("[1]", "invalid_event", None),
        ('{"type": "session.delete"}', "invalid_value", "type"),
        ('{"type": "input_audio_buffer.append"}', "missing_required_parameter", "audio"),
        ('{"type": "input_audio_buffer.commit", "extra": 1}', "unknown_parameter", "extra"),
        (
            json.dumps(
                {"type": "conversation.item.create", "item": {"type": "function_call_output", "output": "x"}}
            ),
            "missing_required_parameter",
            "item.call_id",
        ),
        (
            json.dumps(
                {
                    "type": "conversation.item.create",
                    "item": {
                        "type": "message",
                        "role": "user",
                        "content": [{"type": "input_text", "txt": "x"}],
                    },
                }
            ),
            "unknown_parameter",
            "item.content.0.txt",
        ),
        (
            json.dumps({"type": "conversation.item.truncate", "item_id": "i", "audio_end_ms": -5}),
            "invalid_value",
            "audio_end_ms",
        ),
    ],
)
def test_bad_events_name_the_code_and_parameter(raw: str, code: str, param: str | None) -> None:
    with pytest.raises(ProtocolError) as caught:
        parse_client_event(raw)
    assert (caught.value.code, caught.value.param) == (code, param)
    error = caught.value.event()
    assert error["type"] == "error" and error["error"]["code"] == code


def test_the_error_event_names_the_client_event_it_answers() -> None:
    with pytest.raises(ProtocolError) as caught:
        parse_client_event('{"type": "input_audio_buffer.commit", "event_id": "mine", "bogus": true}')
    assert caught.value.event()["error"]["event_id"] == "mine"


def test_ids_carry_the_services_prefixes_and_do_not_repeat() -> None:
    ids = {new_id("item") for _ in range(1000)}
    assert len(ids) == 1000 and all(i.startswith("item_") and len(i) == 27 for i in ids)

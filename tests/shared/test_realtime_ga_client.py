"""Client events and session shapes beta <-> GA, checked against the openai SDK's client event unions."""

from __future__ import annotations

import copy
from typing import Any

import openai.types.beta.realtime as beta_types
import openai.types.realtime as ga_types
import pytest

from shared.realtime.ga import (
    client_event_from_ga,
    client_event_to_ga,
    format_from_ga,
    session_from_ga,
    session_to_ga,
)
from tests.shared.sdk_conformance import conforms, union_models

Event = dict[str, Any]


SEARCH_TOOL = {
    "type": "function",
    "name": "search_products",
    "description": "Search the catalog.",
    "parameters": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]},
}
BETA_FULL_SESSION = {
    "modalities": ["text", "audio"],
    "instructions": "You are Contoso's shopping assistant.",
    "voice": "coral",
    "input_audio_format": "g711_ulaw",
    "output_audio_format": "g711_alaw",
    "input_audio_transcription": {"model": "whisper-1", "language": "en", "prompt": "hiking, boots"},
    "input_audio_noise_reduction": {"type": "far_field"},
    "turn_detection": {
        "type": "server_vad",
        "threshold": 0.6,
        "prefix_padding_ms": 300,
        "silence_duration_ms": 700,
        "create_response": True,
        "interrupt_response": True,
    },
    "tools": [SEARCH_TOOL],
    "tool_choice": "auto",
    "temperature": 0.8,
    "max_response_output_tokens": 4096,
    "speed": 1.1,
    "tracing": "auto",
}
GA_FULL_SESSION = {
    "type": "realtime",
    "output_modalities": ["audio"],
    "instructions": "You are Contoso's shopping assistant.",
    "audio": {
        "input": {
            "format": {"type": "audio/pcmu"},
            "transcription": {"model": "whisper-1", "language": "en", "prompt": "hiking, boots"},
            "noise_reduction": {"type": "far_field"},
            "turn_detection": BETA_FULL_SESSION["turn_detection"],
        },
        "output": {"format": {"type": "audio/pcma"}, "voice": "coral", "speed": 1.1},
    },
    "tools": [SEARCH_TOOL],
    "tool_choice": "auto",
    "max_output_tokens": 4096,
    "tracing": "auto",
}
USER_TEXT = {
    "type": "message",
    "role": "user",
    "content": [{"type": "input_text", "text": "Do you have hiking boots?"}],
}
BETA_RESPONSE_PARAMS = {
    "modalities": ["text"],
    "instructions": "Answer in one sentence.",
    "voice": "alloy",
    "output_audio_format": "pcm16",
    "tools": [SEARCH_TOOL],
    "tool_choice": "required",
    "temperature": 0.7,
    "max_response_output_tokens": 200,
    "conversation": "none",
    "metadata": {"topic": "boots"},
    "input": [USER_TEXT],
}
BETA_CLIENT_EVENTS: list[Event] = [
    {"type": "session.update", "event_id": "c1", "session": BETA_FULL_SESSION},
    {
        "type": "transcription_session.update",
        "session": {
            "input_audio_format": "pcm16",
            "input_audio_transcription": {"model": "gpt-4o-transcribe", "language": "en", "prompt": ""},
            "input_audio_noise_reduction": {"type": "near_field"},
            "turn_detection": {"type": "server_vad", "threshold": 0.5, "silence_duration_ms": 500},
            "include": ["item.input_audio_transcription.logprobs"],
        },
    },
    {"type": "input_audio_buffer.append", "event_id": "c2", "audio": "AAAAAAAA"},
    {"type": "input_audio_buffer.commit", "event_id": "c3"},
    {"type": "input_audio_buffer.clear"},
    {"type": "output_audio_buffer.clear", "event_id": "c4"},
    {"type": "conversation.item.create", "event_id": "c5", "previous_item_id": None, "item": USER_TEXT},
    {
        "type": "conversation.item.create",
        "item": {
            "id": "item_c1",
            "type": "message",
            "role": "assistant",
            "content": [{"type": "text", "text": "Welcome to Contoso!"}],
        },
    },
    {
        "type": "conversation.item.create",
        "previous_item_id": "item_f1",
        "item": {"type": "function_call_output", "call_id": "call_1", "output": '{"results": 3}'},
    },
    {
        "type": "conversation.item.create",
        "item": {
            "type": "message",
            "role": "system",
            "content": [{"type": "input_text", "text": "Be brief."}],
        },
    },
    {"type": "conversation.item.truncate", "item_id": "item_a1", "content_index": 0, "audio_end_ms": 1500},
    {"type": "conversation.item.delete", "event_id": "c6", "item_id": "item_c1"},
    {"type": "conversation.item.retrieve", "item_id": "item_a1"},
    {"type": "response.create"},
    {"type": "response.create", "event_id": "c7", "response": BETA_RESPONSE_PARAMS},
    {"type": "response.cancel", "response_id": "resp_1"},
]
GA_CLIENT_EVENTS: list[Event] = [
    {"type": "session.update", "event_id": "g1", "session": GA_FULL_SESSION},
    {
        "type": "session.update",
        "session": {
            "type": "transcription",
            "audio": {
                "input": {
                    "format": {"type": "audio/pcm", "rate": 24000},
                    "transcription": {"model": "gpt-4o-mini-transcribe"},
                    "turn_detection": {"type": "server_vad"},
                }
            },
        },
    },
    {"type": "input_audio_buffer.append", "audio": "AAAAAAAA"},
    {"type": "input_audio_buffer.commit"},
    {"type": "input_audio_buffer.clear", "event_id": "g2"},
    {"type": "output_audio_buffer.clear"},
    {
        "type": "conversation.item.create",
        "item": {
            "type": "message",
            "role": "assistant",
            "content": [
                {"type": "output_text", "text": "Welcome!"},
                {"type": "output_audio", "transcript": "Hi"},
            ],
        },
    },
    {"type": "conversation.item.truncate", "item_id": "item_a1", "content_index": 0, "audio_end_ms": 900},
    {"type": "conversation.item.delete", "item_id": "item_a1"},
    {"type": "conversation.item.retrieve", "item_id": "item_a1"},
    {
        "type": "response.create",
        "response": {
            "output_modalities": ["audio"],
            "audio": {"output": {"format": {"type": "audio/pcm", "rate": 24000}, "voice": "verse"}},
            "max_output_tokens": "inf",
            "tool_choice": "none",
            "conversation": "auto",
            "input": [USER_TEXT],
        },
    },
    {"type": "response.cancel"},
]
BETA_ONLY_KEYS = {
    "modalities",
    "voice",
    "temperature",
    "speed",
    "input_audio_format",
    "output_audio_format",
    "input_audio_transcription",
    "input_audio_noise_reduction",
    "turn_detection",
    "max_response_output_tokens",
}


def lossless(event: Event) -> Event:
    """The beta event minus what GA has no place for: temperature."""
    out = copy.deepcopy(event)
    for key in ("session", "response"):
        if isinstance(out.get(key), dict):
            out[key].pop("temperature", None)
    return out


def test_the_samples_cover_both_client_unions() -> None:
    assert {e["type"] for e in BETA_CLIENT_EVENTS} == set(union_models(beta_types.RealtimeClientEvent))
    assert {e["type"] for e in GA_CLIENT_EVENTS} == set(union_models(ga_types.RealtimeClientEvent))


@pytest.mark.parametrize("event", BETA_CLIENT_EVENTS, ids=[e["type"] for e in BETA_CLIENT_EVENTS])
def test_beta_client_event_to_ga_conforms_and_comes_back(event: Event) -> None:
    conforms(event, beta_types.RealtimeClientEvent)
    ga = client_event_to_ga(event)
    conforms(ga, ga_types.RealtimeClientEvent)
    for key in ("session", "response"):
        assert not BETA_ONLY_KEYS & set(ga.get(key) or {})
    for part in ga.get("item", {}).get("content", []):
        assert part["type"] not in ("text", "audio")
    for key in (
        "event_id",
        "previous_item_id",
        "item_id",
        "audio",
        "audio_end_ms",
        "content_index",
        "response_id",
    ):
        assert ga.get(key) == event.get(key)
    assert client_event_from_ga(ga) == lossless(event)


@pytest.mark.parametrize("event", GA_CLIENT_EVENTS, ids=[e["type"] for e in GA_CLIENT_EVENTS])
def test_ga_client_event_to_beta_conforms_and_comes_back(event: Event) -> None:
    conforms(event, ga_types.RealtimeClientEvent)
    beta = client_event_from_ga(event)
    conforms(beta, beta_types.RealtimeClientEvent)
    for key in ("session", "response"):
        assert not {"type", "output_modalities", "audio", "max_output_tokens"} & set(beta.get(key) or {})
    assert client_event_to_ga(beta) == event


def test_a_full_session_update_takes_the_ga_shape() -> None:
    assert client_event_to_ga(BETA_CLIENT_EVENTS[0]) == {
        "type": "session.update",
        "event_id": "c1",
        "session": GA_FULL_SESSION,
    }
    beta_transcription = client_event_to_ga(BETA_CLIENT_EVENTS[1])
    assert beta_transcription["type"] == "session.update"
    assert beta_transcription["session"]["type"] == "transcription"
    assert client_event_from_ga(GA_CLIENT_EVENTS[1])["type"] == "transcription_session.update"


def test_response_create_takes_the_ga_shape() -> None:
    ga = client_event_to_ga(BETA_CLIENT_EVENTS[-2])["response"]
    assert ga == {
        "output_modalities": ["text"],
        "instructions": "Answer in one sentence.",
        "audio": {"output": {"voice": "alloy", "format": {"type": "audio/pcm", "rate": 24000}}},
        "tools": [SEARCH_TOOL],
        "tool_choice": "required",
        "max_output_tokens": 200,
        "conversation": "none",
        "metadata": {"topic": "boots"},
        "input": [USER_TEXT],
    }


def test_a_partial_session_update_stays_partial() -> None:
    vad = {"type": "server_vad", "silence_duration_ms": 800}
    beta = {"type": "session.update", "session": {"turn_detection": vad}}
    ga = {
        "type": "session.update",
        "session": {"type": "realtime", "audio": {"input": {"turn_detection": vad}}},
    }
    assert client_event_to_ga(beta) == ga
    assert client_event_from_ga(ga) == beta
    assert session_to_ga({"voice": "echo"}) == {"type": "realtime", "audio": {"output": {"voice": "echo"}}}
    assert session_to_ga({}) == {"type": "realtime"}
    assert session_from_ga({"type": "realtime"}) == {}


def test_turn_detection_null_means_manual_in_both_shapes() -> None:
    beta = {"type": "session.update", "session": {"turn_detection": None}}
    ga = client_event_to_ga(beta)
    assert ga["session"] == {"type": "realtime", "audio": {"input": {"turn_detection": None}}}
    conforms(ga, ga_types.RealtimeClientEvent)
    assert client_event_from_ga(ga) == beta
    conforms(beta, beta_types.RealtimeClientEvent)


@pytest.mark.parametrize(
    ("beta", "ga"),
    [
        ("pcm16", {"type": "audio/pcm", "rate": 24000}),
        ("g711_ulaw", {"type": "audio/pcmu"}),
        ("g711_alaw", {"type": "audio/pcma"}),
    ],
)
def test_audio_formats(beta: str, ga: dict[str, Any]) -> None:
    session = session_to_ga({"input_audio_format": beta, "output_audio_format": beta})
    assert session == {"type": "realtime", "audio": {"input": {"format": ga}, "output": {"format": ga}}}
    assert session_from_ga(session) == {"input_audio_format": beta, "output_audio_format": beta}


def test_odd_ga_formats() -> None:
    assert format_from_ga({"type": "audio/pcm"}) == "pcm16"
    assert format_from_ga({"type": "audio/pcm", "rate": 16000}) == {"type": "audio/pcm", "rate": 16000}
    assert format_from_ga({"type": "audio/opus"}) == {"type": "audio/opus"}


def test_tools_and_tool_choice() -> None:
    assert session_to_ga({"tools": [SEARCH_TOOL], "tool_choice": "required"}) == {
        "type": "realtime",
        "tools": [SEARCH_TOOL],
        "tool_choice": "required",
    }
    chat_style = {"type": "function", "function": {"name": "search_products"}}
    ga_style = {"type": "function", "name": "search_products"}
    assert session_to_ga({"tool_choice": chat_style})["tool_choice"] == ga_style
    assert session_to_ga({"tool_choice": ga_style})["tool_choice"] == ga_style
    assert session_from_ga({"type": "realtime", "tool_choice": ga_style}) == {"tool_choice": ga_style}
    response = client_event_to_ga({"type": "response.create", "response": {"tool_choice": chat_style}})
    assert response["response"]["tool_choice"] == ga_style
    conforms(response, ga_types.RealtimeClientEvent)


def test_input_audio_transcription_and_noise_reduction() -> None:
    transcription = {"model": "gpt-4o-mini-transcribe", "language": "de", "prompt": "Wanderschuhe"}
    ga = session_to_ga({"input_audio_transcription": transcription, "input_audio_noise_reduction": None})
    assert ga == {
        "type": "realtime",
        "audio": {"input": {"transcription": transcription, "noise_reduction": None}},
    }
    assert session_from_ga(ga) == {
        "input_audio_transcription": transcription,
        "input_audio_noise_reduction": None,
    }
    assert session_to_ga({"input_audio_transcription": None})["audio"]["input"] == {"transcription": None}


def test_semantic_vad_keeps_only_its_own_keys() -> None:
    beta = {"type": "semantic_vad", "eagerness": "high", "threshold": 0.5, "silence_duration_ms": 500}
    assert session_to_ga({"turn_detection": beta})["audio"]["input"]["turn_detection"] == {
        "type": "semantic_vad",
        "eagerness": "high",
    }
    server = {"type": "server_vad", "eagerness": "low", "threshold": 0.4}
    assert session_to_ga({"turn_detection": server})["audio"]["input"]["turn_detection"] == {
        "type": "server_vad",
        "threshold": 0.4,
    }


@pytest.mark.parametrize(
    ("beta", "ga", "back"),
    [
        (["text", "audio"], ["audio"], ["text", "audio"]),
        (["audio", "text"], ["audio"], ["text", "audio"]),
        (["audio"], ["audio"], ["text", "audio"]),
        (["text"], ["text"], ["text"]),
    ],
)
def test_modalities(beta: list[str], ga: list[str], back: list[str]) -> None:
    session = session_to_ga({"modalities": beta})
    assert session == {"type": "realtime", "output_modalities": ga}
    assert session_from_ga(session) == {"modalities": back}


def test_ga_only_session_keys_pass_through_and_temperature_is_dropped() -> None:
    ga = {
        "type": "realtime",
        "truncation": "auto",
        "prompt": None,
        "audio": {"input": {"noise_reduction": None}},
    }
    beta = session_from_ga(ga)
    assert beta == {"truncation": "auto", "prompt": None, "input_audio_noise_reduction": None}
    assert session_to_ga(beta) == ga
    assert session_to_ga({"temperature": 0.9, "instructions": "Hi"}) == {
        "type": "realtime",
        "instructions": "Hi",
    }


def test_item_references_and_unknown_events_pass_through() -> None:
    reference = {
        "type": "response.create",
        "response": {"input": [{"type": "item_reference", "id": "item_u1"}]},
    }
    assert client_event_to_ga(reference) == reference
    assert client_event_from_ga(reference) == reference
    unknown = {"type": "session.close", "event_id": "x", "anything": {"nested": [1, 2]}}
    assert client_event_to_ga(unknown) == unknown
    assert client_event_from_ga(unknown) == unknown
    assert client_event_to_ga({"no": "type"}) == {"no": "type"}


def test_translation_copies_and_never_mutates() -> None:
    event = copy.deepcopy(BETA_CLIENT_EVENTS[0])
    ga = client_event_to_ga(event)
    assert event == BETA_CLIENT_EVENTS[0]
    ga["session"]["tools"][0]["name"] = "changed"
    ga["session"]["audio"]["input"]["turn_detection"]["threshold"] = 0.1
    assert event == BETA_CLIENT_EVENTS[0]
    back = client_event_from_ga(GA_CLIENT_EVENTS[0])
    back["session"]["tools"].clear()
    assert GA_CLIENT_EVENTS[0]["session"]["tools"] == [SEARCH_TOOL]

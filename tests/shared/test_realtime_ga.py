"""Server events beta <-> GA, checked against the openai SDK's own event unions (beta and GA).

One realistic beta session (as Azure's preview endpoint sends it) covers every type in the beta
`RealtimeServerEvent` union; it is translated to GA, each result validated by the GA union, then
translated back and compared with the original. A GA stream recorded from the GA service (ids
shortened) plus the GA-only events covers the GA union the same way.
"""

from __future__ import annotations

import copy
from typing import Any

import openai.types.beta.realtime as beta_types
import openai.types.realtime as ga_types
import pytest

from shared.realtime.ga import (
    GA_ONLY_SERVER_EVENTS,
    SERVER_RENAMES_TO_GA,
    ServerEventsFromGa,
    ServerEventsToGa,
)
from tests.shared.sdk_conformance import conforms, union_models

Event = dict[str, Any]


# --- a beta session covering the whole beta server union -----------------------------------------

USAGE = {
    "total_tokens": 1532,
    "input_tokens": 1391,
    "output_tokens": 141,
    "input_token_details": {"cached_tokens": 1088, "text_tokens": 1180, "audio_tokens": 211},
    "output_token_details": {"text_tokens": 34, "audio_tokens": 107},
}
BETA_SESSION = {
    "id": "sess_1",
    "object": "realtime.session",
    "model": "gpt-4o-realtime-preview",
    "expires_at": 1760001800,
    "modalities": ["text", "audio"],
    "instructions": "You are Contoso's shopping assistant.",
    "voice": "alloy",
    "input_audio_format": "pcm16",
    "output_audio_format": "pcm16",
    "input_audio_transcription": None,
    "input_audio_noise_reduction": None,
    "turn_detection": {
        "type": "server_vad",
        "threshold": 0.5,
        "prefix_padding_ms": 300,
        "silence_duration_ms": 200,
        "create_response": True,
        "interrupt_response": True,
    },
    "tools": [],
    "tool_choice": "auto",
    "temperature": 0.8,
    "max_response_output_tokens": "inf",
    "speed": 1.0,
    "tracing": None,
}
SEARCH_TOOL = {
    "type": "function",
    "name": "search_products",
    "description": "Search the catalog.",
    "parameters": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]},
}
BETA_SESSION_UPDATED = {
    **BETA_SESSION,
    "input_audio_transcription": {"model": "whisper-1", "language": "en", "prompt": None},
    "input_audio_noise_reduction": {"type": "near_field"},
    "turn_detection": {
        "type": "semantic_vad",
        "eagerness": "auto",
        "create_response": True,
        "interrupt_response": True,
    },
    "tools": [SEARCH_TOOL],
    "tool_choice": "required",
    "max_response_output_tokens": 1024,
}
USER_ITEM = {
    "id": "item_u1",
    "object": "realtime.item",
    "type": "message",
    "status": "completed",
    "role": "user",
    "content": [{"type": "input_audio", "transcript": None}],
}
ASSISTANT = {"id": "item_a1", "object": "realtime.item", "type": "message", "role": "assistant"}
ANSWER = "Yes, we have three pairs."
AUDIO_PART = {"type": "audio", "transcript": ANSWER}
CALL = {
    "id": "item_f1",
    "object": "realtime.item",
    "type": "function_call",
    "name": "search_products",
    "call_id": "call_1",
}
ARGS = '{"query": "hiking boots"}'
CALL_OUTPUT = {
    "id": "item_o1",
    "object": "realtime.item",
    "type": "function_call_output",
    "status": "completed",
    "call_id": "call_1",
    "output": '{"results": 3}',
}
TEXT_ITEM = {"id": "item_t1", "object": "realtime.item", "type": "message", "role": "assistant"}


def response(rid: str, status: str, output: list[Event], modalities: list[str], usage: Any = None) -> Event:
    return {
        "id": rid,
        "object": "realtime.response",
        "status": status,
        "status_details": None if status != "cancelled" else {"type": "cancelled", "reason": "turn_detected"},
        "output": output,
        "conversation_id": "conv_1",
        "modalities": modalities,
        "voice": "alloy",
        "output_audio_format": "pcm16",
        "temperature": 0.8,
        "max_output_tokens": "inf",
        "usage": usage,
        "metadata": None,
    }


def beta_stream() -> list[Event]:
    """A realistic beta session: audio turn, function call, tool output, text turn, the rest."""
    events: list[Event] = []

    def add(kind: str, **fields: Any) -> None:
        events.append({"type": kind, "event_id": f"event_{len(events):03d}", **fields})

    def in_resp(rid: str, item_id: str, index: int = 0) -> dict[str, Any]:
        return {"response_id": rid, "item_id": item_id, "output_index": index, "content_index": 0}

    add("session.created", session=BETA_SESSION)
    add("conversation.created", conversation={"id": "conv_1", "object": "realtime.conversation"})
    add("session.updated", session=BETA_SESSION_UPDATED)
    add("input_audio_buffer.speech_started", audio_start_ms=1024, item_id="item_u1")
    add("input_audio_buffer.speech_stopped", audio_end_ms=2848, item_id="item_u1")
    add("input_audio_buffer.committed", previous_item_id=None, item_id="item_u1")
    add("conversation.item.created", previous_item_id=None, item=USER_ITEM)
    add("response.created", response=response("resp_1", "in_progress", [], ["text", "audio"]))
    add(
        "conversation.item.input_audio_transcription.delta",
        item_id="item_u1",
        content_index=0,
        delta="Any boots",
    )
    add(
        "conversation.item.input_audio_transcription.completed",
        item_id="item_u1",
        content_index=0,
        transcript="Any boots?",
        usage={"type": "tokens", "total_tokens": 26, "input_tokens": 18, "output_tokens": 8},
    )
    in_progress = {**ASSISTANT, "status": "in_progress", "content": []}
    add("response.output_item.added", response_id="resp_1", output_index=0, item=in_progress)
    add("conversation.item.created", previous_item_id="item_u1", item=in_progress)
    add(
        "response.content_part.added",
        **in_resp("resp_1", "item_a1"),
        part={"type": "audio", "transcript": ""},
    )
    add("output_audio_buffer.started", response_id="resp_1")
    add("response.audio_transcript.delta", **in_resp("resp_1", "item_a1"), delta="Yes, we")
    add("response.audio.delta", **in_resp("resp_1", "item_a1"), delta="AAAAAAAAAAA=")
    add("response.audio.done", **in_resp("resp_1", "item_a1"))
    add("response.audio_transcript.done", **in_resp("resp_1", "item_a1"), transcript=ANSWER)
    add("response.content_part.done", **in_resp("resp_1", "item_a1"), part=AUDIO_PART)
    done_item = {**ASSISTANT, "status": "completed", "content": [AUDIO_PART]}
    add("response.output_item.done", response_id="resp_1", output_index=0, item=done_item)
    add("response.done", response=response("resp_1", "completed", [done_item], ["text", "audio"], USAGE))
    add("output_audio_buffer.stopped", response_id="resp_1")
    add(
        "rate_limits.updated",
        rate_limits=[
            {"name": "requests", "limit": 1000, "remaining": 999, "reset_seconds": 0.06},
            {"name": "tokens", "limit": 100000, "remaining": 98468, "reset_seconds": 0.919},
        ],
    )
    add("response.created", response=response("resp_2", "in_progress", [], ["text", "audio"]))
    call_started = {**CALL, "status": "in_progress", "arguments": ""}
    add("response.output_item.added", response_id="resp_2", output_index=0, item=call_started)
    add("conversation.item.created", previous_item_id="item_a1", item=call_started)
    call_ref = {"response_id": "resp_2", "item_id": "item_f1", "output_index": 0, "call_id": "call_1"}
    add("response.function_call_arguments.delta", **call_ref, delta='{"query": ')
    add("response.function_call_arguments.delta", **call_ref, delta='"hiking boots"}')
    add("response.function_call_arguments.done", **call_ref, arguments=ARGS)
    call_done = {**CALL, "status": "completed", "arguments": ARGS}
    add("response.output_item.done", response_id="resp_2", output_index=0, item=call_done)
    add("response.done", response=response("resp_2", "completed", [call_done], ["text", "audio"], USAGE))
    add("conversation.item.created", previous_item_id="item_f1", item=CALL_OUTPUT)
    add("response.created", response=response("resp_3", "in_progress", [], ["text"]))
    text_started = {**TEXT_ITEM, "status": "in_progress", "content": []}
    add("response.output_item.added", response_id="resp_3", output_index=0, item=text_started)
    add("conversation.item.created", previous_item_id="item_o1", item=text_started)
    add("response.content_part.added", **in_resp("resp_3", "item_t1"), part={"type": "text", "text": ""})
    add("response.text.delta", **in_resp("resp_3", "item_t1"), delta="Three ")
    add("response.text.done", **in_resp("resp_3", "item_t1"), text="Three pairs.")
    add(
        "response.content_part.done",
        **in_resp("resp_3", "item_t1"),
        part={"type": "text", "text": "Three pairs."},
    )
    text_done = {**TEXT_ITEM, "status": "completed", "content": [{"type": "text", "text": "Three pairs."}]}
    add("response.output_item.done", response_id="resp_3", output_index=0, item=text_done)
    add("response.done", response=response("resp_3", "completed", [text_done], ["text"], USAGE))
    add("conversation.item.retrieved", item=done_item)
    add("conversation.item.truncated", item_id="item_a1", content_index=0, audio_end_ms=1500)
    add("output_audio_buffer.cleared", response_id="resp_1")
    add("conversation.item.deleted", item_id="item_o1")
    add(
        "conversation.item.input_audio_transcription.failed",
        item_id="item_u1",
        content_index=0,
        error={
            "type": "transcription_error",
            "code": "audio_unintelligible",
            "message": "No speech.",
            "param": None,
        },
    )
    add("input_audio_buffer.cleared")
    add(
        "error",
        error={
            "type": "invalid_request_error",
            "code": "response_cancel_not_active",
            "message": "Cancellation failed: no active response found.",
            "param": None,
            "event_id": "client_7",
        },
    )
    add(
        "transcription_session.updated",
        session={
            "client_secret": {"value": "ek_1", "expires_at": 1760000000},
            "modalities": ["text"],
            "input_audio_format": "g711_ulaw",
            "input_audio_transcription": {"model": "gpt-4o-transcribe", "language": "en", "prompt": ""},
            "turn_detection": {
                "type": "server_vad",
                "threshold": 0.5,
                "prefix_padding_ms": 300,
                "silence_duration_ms": 500,
            },
        },
    )
    return events


BETA_STREAM = beta_stream()
EXPECTED_GA_TYPE = {
    **SERVER_RENAMES_TO_GA,
    "conversation.item.created": "conversation.item.added",
    "transcription_session.updated": "session.updated",
}
CARRIED = (
    "event_id",
    "item_id",
    "response_id",
    "call_id",
    "previous_item_id",
    "output_index",
    "content_index",
    "delta",
    "text",
    "transcript",
    "arguments",
    "audio_start_ms",
    "audio_end_ms",
    "error",
    "usage",
    "rate_limits",
    "conversation",
)
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
    "client_secret",
}
GA_SESSION_EXTRAS = ("session.id", "session.object", "session.expires_at")


def translated_to_ga() -> list[tuple[Event, list[Event]]]:
    translator = ServerEventsToGa()
    return [(event, translator.translate(event)) for event in BETA_STREAM]


def lossless(event: Event) -> Event:
    """The beta event minus what GA has no place for (documented in ga_session)."""
    out = copy.deepcopy(event)
    for key in ("session", "response"):
        if isinstance(out.get(key), dict):
            out[key].pop("temperature", None)
    if out["type"] == "transcription_session.updated":
        out["session"].pop("modalities")
        out["session"].pop("client_secret")
    return out


# --- beta -> GA ---------------------------------------------------------------------------------


def test_the_beta_stream_covers_the_whole_beta_union() -> None:
    assert {e["type"] for e in BETA_STREAM} == set(union_models(beta_types.RealtimeServerEvent))


@pytest.mark.parametrize("index", range(len(BETA_STREAM)), ids=[e["type"] for e in BETA_STREAM])
def test_beta_server_event_conforms_to_the_ga_union_with_its_fields_carried(index: int) -> None:
    beta_event, ga_events = translated_to_ga()[index]
    conforms(beta_event, beta_types.RealtimeServerEvent, ("session.object", "session.expires_at"))
    assert ga_events, beta_event["type"]
    for event in ga_events:
        conforms(event, ga_types.RealtimeServerEvent, GA_SESSION_EXTRAS)
        assert not event["type"].startswith(
            ("response.text.", "response.audio.", "response.audio_transcript.")
        )
    main = next(
        e for e in ga_events if e["type"] == EXPECTED_GA_TYPE.get(beta_event["type"], beta_event["type"])
    )
    for key in CARRIED:
        if key in beta_event:
            assert main[key] == beta_event[key], key
    for key in ("session", "response"):
        if key in main:
            assert not BETA_ONLY_KEYS & set(main[key]), main[key]
    for item in [main.get("item"), *main.get("response", {}).get("output", [])]:
        for part in (item or {}).get("content", []):
            assert part["type"] not in ("text", "audio")


def test_sessions_carry_the_ga_shape() -> None:
    created = ServerEventsToGa().translate(BETA_STREAM[0])[0]["session"]
    assert created == {
        "type": "realtime",
        "id": "sess_1",
        "object": "realtime.session",
        "model": "gpt-4o-realtime-preview",
        "expires_at": 1760001800,
        "output_modalities": ["audio"],
        "instructions": "You are Contoso's shopping assistant.",
        "audio": {
            "input": {
                "format": {"type": "audio/pcm", "rate": 24000},
                "transcription": None,
                "noise_reduction": None,
                "turn_detection": BETA_SESSION["turn_detection"],
            },
            "output": {"format": {"type": "audio/pcm", "rate": 24000}, "voice": "alloy", "speed": 1.0},
        },
        "tools": [],
        "tool_choice": "auto",
        "max_output_tokens": "inf",
        "tracing": None,
    }
    updated = ServerEventsToGa().translate(BETA_STREAM[2])[0]["session"]
    assert updated["audio"]["input"]["transcription"] == {
        "model": "whisper-1",
        "language": "en",
        "prompt": None,
    }
    assert updated["audio"]["input"]["noise_reduction"] == {"type": "near_field"}
    assert updated["tools"] == [SEARCH_TOOL] and updated["tool_choice"] == "required"
    assert updated["max_output_tokens"] == 1024
    transcription = ServerEventsToGa().translate(BETA_STREAM[-1])[0]["session"]
    assert transcription["type"] == "transcription"
    assert transcription["audio"]["input"]["format"] == {"type": "audio/pcmu"}


def test_responses_carry_the_ga_shape_and_the_usage_numbers() -> None:
    done = next(ga for beta, ga in translated_to_ga() if beta["type"] == "response.done")[-1]
    model = conforms(done, ga_types.RealtimeServerEvent)
    assert isinstance(model, ga_types.ResponseDoneEvent)
    resp = done["response"]
    assert resp["output_modalities"] == ["audio"]
    assert resp["audio"] == {"output": {"format": {"type": "audio/pcm", "rate": 24000}, "voice": "alloy"}}
    assert resp["output"][0]["content"] == [{"type": "output_audio", "transcript": ANSWER}]
    usage = model.response.usage
    assert (
        usage is not None and usage.input_token_details is not None and usage.output_token_details is not None
    )
    assert (usage.total_tokens, usage.input_tokens, usage.output_tokens) == (1532, 1391, 141)
    assert usage.input_token_details.cached_tokens == 1088
    assert (usage.output_token_details.text_tokens, usage.output_token_details.audio_tokens) == (34, 107)


def test_round_trip_beta_ga_beta_gives_back_the_beta_stream() -> None:
    back = ServerEventsFromGa()
    result = [beta for _, ga in translated_to_ga() for event in ga for beta in back.translate(event)]
    assert result == [lossless(e) for e in BETA_STREAM]


# --- GA -> beta ---------------------------------------------------------------------------------

GA_SESSION = {
    "type": "realtime",
    "object": "realtime.session",
    "id": "sess_g1",
    "model": "gpt-realtime",
    "output_modalities": ["audio"],
    "instructions": "You are Contoso's shopping assistant.",
    "tools": [],
    "tool_choice": "auto",
    "max_output_tokens": "inf",
    "tracing": None,
    "truncation": "auto",
    "prompt": None,
    "expires_at": 1789728574,
    "audio": {
        "input": {
            "format": {"type": "audio/pcm", "rate": 24000},
            "transcription": None,
            "noise_reduction": None,
            "turn_detection": {
                "type": "server_vad",
                "threshold": 0.5,
                "prefix_padding_ms": 300,
                "silence_duration_ms": 200,
                "idle_timeout_ms": None,
                "create_response": True,
                "interrupt_response": True,
            },
        },
        "output": {"format": {"type": "audio/pcm", "rate": 24000}, "voice": "alloy", "speed": 1.0},
    },
    "include": None,
}
GA_USAGE = {
    "total_tokens": 127,
    "input_tokens": 120,
    "output_tokens": 7,
    "input_token_details": {
        "text_tokens": 120,
        "audio_tokens": 0,
        "image_tokens": 0,
        "cached_tokens": 64,
        "cached_tokens_details": {"text_tokens": 64, "audio_tokens": 0, "image_tokens": 0},
    },
    "output_token_details": {"text_tokens": 7, "audio_tokens": 0},
}


def ga_response(status: str, output: list[Event], usage: Any = None) -> Event:
    return {
        "object": "realtime.response",
        "id": "resp_g1",
        "status": status,
        "status_details": None,
        "output": output,
        "conversation_id": "conv_g1",
        "output_modalities": ["text"],
        "max_output_tokens": "inf",
        "audio": {"output": {"format": {"type": "audio/pcm", "rate": 24000}, "voice": "alloy"}},
        "usage": usage,
        "metadata": None,
    }


def ga_trace() -> list[Event]:
    """A text turn and a function call as the GA service sends them (order from a recorded session)."""
    events: list[Event] = []

    def add(kind: str, **fields: Any) -> None:
        events.append({"type": kind, "event_id": f"event_g{len(events):03d}", **fields})

    text_ref = {"response_id": "resp_g1", "item_id": "item_g2", "output_index": 0, "content_index": 0}
    user = {
        "id": "item_g1",
        "type": "message",
        "status": "completed",
        "role": "user",
        "content": [{"type": "input_text", "text": "Say hi in three words"}],
    }
    answer = {"id": "item_g2", "type": "message", "status": "in_progress", "role": "assistant", "content": []}
    final = {
        **answer,
        "status": "completed",
        "content": [{"type": "output_text", "text": "Hi there, friend!"}],
    }
    call = {
        "id": "item_g3",
        "type": "function_call",
        "status": "in_progress",
        "name": "search_products",
        "call_id": "call_g1",
        "arguments": "",
    }
    call_done = {**call, "status": "completed", "arguments": ARGS}
    call_ref = {"response_id": "resp_g1", "item_id": "item_g3", "output_index": 1, "call_id": "call_g1"}
    add("session.created", session=GA_SESSION)
    add("session.updated", session={**GA_SESSION, "output_modalities": ["text"]})
    add("conversation.item.added", previous_item_id=None, item=user)
    add("conversation.item.done", previous_item_id=None, item=user)
    add("response.created", response=ga_response("in_progress", []))
    add("response.output_item.added", response_id="resp_g1", output_index=0, item=answer)
    add("conversation.item.added", previous_item_id="item_g1", item=answer)
    add("response.content_part.added", **text_ref, part={"type": "text", "text": ""})
    add("response.output_text.delta", **text_ref, delta="Hi", obfuscation="A5Nj2cC01aseXj")
    add("response.output_text.done", **text_ref, text="Hi there, friend!")
    add("response.content_part.done", **text_ref, part={"type": "text", "text": "Hi there, friend!"})
    add("conversation.item.done", previous_item_id="item_g1", item=final)
    add("response.output_item.done", response_id="resp_g1", output_index=0, item=final)
    add("response.output_item.added", response_id="resp_g1", output_index=1, item=call)
    add("conversation.item.added", previous_item_id="item_g2", item=call)
    add("response.function_call_arguments.delta", **call_ref, delta=ARGS)
    add("response.function_call_arguments.done", **call_ref, name="search_products", arguments=ARGS)
    add("conversation.item.done", previous_item_id="item_g2", item=call_done)
    add("response.output_item.done", response_id="resp_g1", output_index=1, item=call_done)
    add("response.done", response=ga_response("completed", [final, call_done], GA_USAGE))
    add(
        "rate_limits.updated",
        rate_limits=[{"name": "tokens", "limit": 15000000, "remaining": 14999716, "reset_seconds": 0.001}],
    )
    return events


GA_TRACE = ga_trace()
GA_ONLY_SAMPLES: list[Event] = [
    {
        "type": "input_audio_buffer.timeout_triggered",
        "event_id": "e1",
        "audio_start_ms": 0,
        "audio_end_ms": 6000,
        "item_id": "item_x",
    },
    {"type": "input_audio_buffer.dtmf_event_received", "event": "5", "received_at": 1760000000},
    {
        "type": "conversation.item.input_audio_transcription.segment",
        "event_id": "e2",
        "id": "seg_1",
        "item_id": "item_x",
        "content_index": 0,
        "start": 0.0,
        "end": 1.5,
        "speaker": "A",
        "text": "Hello",
    },
    {"type": "mcp_list_tools.in_progress", "event_id": "e3", "item_id": "item_m"},
    {"type": "mcp_list_tools.completed", "event_id": "e4", "item_id": "item_m"},
    {"type": "mcp_list_tools.failed", "event_id": "e5", "item_id": "item_m"},
    {
        "type": "response.mcp_call_arguments.delta",
        "event_id": "e6",
        "item_id": "item_m",
        "output_index": 0,
        "response_id": "r",
        "delta": "{",
    },
    {
        "type": "response.mcp_call_arguments.done",
        "event_id": "e7",
        "item_id": "item_m",
        "output_index": 0,
        "response_id": "r",
        "arguments": "{}",
    },
    {"type": "response.mcp_call.in_progress", "event_id": "e8", "item_id": "item_m", "output_index": 0},
    {"type": "response.mcp_call.completed", "event_id": "e9", "item_id": "item_m", "output_index": 0},
    {"type": "response.mcp_call.failed", "event_id": "e10", "item_id": "item_m", "output_index": 0},
]
GA_LEGACY_CREATED: Event = {
    "type": "conversation.item.created",
    "event_id": "e11",
    "previous_item_id": None,
    "item": {
        "id": "item_legacy",
        "type": "message",
        "status": "completed",
        "role": "system",
        "content": [{"type": "input_text", "text": "Be brief."}],
    },
}
GA_STREAM = (
    [ga for _, events in translated_to_ga() for ga in events]
    + GA_TRACE
    + GA_ONLY_SAMPLES
    + [GA_LEGACY_CREATED]
)
GA_EXTRAS_IN_BETA = (
    "session.id",
    "session.object",
    "session.expires_at",
    "session.truncation",
    "session.prompt",
    "session.include",
    "session.turn_detection.idle_timeout_ms",
    "obfuscation",
)


def test_the_ga_streams_cover_the_whole_ga_union() -> None:
    assert {e["type"] for e in GA_STREAM} == set(union_models(ga_types.RealtimeServerEvent))
    assert {e["type"] for e in GA_ONLY_SAMPLES} == GA_ONLY_SERVER_EVENTS


@pytest.mark.parametrize("index", range(len(GA_STREAM)), ids=[e["type"] for e in GA_STREAM])
def test_ga_server_event_conforms_to_the_beta_union(index: int) -> None:
    translator = ServerEventsFromGa()
    results = [translator.translate(event) for event in GA_STREAM[: index + 1]]
    ga_event, beta_events = GA_STREAM[index], results[-1]
    conforms(ga_event, ga_types.RealtimeServerEvent, (*GA_SESSION_EXTRAS, "obfuscation"))
    for event in beta_events:
        if event["type"] == "transcription_session.updated":
            # The SDK's beta TranscriptionSession is the REST answer; no WS event carries its client_secret.
            secret = {"value": "ek_1", "expires_at": 1760000000}
            event = {**event, "session": {**event["session"], "client_secret": secret}}
        model = conforms(event, beta_types.RealtimeServerEvent, GA_EXTRAS_IN_BETA)
        for key in CARRIED:
            if key in ga_event and key in event:
                assert event[key] == ga_event[key], key
        assert "name" not in event or event["type"] != "response.function_call_arguments.done"
        assert not {"type", "output_modalities", "audio", "max_output_tokens"} & set(event.get("session", {}))
        assert not {"output_modalities", "audio"} & set(event.get("response", {}))
        assert model is not None
    beta_type = {v: k for k, v in SERVER_RENAMES_TO_GA.items()}.get(ga_event["type"], ga_event["type"])
    if ga_event["type"] in GA_ONLY_SERVER_EVENTS or ga_event["type"] == "conversation.item.done":
        assert beta_events == []
    elif ga_event["type"] in ("conversation.item.added", "conversation.item.created"):
        announced = [
            e["item"]["id"] for r in results[:-1] for e in r if e["type"] == "conversation.item.created"
        ]
        already = ga_event["item"]["id"] in announced
        assert [e["type"] for e in beta_events] == ([] if already else ["conversation.item.created"])
    elif (
        ga_event["type"] not in ("session.created", "session.updated")
        or ga_event["session"]["type"] == "realtime"
    ):
        assert [e["type"] for e in beta_events] == [beta_type]


def test_ga_trace_to_beta_reads_like_a_beta_session() -> None:
    translator = ServerEventsFromGa()
    beta = [event for ga in GA_TRACE for event in translator.translate(ga)]
    assert [e["type"] for e in beta] == [
        "session.created",
        "session.updated",
        "conversation.item.created",
        "response.created",
        "response.output_item.added",
        "conversation.item.created",
        "response.content_part.added",
        "response.text.delta",
        "response.text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.output_item.added",
        "conversation.item.created",
        "response.function_call_arguments.delta",
        "response.function_call_arguments.done",
        "response.output_item.done",
        "response.done",
        "rate_limits.updated",
    ]
    session = beta[0]["session"]
    assert session["modalities"] == ["text", "audio"] and beta[1]["session"]["modalities"] == ["text"]
    assert session["input_audio_format"] == session["output_audio_format"] == "pcm16"
    assert session["voice"] == "alloy" and session["max_response_output_tokens"] == "inf"
    assert (
        beta[3]["response"]["modalities"] == ["text"]
        and beta[3]["response"]["output_audio_format"] == "pcm16"
    )
    assert beta[-2]["response"]["output"][0]["content"] == [{"type": "text", "text": "Hi there, friend!"}]
    assert beta[-2]["response"]["usage"]["input_token_details"]["cached_tokens"] == 64
    assert beta[5]["previous_item_id"] == "item_g1"


def test_round_trip_ga_beta_ga_gives_back_the_ga_trace_up_to_synthesized_event_ids() -> None:
    to_beta, to_ga = ServerEventsFromGa(), ServerEventsToGa()
    again = [ga for event in GA_TRACE for beta in to_beta.translate(event) for ga in to_ga.translate(beta)]

    def comparable(events: list[Event]) -> list[Event]:
        """Synthesized conversation.item.done ids differ; beta usage lacks GA's image and cached split."""
        out = copy.deepcopy(events)
        for event in out:
            if event["type"] == "conversation.item.done":
                del event["event_id"]
            details = ((event.get("response") or {}).get("usage") or {}).get("input_token_details", {})
            details.pop("image_tokens", None)
            details.pop("cached_tokens_details", None)
        return out

    assert comparable(again) == comparable(GA_TRACE)


def test_ga_only_events_are_kept_when_asked() -> None:
    translator = ServerEventsFromGa(keep_ga_only=True)
    assert [e for event in GA_ONLY_SAMPLES for e in translator.translate(event)] == GA_ONLY_SAMPLES

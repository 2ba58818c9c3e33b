"""The stateful server translators over whole turns: orders, function names, item announcements."""

from __future__ import annotations

import copy
from typing import Any

import openai.types.beta.realtime as beta_types
import openai.types.realtime as ga_types
from pydantic import TypeAdapter

from shared.realtime.ga import ServerEventsFromGa, ServerEventsToGa

Event = dict[str, Any]
GA_UNION: TypeAdapter[Any] = TypeAdapter(ga_types.RealtimeServerEvent)
BETA_UNION: TypeAdapter[Any] = TypeAdapter(beta_types.RealtimeServerEvent)


class Stream:
    """Numbers beta events the way a server would."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, kind: str, **fields: Any) -> Event:
        self.count += 1
        return {"type": kind, "event_id": f"event_{self.count}", **fields}


def to_ga(events: list[Event]) -> list[Event]:
    translator = ServerEventsToGa()
    out = [ga for event in events for ga in translator.translate(event)]
    for event in out:
        GA_UNION.validate_python(event)
    return out


def to_beta(events: list[Event], translator: ServerEventsFromGa | None = None) -> list[Event]:
    translator = translator or ServerEventsFromGa()
    out = [beta for event in events for beta in translator.translate(event)]
    for event in out:
        BETA_UNION.validate_python(event)
    return out


def item(item_id: str, status: str, **fields: Any) -> Event:
    return {"id": item_id, "object": "realtime.item", "status": status, **fields}


def assistant(status: str, content: list[Event]) -> Event:
    return item("item_a", status, type="message", role="assistant", content=content)


def function_call(status: str, arguments: str) -> Event:
    return item(
        "item_f", status, type="function_call", name="add_to_cart", call_id="call_9", arguments=arguments
    )


def response(rid: str, status: str, output: list[Event], **fields: Any) -> Event:
    return {"id": rid, "object": "realtime.response", "status": status, "output": output, **fields}


def test_a_full_audio_turn_in_ga_order() -> None:
    ev = Stream()
    in_resp = {"response_id": "resp_1", "output_index": 0}
    user = item(
        "item_u",
        "completed",
        type="message",
        role="user",
        content=[{"type": "input_audio", "transcript": None}],
    )
    ref = {"response_id": "resp_1", "item_id": "item_a", "output_index": 0, "content_index": 0}
    part = {"type": "audio", "transcript": "Added."}
    beta = [
        ev("input_audio_buffer.speech_started", audio_start_ms=100, item_id="item_u"),
        ev("input_audio_buffer.speech_stopped", audio_end_ms=1900, item_id="item_u"),
        ev("input_audio_buffer.committed", previous_item_id=None, item_id="item_u"),
        ev("conversation.item.created", previous_item_id=None, item=user),
        ev("response.created", response=response("resp_1", "in_progress", [], modalities=["text", "audio"])),
        ev("response.output_item.added", **in_resp, item=assistant("in_progress", [])),
        ev("conversation.item.created", previous_item_id="item_u", item=assistant("in_progress", [])),
        ev("response.content_part.added", **ref, part={"type": "audio", "transcript": ""}),
        ev("response.audio_transcript.delta", **ref, delta="Added."),
        ev("response.audio.delta", **ref, delta="AAAA"),
        ev("response.audio.done", **ref),
        ev("response.audio_transcript.done", **ref, transcript="Added."),
        ev("response.content_part.done", **ref, part=part),
        ev("response.output_item.done", **in_resp, item=assistant("completed", [part])),
        ev("response.done", response=response("resp_1", "completed", [assistant("completed", [part])])),
        ev(
            "conversation.item.input_audio_transcription.completed",
            item_id="item_u",
            content_index=0,
            transcript="Add the boots.",
            usage={"type": "duration", "seconds": 1.8},
        ),
    ]
    ga = to_ga(beta)
    assert [e["type"] for e in ga] == [
        "input_audio_buffer.speech_started",
        "input_audio_buffer.speech_stopped",
        "input_audio_buffer.committed",
        "conversation.item.added",
        "conversation.item.done",
        "response.created",
        "response.output_item.added",
        "conversation.item.added",
        "response.content_part.added",
        "response.output_audio_transcript.delta",
        "response.output_audio.delta",
        "response.output_audio.done",
        "response.output_audio_transcript.done",
        "response.content_part.done",
        "conversation.item.done",
        "response.output_item.done",
        "response.done",
        "conversation.item.input_audio_transcription.completed",
    ]
    assert ga[4]["item"] == user and ga[4]["previous_item_id"] is None
    assert ga[14]["item"]["content"] == [{"type": "output_audio", "transcript": "Added."}]
    assert ga[14]["previous_item_id"] == "item_u"
    assert len({e["event_id"] for e in ga}) == len(ga)
    assert ga[10]["delta"] == "AAAA" and ga[12]["transcript"] == "Added."
    assert to_beta(ga) == beta


def test_a_function_call_carries_its_name_in_ga_and_loses_it_in_beta() -> None:
    ev = Stream()
    ids = {"response_id": "resp_2", "item_id": "item_f", "output_index": 0, "call_id": "call_9"}
    args = '{"sku": "BOOT-42", "quantity": 1}'
    beta = [
        ev("response.created", response=response("resp_2", "in_progress", [])),
        ev(
            "response.output_item.added",
            response_id="resp_2",
            output_index=0,
            item=function_call("in_progress", ""),
        ),
        ev("conversation.item.created", previous_item_id="item_a", item=function_call("in_progress", "")),
        ev("response.function_call_arguments.delta", **ids, delta='{"sku": "BOOT-42", '),
        ev("response.function_call_arguments.delta", **ids, delta='"quantity": 1}'),
        ev("response.function_call_arguments.done", **ids, arguments=args),
        ev(
            "response.output_item.done",
            response_id="resp_2",
            output_index=0,
            item=function_call("completed", args),
        ),
        ev("response.done", response=response("resp_2", "completed", [function_call("completed", args)])),
    ]
    ga = to_ga(beta)
    assert [e["type"] for e in ga] == [
        "response.created",
        "response.output_item.added",
        "conversation.item.added",
        "response.function_call_arguments.delta",
        "response.function_call_arguments.delta",
        "response.function_call_arguments.done",
        "conversation.item.done",
        "response.output_item.done",
        "response.done",
    ]
    done = GA_UNION.validate_python(ga[5])
    assert isinstance(done, ga_types.ResponseFunctionCallArgumentsDoneEvent)
    assert (done.name, done.arguments, done.call_id, done.item_id) == (
        "add_to_cart",
        args,
        "call_9",
        "item_f",
    )
    assert ga[6]["item"]["arguments"] == args
    assert to_beta(ga) == beta


def test_the_function_name_is_found_by_call_id_and_forgotten_after_the_item() -> None:
    translator = ServerEventsToGa()
    translator.translate(
        {
            "type": "response.output_item.added",
            "event_id": "e1",
            "response_id": "r",
            "output_index": 0,
            "item": {**function_call("in_progress", ""), "id": "item_other"},
        }
    )
    by_call = {
        "type": "response.function_call_arguments.done",
        "event_id": "e2",
        "response_id": "r",
        "item_id": "item_unknown",
        "output_index": 0,
        "call_id": "call_9",
        "arguments": "{}",
    }
    assert translator.translate(by_call)[0]["name"] == "add_to_cart"
    translator.translate(
        {
            "type": "response.output_item.done",
            "event_id": "e3",
            "response_id": "r",
            "output_index": 0,
            "item": {**function_call("completed", "{}"), "id": "item_other"},
        }
    )
    assert "name" not in translator.translate(by_call)[0]
    named = {**by_call, "name": "given"}
    assert translator.translate(named) == [named]


def test_a_cancelled_response_still_finishes_its_items() -> None:
    ev = Stream()
    cut = assistant("incomplete", [{"type": "audio", "transcript": "We ha"}])
    status = {"type": "cancelled", "reason": "turn_detected"}
    ga = to_ga(
        [
            ev(
                "response.output_item.added",
                response_id="resp_3",
                output_index=0,
                item=assistant("in_progress", []),
            ),
            ev("conversation.item.created", previous_item_id="item_u", item=assistant("in_progress", [])),
            ev("response.done", response=response("resp_3", "cancelled", [cut], status_details=status)),
        ]
    )
    assert [e["type"] for e in ga][-2:] == ["conversation.item.done", "response.done"]
    assert ga[-2]["item"]["content"] == [{"type": "output_audio", "transcript": "We ha"}]
    assert ga[-1]["response"]["status_details"] == status


def test_out_of_band_and_deleted_items_get_no_done() -> None:
    ev = Stream()
    oob = [
        ev(
            "response.output_item.added",
            response_id="resp_4",
            output_index=0,
            item=assistant("in_progress", []),
        ),
        ev(
            "response.output_item.done", response_id="resp_4", output_index=0, item=assistant("completed", [])
        ),
    ]
    assert [e["type"] for e in to_ga(oob)] == ["response.output_item.added", "response.output_item.done"]
    deleted = [
        ev("conversation.item.created", item=assistant("in_progress", [])),
        ev("conversation.item.deleted", item_id="item_a"),
        ev(
            "response.output_item.done", response_id="resp_4", output_index=0, item=assistant("completed", [])
        ),
    ]
    types = [e["type"] for e in to_ga(deleted)]
    assert types == ["conversation.item.added", "conversation.item.deleted", "response.output_item.done"]


def test_ga_item_announcements_become_one_created_per_item() -> None:
    user = item(
        "item_u", "completed", type="message", role="user", content=[{"type": "input_text", "text": "Hi"}]
    )
    added = {"type": "conversation.item.added", "event_id": "g1", "previous_item_id": None, "item": user}
    legacy = {**added, "type": "conversation.item.created", "event_id": "g2"}
    done = {**added, "type": "conversation.item.done", "event_id": "g3"}
    translator = ServerEventsFromGa()
    beta = to_beta([added, legacy, done], translator)
    assert beta == [{**added, "type": "conversation.item.created"}]
    assert to_beta([{"type": "conversation.item.deleted", "event_id": "g4", "item_id": "item_u"}], translator)
    assert [e["event_id"] for e in to_beta([done, added], translator)] == ["g3"]
    orphan = {**done, "item": {**user, "id": "item_v"}}
    assert to_beta([orphan]) == [{**orphan, "type": "conversation.item.created"}]


def test_ga_parts_named_like_item_parts_are_read_as_beta_parts() -> None:
    ga = {
        "type": "response.content_part.added",
        "event_id": "g1",
        "response_id": "r",
        "item_id": "i",
        "output_index": 0,
        "content_index": 0,
        "part": {"type": "output_audio", "transcript": ""},
    }
    assert to_beta([ga])[0]["part"] == {"type": "audio", "transcript": ""}


def test_unknown_server_events_pass_through_unchanged_and_uncopied_state_is_safe() -> None:
    unknown: Event = {"type": "response.reasoning.delta", "event_id": "x", "nested": {"a": [1]}}
    for translator in (ServerEventsToGa(), ServerEventsFromGa()):
        out = translator.translate(unknown)
        assert out == [unknown]
        out[0]["nested"]["a"].append(2)
        assert unknown["nested"]["a"] == [1]
        assert translator.translate({"no": "type"}) == [{"no": "type"}]


def test_translation_never_mutates_its_input() -> None:
    ev = Stream()
    beta = [
        ev("conversation.item.created", item=assistant("in_progress", [])),
        ev(
            "response.output_item.done",
            response_id="r",
            output_index=0,
            item=assistant("completed", [{"type": "text", "text": "Hi"}]),
        ),
    ]
    frozen = copy.deepcopy(beta)
    ga = to_ga(beta)
    assert beta == frozen
    frozen_ga = copy.deepcopy(ga)
    to_beta(ga)
    assert ga == frozen_ga

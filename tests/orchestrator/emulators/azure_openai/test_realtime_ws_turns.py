"""Voice and text turns over the real WebSocket, preview and GA, with the unmodified openai SDK as client."""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np

from orchestrator.emulators.azure_openai.realtime import audio
from tests.orchestrator.emulators.azure_openai.conftest import REALTIME
from tests.realtime_client import Recorder, connect_ga, connect_preview, send_speech, typed

TOOLS: list[dict[str, Any]] = [
    {
        "type": "function",
        "name": "search_products",
        "description": "Search the store's catalog for products matching what the customer asks for,"
        ' e.g. "do you have tents?" or "I need hiking boots".',
        "parameters": {
            "type": "object",
            "properties": {
                "query": {"type": "string", "description": "What the customer is looking for"},
                "max_price": {"type": "number", "description": "Highest price the customer will pay"},
            },
            "required": ["query"],
        },
    },
    {
        "type": "function",
        "name": "view_cart",
        "description": "Show what is in the customer's shopping cart and its total.",
        "parameters": {"type": "object", "properties": {}},
    },
]

PRODUCTS = json.dumps(
    {
        "products": [
            {"id": "17", "sku": "JK-ALP-01", "name": "Alpine Rain Shell", "price": 129.99, "currency": "USD"},
            {"id": "23", "sku": "JK-TRL-02", "name": "Trailhead Poncho", "price": 39.0, "currency": "USD"},
        ]
    }
)


def _text(events: list[dict[str, Any]], kind: str) -> str:
    return "".join(e["delta"] for e in events if e["type"] == kind)


def _audio_ms(events: list[dict[str, Any]], kind: str) -> float:
    return sum(len(base64.b64decode(e["delta"])) for e in events if e["type"] == kind) / 48


async def _voice_turn_then_answer(rt: Recorder, *, names: dict[str, str]) -> None:
    lead_ms = await send_speech(rt, "I need a waterproof jacket for hiking")
    events = await rt.until(names["args_done"], within_s=60)
    kinds = [e["type"] for e in events]
    started = next(e for e in events if e["type"] == "input_audio_buffer.speech_started")
    stopped = next(e for e in events if e["type"] == "input_audio_buffer.speech_stopped")
    assert 0 <= started["audio_start_ms"] <= lead_ms
    assert stopped["audio_end_ms"] > started["audio_start_ms"] + 1000
    assert kinds.index("input_audio_buffer.speech_started") < kinds.index("input_audio_buffer.speech_stopped")
    assert kinds.index("input_audio_buffer.speech_stopped") < kinds.index("input_audio_buffer.committed")
    committed = next(e for e in events if e["type"] == "input_audio_buffer.committed")
    assert committed["item_id"] == started["item_id"] == stopped["item_id"]
    call = events[-1]
    assert json.loads(call["arguments"])["query"].lower().find("waterproof jacket") >= 0
    done = await rt.until("response.done")
    response = done[-1]["response"]
    assert response["status"] == "completed"
    (item,) = response["output"]
    assert item["type"] == "function_call" and item["name"] == "search_products"
    if not any(e["type"] == "conversation.item.input_audio_transcription.completed" for e in rt.events):
        await rt.until("conversation.item.input_audio_transcription.completed")
    (transcribed,) = rt.of("conversation.item.input_audio_transcription.completed")
    assert "waterproof jacket" in transcribed["transcript"].lower()

    await rt.send(
        {
            "type": "conversation.item.create",
            "item": {"type": "function_call_output", "call_id": item["call_id"], "output": PRODUCTS},
        }
    )
    await rt.send({"type": "response.create"})
    answer = await rt.until("response.done")
    said = _text(answer, names["transcript_delta"])
    assert "Alpine Rain Shell" in said
    assert _audio_ms(answer, names["audio_delta"]) > 1000
    kinds = [e["type"] for e in answer]
    assert kinds.index(names["transcript_delta"]) < kinds.index(names["audio_delta"])
    usage = answer[-1]["response"]["usage"]
    assert usage["output_token_details"]["audio_tokens"] > 0
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]


async def test_preview_voice_turn_calls_the_sessions_search_tool_and_speaks_its_result(
    emulator_url: str,
) -> None:
    async with connect_preview(emulator_url, REALTIME) as rt:
        first = await rt.until("conversation.created")
        assert [e["type"] for e in first] == ["session.created", "conversation.created"]
        await rt.send(
            {
                "type": "session.update",
                "session": {"tools": TOOLS, "input_audio_transcription": {"model": "whisper-1"}},
            }
        )
        updated = (await rt.until("session.updated"))[-1]["session"]
        assert [t["name"] for t in updated["tools"]] == ["search_products", "view_cart"]
        assert updated["turn_detection"]["type"] == "server_vad"
        await _voice_turn_then_answer(
            rt,
            names={
                "args_done": "response.function_call_arguments.done",
                "transcript_delta": "response.audio_transcript.delta",
                "audio_delta": "response.audio.delta",
            },
        )


async def test_ga_voice_turn_speaks_the_ga_protocol(emulator_url: str) -> None:
    async with connect_ga(emulator_url, REALTIME) as rt:
        created = (await rt.until("session.created"))[-1]["session"]
        assert created["type"] == "realtime"
        await rt.send(
            {
                "type": "session.update",
                "session": {
                    "type": "realtime",
                    "tools": TOOLS,
                    "audio": {"input": {"transcription": {"model": "whisper-1"}}},
                },
            }
        )
        await rt.until("session.updated")
        await _voice_turn_then_answer(
            rt,
            names={
                "args_done": "response.function_call_arguments.done",
                "transcript_delta": "response.output_audio_transcript.delta",
                "audio_delta": "response.output_audio.delta",
            },
        )
        assert rt.of("response.function_call_arguments.done")[0]["name"] == "search_products"
        assert not any(e["type"].startswith("response.audio") for e in rt.events)


async def test_text_turns_greeting_and_text_only_answers(emulator_url: str) -> None:
    async with connect_preview(emulator_url, REALTIME) as rt:
        await rt.until("conversation.created")
        await rt.send({"type": "session.update", "session": {"tools": TOOLS}})
        await rt.until("session.updated")
        await rt.send(typed("hello there"))
        await rt.send({"type": "response.create", "response": {"modalities": ["text"]}})
        events = await rt.until("response.done")
        assert rt.of("response.text.done")[-1]["text"]
        assert not any(e["type"].startswith("response.audio") for e in events)
        assert events[-1]["response"]["output"][0]["type"] == "message"

        await rt.send(typed("what's in my cart"))
        await rt.send({"type": "response.create"})
        events = await rt.until("response.done")
        assert events[-1]["response"]["output"][0]["name"] == "view_cart"


async def test_manual_commit_needs_100_ms_and_waits_for_response_create(emulator_url: str) -> None:
    async with connect_preview(emulator_url, REALTIME) as rt:
        await rt.until("conversation.created")
        await rt.send({"type": "session.update", "session": {"turn_detection": None, "tools": TOOLS}})
        assert (await rt.until("session.updated"))[-1]["session"]["turn_detection"] is None
        await rt.send({"type": "input_audio_buffer.append", "audio": base64.b64encode(bytes(2400)).decode()})
        await rt.send({"type": "input_audio_buffer.commit", "event_id": "commit-1"})
        error = (await rt.until("error"))[-1]["error"]
        assert error["code"] == "input_audio_buffer_commit_empty" and error["event_id"] == "commit-1"
        await rt.send({"type": "input_audio_buffer.clear"})
        await rt.until("input_audio_buffer.cleared")

        await send_speech(rt, "I need a waterproof jacket for hiking")
        await rt.send({"type": "input_audio_buffer.commit"})
        events = await rt.until("conversation.item.created")
        assert not any(e["type"].startswith("input_audio_buffer.speech") for e in events)
        await rt.send({"type": "response.create"})
        done = (await rt.until("response.done"))[-1]["response"]
        assert done["output"][0]["name"] == "search_products"
        assert not rt.of(
            "conversation.item.input_audio_transcription.completed"
        )  # transcription was not asked for


async def test_g711_ulaw_input_is_understood(emulator_url: str) -> None:
    def ulaw(pcm: bytes) -> bytes:
        samples = np.frombuffer(pcm, dtype="<i2")
        return audio.encode("g711_ulaw", samples)

    async with connect_preview(emulator_url, REALTIME) as rt:
        await rt.until("conversation.created")
        await rt.send(
            {
                "type": "session.update",
                "session": {
                    "input_audio_format": "g711_ulaw",
                    "input_audio_transcription": {"model": "whisper-1"},
                },
            }
        )
        await rt.until("session.updated")
        await send_speech(rt, "I need a waterproof jacket for hiking", encode=ulaw)
        events = await rt.until("conversation.item.input_audio_transcription.completed", within_s=60)
        assert "waterproof jacket" in events[-1]["transcript"].lower()

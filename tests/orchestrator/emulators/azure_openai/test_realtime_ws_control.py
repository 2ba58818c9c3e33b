"""Barge-in, truncate, cancel, protocol errors, auth and fault switches over the real WebSocket."""

from __future__ import annotations

import asyncio
import base64
import json
import os

import psutil
import pytest
import websockets

from tests.orchestrator.emulators.azure_openai.conftest import CHAT, REALTIME, Serve
from tests.realtime_client import (
    PREVIEW_API_VERSION,
    Recorder,
    connect_ga,
    connect_preview,
    send_speech,
    typed,
    ws_url,
)

LONG_ANSWER = json.dumps(
    {
        "products": [
            {"id": str(i), "name": f"Ridge Line Tent {i}", "price": 100 + i, "currency": "USD"}
            for i in range(1, 6)
        ]
    }
)


async def _fresh(rt: Recorder) -> None:
    await rt.until("conversation.created")


async def test_speech_during_a_response_cancels_it_as_turn_detected(serve: Serve) -> None:
    url = serve(fault_latency_ms=1500)  # the response is still thinking when the customer speaks
    async with connect_preview(url, REALTIME) as rt:
        await _fresh(rt)
        await rt.send(typed("hello there"))
        await rt.send({"type": "response.create"})
        await rt.until("response.created")
        await send_speech(rt, "thank you", lead_ms=100, tail_ms=100)
        events = await rt.until("response.done")
        assert "input_audio_buffer.speech_started" in [e["type"] for e in events]
        response = events[-1]["response"]
        assert response["status"] == "cancelled"
        assert response["status_details"]["reason"] == "turn_detected"


async def test_truncate_keeps_only_what_was_heard_and_refuses_more_than_was_sent(emulator_url: str) -> None:
    async with connect_preview(emulator_url, REALTIME) as rt:
        await _fresh(rt)
        await rt.send(
            {
                "type": "conversation.item.create",
                "item": {
                    "type": "function_call",
                    "call_id": "call_1",
                    "name": "search_products",
                    "arguments": "{}",
                },
            }
        )
        await rt.send(
            {
                "type": "conversation.item.create",
                "item": {"type": "function_call_output", "call_id": "call_1", "output": LONG_ANSWER},
            }
        )
        await rt.send({"type": "response.create"})
        events = await rt.until("response.done")
        item = events[-1]["response"]["output"][0]
        full = item["content"][0]["transcript"]
        sent_ms = (
            sum(len(base64.b64decode(e["delta"])) for e in events if e["type"] == "response.audio.delta") / 48
        )
        assert sent_ms > 2000

        await rt.send(
            {
                "type": "conversation.item.truncate",
                "item_id": item["id"],
                "content_index": 0,
                "audio_end_ms": int(sent_ms) + 500,
            }
        )
        error = (await rt.until("error"))[-1]["error"]
        assert error["code"] == "invalid_value" and error["param"] == "audio_end_ms"

        await rt.send(
            {
                "type": "conversation.item.truncate",
                "item_id": item["id"],
                "content_index": 0,
                "audio_end_ms": int(sent_ms / 3),
            }
        )
        truncated = (await rt.until("conversation.item.truncated"))[-1]
        assert truncated["audio_end_ms"] == int(sent_ms / 3)
        await rt.send({"type": "conversation.item.retrieve", "item_id": item["id"]})
        heard = (await rt.until("conversation.item.retrieved"))[-1]["item"]["content"][0]["transcript"]
        assert heard and len(heard) < len(full) and full.startswith(heard)


async def test_cancel_and_overlapping_responses_behave_as_azure(serve: Serve) -> None:
    url = serve(fault_latency_ms=800)
    async with connect_preview(url, REALTIME) as rt:
        await _fresh(rt)
        await rt.send({"type": "response.cancel", "event_id": "c0"})
        error = (await rt.until("error"))[-1]["error"]
        assert (error["code"], error["event_id"]) == ("response_cancel_not_active", "c0")

        await rt.send(typed("hello"))
        await rt.send({"type": "response.create"})
        created = (await rt.until("response.created"))[-1]["response"]
        await rt.send({"type": "response.create"})
        error = (await rt.until("error"))[-1]["error"]
        assert error["code"] == "conversation_already_has_active_response"
        await rt.send({"type": "response.cancel", "response_id": created["id"]})
        done = (await rt.until("response.done"))[-1]["response"]
        assert (done["id"], done["status"]) == (created["id"], "cancelled")
        assert done["status_details"]["reason"] == "client_cancelled"


@pytest.mark.parametrize(
    ("raw", "code", "param"),
    [
        ("not json", "invalid_json", None),
        (json.dumps({"type": "no.such.event"}), "invalid_value", "type"),
        (
            json.dumps({"type": "session.update", "session": {"voice": "bob"}}),
            "invalid_value",
            "session.voice",
        ),
        (
            json.dumps({"type": "session.update", "session": {"colour": "red"}}),
            "unknown_parameter",
            "session.colour",
        ),
        (
            json.dumps({"type": "session.update", "session": {"temperature": 3}}),
            "invalid_value",
            "session.temperature",
        ),
        (json.dumps({"type": "input_audio_buffer.append", "audio": "%%%"}), "invalid_value", "audio"),
        (json.dumps({"type": "input_audio_buffer.append", "audio": "AA=="}), "invalid_value", "audio"),
        (
            json.dumps({"type": "conversation.item.truncate", "item_id": "item_x", "audio_end_ms": 1}),
            "invalid_value",
            "item_id",
        ),
        (json.dumps({"type": "conversation.item.delete", "item_id": "item_x"}), "invalid_value", "item_id"),
        (
            json.dumps(
                {
                    "type": "conversation.item.create",
                    "item": {"type": "function_call_output", "call_id": "nope", "output": "x"},
                }
            ),
            "invalid_value",
            "item.call_id",
        ),
    ],
)
async def test_bad_events_get_an_error_and_the_session_stays_open(
    emulator_url: str, raw: str, code: str, param: str | None
) -> None:
    async with connect_preview(emulator_url, REALTIME) as rt:
        await _fresh(rt)
        await rt.send_raw(raw)
        error = (await rt.until("error"))[-1]["error"]
        assert (error["code"], error["param"]) == (code, param)
        await rt.send({"type": "session.update", "session": {"instructions": "still here"}})
        assert (await rt.until("session.updated"))[-1]["session"]["instructions"] == "still here"


async def test_handshake_checks_key_version_and_deployment(serve: Serve) -> None:
    url = serve(api_key="emulator-test-key-123")
    base = ws_url(url)
    query = f"api-version={PREVIEW_API_VERSION}&deployment={REALTIME}"
    for uri, headers, status in [
        (f"{base}/openai/realtime?{query}", {"api-key": "wrong"}, 401),
        (f"{base}/openai/realtime?{query}", {}, 401),
        (f"{base}/openai/realtime?deployment={REALTIME}", {"api-key": "emulator-test-key-123"}, 404),
        (
            f"{base}/openai/realtime?api-version={PREVIEW_API_VERSION}&deployment={CHAT}",
            {"api-key": "emulator-test-key-123"},
            404,
        ),
        (
            f"{base}/openai/v1/realtime?model={REALTIME}&api-version=x",
            {"api-key": "emulator-test-key-123"},
            401,
        ),
    ]:
        with pytest.raises(websockets.InvalidStatus) as refused:
            async with websockets.connect(uri, additional_headers=headers):
                pass
        assert refused.value.response.status_code == status, uri
    for uri, headers in [
        (f"{base}/openai/realtime?{query}&api-key=emulator-test-key-123", {}),
        (f"{base}/openai/realtime?{query}", {"Authorization": "Bearer emulator-test-key-123"}),
        (f"{base}/openai/v1/realtime?model={REALTIME}", {"Authorization": "Bearer emulator-test-key-123"}),
    ]:
        async with websockets.connect(uri, additional_headers=headers) as ws:
            assert json.loads(await ws.recv())["type"] == "session.created"
    async with connect_ga(url, REALTIME, api_key="emulator-test-key-123") as rt:
        await rt.until("session.created")


async def test_session_expiry_sends_session_expired_then_closes_1001(serve: Serve) -> None:
    url = serve(fault_session_expire_s=1.0)
    async with connect_preview(url, REALTIME) as rt:
        events = await rt.until("error", within_s=10)
        assert events[-1]["error"]["code"] == "session_expired"
        with pytest.raises(Exception) as closed:
            await rt.next(within_s=5)
        assert "1001" in str(closed.value)


async def test_drop_fault_closes_the_socket_after_n_events(serve: Serve) -> None:
    url = serve(fault_drop_after_events=3)
    async with connect_preview(url, REALTIME) as rt:
        await rt.until("conversation.created")
        await rt.send({"type": "session.update", "session": {"instructions": "x"}})
        await rt.until("session.updated")
        with pytest.raises(Exception) as closed:
            await rt.next(within_s=5)
        assert "1011" in str(closed.value)
        assert len(rt.events) == 3


async def test_a_second_session_shares_the_models(emulator_url: str) -> None:
    process = psutil.Process(os.getpid())
    async with connect_preview(emulator_url, REALTIME) as first:
        await first.until("conversation.created")
        await first.send(typed("hello"))
        await first.send({"type": "response.create"})
        await first.until("response.done")
        before = process.memory_info().rss
        async with connect_preview(emulator_url, REALTIME) as second:
            await second.until("conversation.created")
            await second.send(typed("hello"))
            await second.send({"type": "response.create"})
            await second.until("response.done")
            grown = process.memory_info().rss - before
    assert grown < 40 * 1024 * 1024, f"a second session added {grown / 2**20:.0f} MiB"
    await asyncio.sleep(0)

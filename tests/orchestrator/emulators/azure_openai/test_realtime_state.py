"""Session state without sockets or models: configuration updates, the conversation, the input buffer."""

from __future__ import annotations

import numpy as np
import pytest

from orchestrator.emulators.azure_openai.realtime.config import SessionConfig, apply_update, response_options
from orchestrator.emulators.azure_openai.realtime.conversation import Conversation, Segment
from orchestrator.emulators.azure_openai.realtime.input_buffer import InputBuffer
from shared.realtime.events import ProtocolError


def test_an_update_changes_only_the_fields_sent() -> None:
    config = SessionConfig(model="rt", instructions="be brief")
    updated = apply_update(
        config, {"turn_detection": {"type": "server_vad", "silence_duration_ms": 300}}, voice_locked=False
    )
    assert updated.instructions == "be brief" and updated.id == config.id
    assert updated.turn_detection is not None and updated.turn_detection.silence_duration_ms == 300
    assert updated.turn_detection.prefix_padding_ms == 300
    assert apply_update(updated, {"turn_detection": None}, voice_locked=False).turn_detection is None


@pytest.mark.parametrize(
    ("update", "code", "param"),
    [
        ({"voice": "robot"}, "invalid_value", "session.voice"),
        ({"id": "sess_mine"}, "unknown_parameter", "session.id"),
        ({"modalities": []}, "invalid_value", "session.modalities"),
        ({"turn_detection": {"threshold": 1.5}}, "invalid_value", "session.turn_detection.threshold"),
        ({"max_response_output_tokens": 0}, "invalid_value", "session.max_response_output_tokens"),
        ({"tool_choice": "sometimes"}, "invalid_value", "session.tool_choice"),
        ({"input_audio_format": "mp3"}, "invalid_value", "session.input_audio_format"),
    ],
)
def test_an_invalid_update_is_refused_whole(update: dict[str, object], code: str, param: str) -> None:
    config = SessionConfig(model="rt")
    with pytest.raises(ProtocolError) as caught:
        apply_update(config, {"instructions": "changed", **update}, voice_locked=False)
    assert (caught.value.code, caught.value.param) == (code, param)
    assert config.instructions == ""


def test_the_voice_is_fixed_once_the_assistant_has_spoken() -> None:
    config = SessionConfig(model="rt")
    with pytest.raises(ProtocolError) as caught:
        apply_update(config, {"voice": "verse"}, voice_locked=True)
    assert caught.value.code == "cannot_update_voice"
    assert apply_update(config, {"voice": "alloy"}, voice_locked=True).voice == "alloy"


def test_response_overrides_apply_to_one_response_only() -> None:
    config = SessionConfig(model="rt", instructions="session")
    options = response_options(config, {"modalities": ["text"], "instructions": "this one"})
    assert options.modalities == ["text"] and options.instructions == "this one"
    assert response_options(config, None).instructions == "session"
    with pytest.raises(ProtocolError) as caught:
        response_options(config, {"temperature": 9})
    assert caught.value.param == "response.temperature"


def test_items_link_to_the_previous_item_and_insert_after_a_given_one() -> None:
    conversation = Conversation()
    first, before = conversation.add({"type": "message", "role": "user", "content": []})
    assert before is None
    second, before = conversation.add({"type": "message", "role": "user", "content": []})
    assert before == first.id
    inserted, before = conversation.add(
        {"type": "message", "role": "system", "content": []}, previous_item_id=first.id
    )
    assert before == first.id
    assert [e.id for e in conversation.entries()] == [first.id, inserted.id, second.id]
    with pytest.raises(ProtocolError):
        conversation.add({"type": "message", "role": "user", "content": []}, previous_item_id="item_missing")
    conversation.delete(inserted.id)
    with pytest.raises(ProtocolError):
        conversation.get(inserted.id)


def test_truncate_keeps_the_words_heard() -> None:
    conversation = Conversation()
    entry, _ = conversation.add(
        {
            "type": "message",
            "role": "assistant",
            "content": [{"type": "audio", "transcript": "one two three four"}],
        }
    )
    entry.segments = [Segment(0, 1000, "one two"), Segment(1000, 2000, "three four")]
    entry.audio_ms = 2000
    with pytest.raises(ProtocolError):
        conversation.truncate(entry.id, 0, 2600)
    conversation.truncate(entry.id, 0, 1500)
    assert entry.item["content"][0]["transcript"] == "one two three"
    assert entry.audio_ms == 1500
    user, _ = conversation.add(
        {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "x"}]}
    )
    with pytest.raises(ProtocolError):
        conversation.truncate(user.id, 0, 10)


def test_the_input_buffer_keeps_the_session_timeline() -> None:
    buffer = InputBuffer()
    for _ in range(10):
        buffer.append(np.ones(1600, dtype=np.float32))  # 100 ms each
    assert buffer.duration_ms == 1000
    turn = buffer.take(200, 700)
    assert turn.size == 8000
    assert (buffer.start_ms, buffer.end_ms) == (700, 1000)
    buffer.append(np.ones(16000 * 5, dtype=np.float32))
    buffer.keep_last(500)
    assert buffer.end_ms == 6000 and buffer.duration_ms == 500
    buffer.clear()
    assert buffer.duration_ms == 0 and buffer.start_ms == 6000


async def test_short_sentences_are_synthesized_once_and_long_ones_every_time() -> None:
    from typing import Any, cast

    from orchestrator.emulators.azure_openai.realtime.models import SpeechCache

    calls: list[str] = []

    class CountingSpeaker:
        async def asynthesize(self, text: str, *, speed: float = 1.0) -> np.ndarray[Any, Any]:
            calls.append(text)
            return np.full(10, len(calls), dtype=np.int16)

    cache = SpeechCache(cast(Any, CountingSpeaker()), size=2)
    first = await cache.synthesize("You're welcome!")
    assert (await cache.synthesize("You're welcome!")) is first
    long = "word " * 30
    await cache.synthesize(long)
    await cache.synthesize(long)
    assert calls == ["You're welcome!", long, long]
    await cache.synthesize("Hi!")
    await cache.synthesize("Bye!")
    await cache.synthesize("You're welcome!")
    assert calls[-1] == "You're welcome!", "the oldest of size 2 was dropped"

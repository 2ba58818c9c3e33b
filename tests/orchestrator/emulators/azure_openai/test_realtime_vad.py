"""Server VAD on real Silero: event positions on the input audio timeline, parameters, reset."""

from __future__ import annotations

import numpy as np
import pytest

from orchestrator.emulators.azure_openai.realtime.vad import ServerVad, VadEvent, VadParams
from tests.speech import as_float, silence, spoken

RATE = 16000
UTTERANCE = "I need a waterproof jacket for hiking"
TOLERANCE_MS = 100
MAX_CHUNK = 960  # 60 ms: an event is seen at most this late after the frame that caused it


@pytest.fixture(scope="module")
def speech() -> np.ndarray:
    """The utterance trimmed to where its waveform is audible, so its onset and end are known exactly."""
    samples = as_float(spoken(UTTERANCE, rate=RATE, voice="espeak"))
    loud = np.flatnonzero(np.abs(samples) > 0.01)
    return samples[loud[0] : loud[-1] + 1]


def pause(ms: int) -> np.ndarray:
    return as_float(silence(ms, rate=RATE))


def feed(vad: ServerVad, audio: np.ndarray, seed: int = 0) -> list[tuple[VadEvent, int]]:
    """Feeds `audio` in random chunk sizes; each event with the elapsed ms after the chunk that emitted it."""
    rng = np.random.default_rng(seed)
    out: list[tuple[VadEvent, int]] = []
    position = 0
    while position < audio.size:
        size = int(rng.integers(1, MAX_CHUNK + 1))
        out.extend((event, vad.elapsed_ms) for event in vad.feed(audio[position : position + size]))
        position += size
    return out


def ms(samples: np.ndarray) -> int:
    return samples.size * 1000 // RATE


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_one_utterance_between_silences(speech: np.ndarray, seed: int) -> None:
    params = VadParams()
    vad = ServerVad(params)
    emitted = feed(vad, np.concatenate([pause(1000), speech, pause(1000)]), seed)

    assert [event.kind for event, _ in emitted] == ["speech_started", "speech_stopped"]
    (started, started_at), (stopped, stopped_at) = emitted
    assert abs(started.audio_ms - (1000 - params.prefix_padding_ms)) <= TOLERANCE_MS
    assert started_at - 1000 <= 3 * 32 + ms(pause(60))  # detected within a few frames of the onset
    end_ms = 1000 + ms(speech)
    assert abs(stopped.audio_ms - end_ms) <= TOLERANCE_MS
    assert stopped_at >= stopped.audio_ms + params.silence_duration_ms
    assert stopped_at <= stopped.audio_ms + params.silence_duration_ms + 2 * 32 + ms(pause(60))
    assert vad.elapsed_ms == 2000 + ms(speech)
    assert not vad.in_speech


def test_in_speech_between_the_events(speech: np.ndarray) -> None:
    vad = ServerVad(VadParams())
    vad.feed(pause(500))
    assert not vad.in_speech
    assert [e.kind for e in vad.feed(speech[: speech.size // 2])] == ["speech_started"]
    assert vad.in_speech


def test_silence_alone_yields_nothing() -> None:
    vad = ServerVad(VadParams())
    rng = np.random.default_rng(3)
    hiss = (rng.standard_normal(RATE * 3) * 0.003).astype(np.float32)
    assert feed(vad, np.concatenate([pause(2000), hiss])) == []
    assert vad.elapsed_ms == 5000


def test_prefix_padding_stops_at_the_start_of_the_audio(speech: np.ndarray) -> None:
    vad = ServerVad(VadParams(prefix_padding_ms=300))
    (started, _), _ = feed(vad, np.concatenate([pause(100), speech, pause(800)]))
    assert started.audio_ms == 0


def test_prefix_padding_stops_at_the_end_of_the_previous_turn(speech: np.ndarray) -> None:
    vad = ServerVad(VadParams(prefix_padding_ms=1500, silence_duration_ms=300))
    emitted = feed(vad, np.concatenate([pause(200), speech, pause(600), speech, pause(600)]))
    kinds = [event.kind for event, _ in emitted]
    assert kinds == ["speech_started", "speech_stopped", "speech_started", "speech_stopped"]
    first_stop, second_start = emitted[1][0], emitted[2][0]
    assert second_start.audio_ms == first_stop.audio_ms


def test_a_longer_silence_duration_merges_two_phrases(speech: np.ndarray) -> None:
    audio = np.concatenate([pause(500), speech, pause(700), speech, pause(1500)])
    quick = feed(ServerVad(VadParams(silence_duration_ms=400)), audio)
    patient = feed(ServerVad(VadParams(silence_duration_ms=1000)), audio)
    assert [e.kind for e, _ in quick].count("speech_stopped") == 2
    assert [e.kind for e, _ in patient] == ["speech_started", "speech_stopped"]
    assert abs(patient[1][0].audio_ms - quick[3][0].audio_ms) <= TOLERANCE_MS


def test_a_higher_threshold_ignores_faint_speech(speech: np.ndarray) -> None:
    faint = np.concatenate([pause(500), speech * 0.005, pause(1000)])  # Silero: about 0.5, at most 0.7
    assert [e.kind for e, _ in feed(ServerVad(VadParams(threshold=0.3)), faint)][:1] == ["speech_started"]
    assert feed(ServerVad(VadParams(threshold=0.9)), faint) == []


def test_params_can_change_between_turns(speech: np.ndarray) -> None:
    vad = ServerVad(VadParams(silence_duration_ms=1500))
    assert [e.kind for e, _ in feed(vad, np.concatenate([pause(300), speech, pause(1000)]))] == [
        "speech_started"
    ]
    vad.params = VadParams(silence_duration_ms=200)
    assert [e.kind for e in vad.feed(pause(100))] == ["speech_stopped"]


def test_reset_forgets_speech_in_progress_and_keeps_the_clock(speech: np.ndarray) -> None:
    vad = ServerVad(VadParams())
    vad.feed(pause(1000))
    assert [e.kind for e in vad.feed(speech[: speech.size // 2])] == ["speech_started"]
    cut_ms = vad.elapsed_ms
    vad.reset()
    assert not vad.in_speech
    assert vad.elapsed_ms == cut_ms
    assert feed(vad, pause(1500)) == []

    emitted = feed(vad, np.concatenate([speech, pause(1000)]))
    assert [e.kind for e, _ in emitted] == ["speech_started", "speech_stopped"]
    resumed = cut_ms + 1500
    assert abs(emitted[0][0].audio_ms - (resumed - 300)) <= TOLERANCE_MS
    assert abs(emitted[1][0].audio_ms - (resumed + ms(speech))) <= TOLERANCE_MS


def test_reset_floor_keeps_the_next_start_after_the_reset(speech: np.ndarray) -> None:
    vad = ServerVad(VadParams(prefix_padding_ms=1000))
    vad.feed(pause(600))
    vad.reset()
    emitted = vad.feed(np.concatenate([pause(100), speech]))
    assert emitted[0].kind == "speech_started"
    assert emitted[0].audio_ms == 600

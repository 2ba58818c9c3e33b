"""The Piper speaker (heard back through Whisper), sentence splitting and speakable text."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import numpy as np
import pytest

from orchestrator.emulators.azure_openai.realtime.audio import resample, to_float
from orchestrator.emulators.azure_openai.realtime.stt import Transcriber, get_transcriber
from orchestrator.emulators.azure_openai.realtime.tts import (
    MODEL_PACKAGE,
    OUTPUT_RATE,
    ModelFileError,
    Speaker,
    get_speaker,
    speakable,
    split_sentences,
)

SENTENCE = "Would you like me to add the green rain jacket to your cart?"


@pytest.fixture(scope="module")
def speaker() -> Speaker:
    return get_speaker()


@pytest.fixture(scope="module")
def transcriber() -> Transcriber:
    return get_transcriber()


def heard(transcriber: Transcriber, samples: np.ndarray) -> str:
    text = transcriber.transcribe(resample(to_float(samples), OUTPUT_RATE, 16000))
    return " ".join(re.sub(r"[^a-z0-9$.% ]+", " ", text.lower()).split())


def test_synthesize_gives_24k_pcm16_of_a_plausible_length(speaker: Speaker) -> None:
    samples = speaker.synthesize(SENTENCE)
    assert OUTPUT_RATE == 24000
    assert samples.dtype == np.int16 and samples.ndim == 1
    seconds = samples.size / OUTPUT_RATE
    word_count = len(SENTENCE.split())
    assert 0.15 * word_count <= seconds <= 0.8 * word_count  # about 0.2 s a word here
    assert np.sqrt(np.mean(to_float(samples) ** 2)) > 0.05


def test_spoken_words_are_heard_back(speaker: Speaker, transcriber: Transcriber) -> None:
    assert heard(transcriber, speaker.synthesize(SENTENCE)).rstrip("?") == (
        "would you like me to add the green rain jacket to your cart"
    )


def test_prices_and_units_are_spoken_as_words(speaker: Speaker, transcriber: Transcriber) -> None:
    text = heard(transcriber, speaker.synthesize("It costs $129.99, holds 10L and is 20% off."))
    assert "129" in text and "99" in text
    assert "10 liters" in text
    assert "20%" in text or "20 percent" in text


def test_deterministic_by_default_and_speed_changes_length(speaker: Speaker) -> None:
    normal = speaker.synthesize(SENTENCE)
    assert np.array_equal(normal, speaker.synthesize(SENTENCE))
    fast = speaker.synthesize(SENTENCE, speed=1.5)
    assert 0.55 < fast.size / normal.size < 0.8
    assert speaker.synthesize(SENTENCE, deterministic=False).size > 0
    with pytest.raises(ValueError):
        speaker.synthesize(SENTENCE, speed=0)


def test_nothing_to_say_is_no_audio(speaker: Speaker) -> None:
    assert speaker.synthesize("").size == 0
    assert speaker.synthesize("   ").dtype == np.int16


async def test_asynthesize_takes_turns(speaker: Speaker) -> None:
    first, second = await asyncio.gather(speaker.asynthesize("Hello there."), speaker.asynthesize(SENTENCE))
    assert np.array_equal(first, speaker.synthesize("Hello there."))
    assert np.array_equal(second, speaker.synthesize(SENTENCE))


def test_get_speaker_is_loaded_once(speaker: Speaker) -> None:
    assert get_speaker() is speaker


def test_model_files_with_another_sha256_are_refused(tmp_path: Path) -> None:
    fake = tmp_path / "voice.onnx"
    fake.write_bytes(b"not a voice")
    with pytest.raises(ModelFileError) as caught:
        Speaker(model_path=fake)
    assert str(fake) in str(caught.value) and MODEL_PACKAGE in str(caught.value)
    with pytest.raises(ModelFileError, match="reinstall"):
        Speaker(config_path=fake, model_path=tmp_path / "never-read.onnx")


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Hello there. The tent is $12.99! Want it?", ["Hello there.", "The tent is $12.99!", "Want it?"]),
        ("Bring layers, e.g. a fleece. Done.", ["Bring layers, e.g. a fleece.", "Done."]),
        ("Meet at Main St. by noon. Then go.", ["Meet at Main St. by noon.", "Then go."]),
        ("Options:\n1. The Dome tent.\n2. The Ridge.", ["Options:", "1. The Dome tent.", "2. The Ridge."]),
        ('He said "sure." Then he left.', ['He said "sure."', "Then he left."]),
        ("Wait... what?", ["Wait...", "what?"]),
        ("It weighs 1.2 kg and costs $1,299.00 today", ["It weighs 1.2 kg and costs $1,299.00 today"]),
        ("", []),
        ("  \n ", []),
    ],
)  # fmt: skip
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


def test_long_sentences_are_cut_at_clauses() -> None:
    text = (
        "The Ridge tent is light, strong and quick to pitch, it sleeps three people comfortably; "
        "the fly is fully waterproof, and the poles are aluminium, so it will last for many seasons."
    )
    chunks = split_sentences(text)
    assert len(chunks) > 1
    assert " ".join(chunks) == text
    assert all(len(chunk) <= 80 for chunk in chunks)
    assert len(chunks[0]) < 60


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("$129.99", "129 dollars 99"),
        ("$40", "40 dollars"),
        ("$1", "1 dollar"),
        ("$0.99", "99 cents"),
        ("$1,299.00", "1299 dollars"),
        ("$5.05", "5 dollars and 5 cents"),
        ("$50-$100", "50 dollars to 100 dollars"),
        ("20% off", "20 percent off"),
        ("Tent & stove", "Tent and stove"),
        ("Stakes x2", "Stakes times 2"),
        ("a 2x3 m tarp", "a 2 by 3 meters tarp"),
        ("a 10L bag", "a 10 liters bag"),
        ("800g", "800 grams"),
        ("1.2 kg", "1.2 kilograms"),
        ("1 kg", "1 kilogram"),
        ("12 oz and 6 ft", "12 ounces and 6 feet"),
        ("rated to 20°F", "rated to 20 degrees Fahrenheit"),
        ("$5/day", "5 dollars per day"),
        ("sleeps 4+", "sleeps 4 plus"),
        ("our #1 pick", "our number 1 pick"),
        ("**Bold** choice", "Bold choice"),
        ("see [the guide](https://example.com)", "see the guide"),
        ("layers, e.g. fleece", "layers, for example fleece"),
        ("in 2 to 3 days", "in 2 to 3 days"),
        ("Hello there.", "Hello there."),
    ],
)
def test_speakable(text: str, said: str) -> None:
    assert speakable(text) == said

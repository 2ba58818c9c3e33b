"""The store page in Debian's Chromium against the scripted fake store (fake_store.py).

The microphone is a WAV spoken by espeak-ng at test time, fed by Chromium's fake capture device; the page's
own worklets resample it to 24 kHz and play the fake's 440 Hz answer through a real AudioContext. One
browser per module, a fresh context and page per test.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from tests.servers import serving
from tests.store_realtime.fake_store import ANSWER, PRODUCTS, RATE, TONE_MS, USER_SAYS, FakeStore, Mode

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
OUTPUT = Path(__file__).resolve().parents[1] / "output"
TIMEOUT_MS = 10_000
TONE_SAMPLES = RATE * TONE_MS // 1000

# Records every value of <body data-state> from before the click on, and whether a "…" bubble showed.
WATCH = """() => {
  window.seenStates = [document.body.dataset.state];
  new MutationObserver(() => {
    const state = document.body.dataset.state;
    if (window.seenStates.at(-1) !== state) window.seenStates.push(state);
    const pending = document.querySelector(".bubble.user.pending");
    if (pending?.textContent.includes("…")) window.sawPlaceholder = true;
  }).observe(document.body, { attributes: true, childList: true, subtree: true, characterData: true });
}"""


@dataclass
class Store:
    fake: FakeStore
    url: str


@pytest.fixture(scope="module")
def speech_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed (scripts/ensure-debs.sh installs it)")
    folder = tmp_path_factory.mktemp("mic")
    spoken, wav = folder / "espeak.wav", folder / "speech.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(spoken), USER_SAYS], check=True)
    # Chromium's fake capture wants 16-bit PCM; mono 48 kHz as a real microphone would give.
    command = ["sox", str(spoken), "-r", "48000", "-c", "1", "-b", "16", "-e", "signed-integer", str(wav)]
    subprocess.run([*command, "pad", "0", "0.3"], check=True)
    return wav


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    fake = FakeStore()
    with serving(fake.app) as url:
        yield Store(fake, url)


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright, speech_wav: Path) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing (scripts/ensure-debs.sh installs Debian's chromium)")
    args = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={speech_wav}",
        "--autoplay-policy=no-user-gesture-required",
    ]
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
    yield browser
    browser.close()


def open_page(
    browser: Browser, store: Store, mode: Mode = "normal", *, chunk_pause_s: float = 0.03, **context: Any
) -> Iterator[Page]:
    store.fake.reset(mode, chunk_pause_s=chunk_pause_s)
    ctx = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900}, **context)
    page = ctx.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto(store.url + "/")
    page.evaluate(WATCH)
    yield page
    ctx.close()
    assert store.fake.invalid == [], "the page sent events the Realtime protocol refuses"
    assert [p for p in problems if "WebSocket" not in p] == [], "the page logged errors"


@pytest.fixture
def page(browser: Browser, store: Store) -> Iterator[Page]:
    yield from open_page(browser, store)


def seen_states(page: Page) -> list[str]:
    states: list[str] = page.evaluate("window.seenStates")
    return states


def in_order(expected: list[str], seen: list[str]) -> bool:
    remaining = iter(seen)
    return all(state in remaining for state in expected)


def debug(page: Page, name: str) -> Any:
    return page.evaluate(f"window.storeDebug.{name}()")


def pcm(event: dict[str, Any]) -> np.ndarray[Any, np.dtype[np.int16]]:
    return np.frombuffer(base64.b64decode(event["audio"]), dtype="<i2")


def test_a_spoken_question_gets_cards_an_answer_and_its_latency(page: Page, store: Store) -> None:
    page.get_by_role("button", name="Start talking").click()
    expect(page.locator("#talk")).to_have_attribute("data-state", "listening")
    assert in_order(["idle", "connecting", "listening"], seen_states(page))
    store.fake.wait_for("store.cart.get")

    # The turn: user transcript, product cards, the spoken answer with its transcript, the latency.
    expect(page.locator(".bubble.user .text")).to_have_text(USER_SAYS)
    assert page.evaluate("window.sawPlaceholder === true"), "no … bubble between committed and the transcript"
    cards = page.locator(".card")
    expect(cards).to_have_count(3)
    polar, ember, glacier = cards.nth(0), cards.nth(1), cards.nth(2)
    expect(polar.locator(".name")).to_have_text(PRODUCTS[0]["name"])
    expect(polar.locator(".price")).to_have_text("$349.00")
    expect(polar.locator(".stock")).to_have_text("In stock")
    expect(polar.locator(".reason")).to_have_text(PRODUCTS[0]["reason"])
    expect(polar.locator("img")).to_have_attribute("src", "/images/BAG-0001.svg")
    expect(ember.locator(".price")).to_have_text("$129.99")
    expect(ember.locator(".stock")).to_have_text("Only 2 left")
    expect(glacier.locator(".stock")).to_have_text("Out of stock")
    expect(glacier.locator("button.add")).to_be_disabled()
    expect(polar.get_by_role("button", name="Add to cart")).to_be_enabled()
    expect(page.locator(".bubble.assistant .text")).to_have_text(ANSWER)
    expect(page.locator(".bubble").nth(0)).to_have_attribute("data-role", "user")

    page.wait_for_function(f"() => window.storeDebug.playedSamples() >= {TONE_SAMPLES}", timeout=TIMEOUT_MS)
    assert debug(page, "playedSamples") == TONE_SAMPLES, "the worklet counts exactly what it played"
    metrics = store.fake.wait_for("store.metrics")[0]
    turn_ms = metrics["end_of_speech_to_first_audio_played_ms"]
    assert metrics["response_id"].startswith("resp_")
    assert 0 < turn_ms < 5000
    expect(page.locator("#latency")).to_contain_text("server ")
    expect(page.locator("#latency")).to_contain_text(f"heard after {turn_ms} ms")
    expect(page.locator(".bubble.assistant .meta")).to_contain_text(f"heard after {turn_ms} ms")
    expect(page.locator("#talk")).to_have_attribute("data-state", "listening")
    states = seen_states(page)
    assert in_order(["connecting", "listening", "thinking", "speaking", "listening"], states), states
    thinking = states.index("thinking")
    assert "listening" not in states[thinking : states.index("speaking", thinking)], (
        "flickered during the tool"
    )

    # The microphone all along: 24 kHz pcm16 frames of 40-100 ms, at the pace of real time, not silent.
    frames = [pcm(event) for event in store.fake.received("input_audio_buffer.append")]
    assert len(frames) >= 40
    assert all(960 <= len(frame) <= 2400 for frame in frames), sorted({len(f) for f in frames})
    times = store.fake.append_times[: len(frames)]
    audio_s = sum(len(frame) for frame in frames[1:]) / RATE
    assert 0.8 < audio_s / (times[-1] - times[0]) < 1.25, "the frames do not carry 24 kHz of audio per second"
    samples = np.concatenate(frames).astype(np.float64) / 32768
    assert np.sqrt(np.mean(samples**2)) > 0.01, "the microphone audio is silent"

    # Speech with nothing left to play is no barge-in.
    store.fake.push(
        {"type": "input_audio_buffer.speech_started", "audio_start_ms": 4000, "item_id": "item_next"}
    )
    page.wait_for_timeout(300)
    assert store.fake.received("conversation.item.truncate") == []

    page.locator("#log summary").click()
    expect(page.locator("#log-list")).to_contain_text("search_products completed in 118 ms")
    expect(page.locator("#log-list")).to_contain_text('"query": "warm sleeping bag"')
    expect(page.locator("#log-summary")).to_contain_text("1,342 tokens")
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "store_page.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "wider than a phone"
    page.screenshot(path=str(OUTPUT / "store_page_phone.png"), full_page=True)

    page.get_by_role("button", name="Stop talking").click()
    expect(page.locator("#talk")).to_have_attribute("data-state", "idle")
    expect(page.locator("#alert")).to_be_hidden()


def test_add_to_cart_and_remove(page: Page, store: Store) -> None:
    page.get_by_label("Type a message to the assistant").fill("a warm sleeping bag")
    page.get_by_role("button", name="Send").click()
    store.fake.wait_for("store.cart.get")
    polar = page.locator(".card").first
    polar.get_by_role("button", name="Add to cart").click()
    assert store.fake.wait_for("store.cart.add")[0] == {
        "type": "store.cart.add",
        "product_id": 101,
        "quantity": 1,
    }
    line = page.locator(".line")
    expect(line).to_have_count(1)
    expect(line.locator(".line-name")).to_have_text(PRODUCTS[0]["name"])
    expect(line.locator(".line-qty")).to_have_text("1 × $349.00")
    expect(page.locator("#cart-total")).to_have_text("$349.00")
    expect(page.locator("#cart-count")).to_have_text("1")

    polar.get_by_role("button", name="Add to cart").click()
    expect(line.locator(".line-qty")).to_have_text("2 × $349.00")
    expect(page.locator("#cart-total")).to_have_text("$698.00")
    expect(polar.locator(".in-cart")).to_have_text("2 in cart")

    page.get_by_role("button", name=f"Remove {PRODUCTS[0]['name']} from cart").click()
    assert store.fake.wait_for("store.cart.remove")[0]["product_id"] == 101
    expect(page.locator(".line")).to_have_count(0)
    expect(page.locator("#cart-lines")).to_contain_text("Your cart is empty.")
    expect(page.locator("#cart-total")).to_have_text("$0.00")

    refusal = "Only 2 of the Ember Synthetic Sleeping Bag are in stock."
    store.fake.push(
        {
            "type": "error",
            "error": {"type": "invalid_request_error", "code": "cart_error", "message": refusal},
        }
    )
    expect(page.locator("#cart-note")).to_have_text(refusal)


@pytest.mark.parametrize("chunk_pause_s", [0.03, 0.1], ids=["all-audio-received", "audio-still-streaming"])
def test_barge_in_flushes_playback_and_truncates_at_what_was_heard(
    browser: Browser, store: Store, chunk_pause_s: float
) -> None:
    for page in open_page(browser, store, chunk_pause_s=chunk_pause_s):
        page.get_by_role("button", name="Start talking").click()
        page.wait_for_function(f"() => window.storeDebug.playedSamples() >= {RATE // 2}", timeout=TIMEOUT_MS)
        heard_ms = debug(page, "playedSamples") * 1000 / RATE
        assert heard_ms < TONE_MS - 300, "the tone was nearly over before the barge-in"
        barge_in = {
            "type": "input_audio_buffer.speech_started",
            "audio_start_ms": 2900,
            "item_id": "item_barge",
        }
        store.fake.push(barge_in)

        truncate = store.fake.wait_for("conversation.item.truncate")[0]
        assistant_item = page.locator(".bubble.assistant").get_attribute("data-item-id")
        assert truncate["item_id"] == assistant_item
        assert truncate["content_index"] == 0
        sent_ms = store.fake.sent_ms_at_truncate[truncate["item_id"]]
        assert 0 < truncate["audio_end_ms"] <= sent_ms <= TONE_MS, "never more than was received"
        assert heard_ms - 1 <= truncate["audio_end_ms"] <= heard_ms + 150, (heard_ms, truncate)

        stopped_at = debug(page, "playedSamples")
        assert abs(stopped_at * 1000 / RATE - truncate["audio_end_ms"]) <= 1
        page.wait_for_timeout(400)  # when still streaming, more deltas arrive meanwhile: they stay unplayed
        assert debug(page, "playedSamples") == stopped_at, "playback went on after the flush"
        expect(page.locator(".bubble.assistant .cut-label")).to_have_text("cut off")
        expect(page.locator("#state-text")).to_have_text("Hearing you…")


def test_typed_text_creates_an_item_and_a_response(page: Page, store: Store) -> None:
    page.get_by_label("Type a message to the assistant").fill("Do you have a warm sleeping bag?")
    page.keyboard.press("Enter")
    create = store.fake.wait_for("response.create")[0]
    kinds = [event["type"] for event in store.fake.events]
    assert kinds.index("conversation.item.create") < kinds.index("response.create")
    assert create == {"type": "response.create"}
    item = store.fake.received("conversation.item.create")[0]["item"]
    assert item == {
        "type": "message",
        "role": "user",
        "content": [{"type": "input_text", "text": "Do you have a warm sleeping bag?"}],
    }
    assert store.fake.received("input_audio_buffer.append") == [], "a typed session leaves the microphone off"
    expect(page.locator(".bubble.user .text")).to_have_text("Do you have a warm sleeping bag?")
    expect(page.locator(".bubble.assistant .text")).to_have_text(ANSWER)
    expect(page.locator(".card")).to_have_count(3)
    expect(page.locator("#talk")).to_have_attribute("data-state", "ready")

    store.fake.push({"type": "store.session", "state": "reconnecting", "reason": "upstream closed"})
    expect(page.locator("#banner")).to_contain_text("reconnecting")
    store.fake.push({"type": "store.session", "state": "reconnected"})
    expect(page.locator("#banner")).to_contain_text("Reconnected")


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("refuse", "Can't reach the store assistant"),
        ("capacity", "busy helping other customers"),
        ("end", "Your session has ended"),
        ("drop", "connection to the assistant was lost"),
    ],
)
def test_the_customer_reads_how_a_session_failed_or_ended(
    browser: Browser, store: Store, mode: Mode, message: str
) -> None:
    for page in open_page(browser, store, mode):
        page.get_by_role("button", name="Start talking").click()
        expect(page.get_by_role("alert")).to_contain_text(message)
        expect(page.locator("#talk")).to_have_attribute("data-state", "idle")
        expect(page.get_by_role("button", name="Start talking")).to_be_enabled()
        assert store.fake.connections == 1


def test_audio_that_never_starts_is_explained(browser: Browser, store: Store) -> None:
    """A browser with no usable audio output never settles AudioContext.resume(); the page says so."""
    for page in open_page(browser, store):
        page.evaluate("() => { AudioContext.prototype.resume = () => new Promise(() => {}); }")
        page.get_by_role("button", name="Start talking").click()
        expect(page.get_by_role("alert")).to_contain_text("could not start audio", timeout=15_000)
        expect(page.locator("#talk")).to_have_attribute("data-state", "idle")
        assert store.fake.connections == 0


def test_a_denied_microphone_is_explained(playwright: Playwright, store: Store) -> None:
    # Without --use-fake-ui-for-media-stream, Chromium under Playwright refuses the microphone like a
    # customer pressing "Block" (the flag would grant it whatever the context's permissions say).
    strict = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=["--use-fake-device-for-media-stream"]
    )
    try:
        for page in open_page(strict, store, permissions=[]):
            page.get_by_role("button", name="Start talking").click()
            expect(page.get_by_role("alert")).to_contain_text("Microphone access is blocked")
            expect(page.get_by_role("alert")).to_contain_text("type your question below")
            expect(page.locator("#talk")).to_have_attribute("data-state", "idle")
            time.sleep(0.2)
            assert store.fake.received("input_audio_buffer.append") == []
    finally:
        strict.close()


# The worklets alone, on an OfflineAudioContext at a microphone's or a speaker's usual rates.
CAPTURE = """async ({ rate, hz }) => {
  const context = new OfflineAudioContext(1, rate, rate);
  await context.audioWorklet.addModule("static/capture-worklet.js");
  const node = new AudioWorkletNode(context, "store-capture", {
    numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1, channelCountMode: "explicit",
    processorOptions: { frameMs: 50 },
  });
  const frames = [];
  node.port.onmessage = (event) => frames.push(Array.from(new Int16Array(event.data.pcm)));
  const tone = new OscillatorNode(context, { frequency: hz });
  tone.connect(new GainNode(context, { gain: 0.5 })).connect(node);
  tone.start();
  await context.startRendering();
  // Frames arrive as messages after rendering; wait until they stop coming (up to 3 s on a busy machine).
  for (let waited = 0, seen = -1; waited < 3000 && seen !== frames.length; waited += 100) {
    seen = frames.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return frames;
}"""

PLAYBACK = """async ({ rate }) => {
  const context = new OfflineAudioContext(1, rate, rate);
  await context.audioWorklet.addModule("static/playback-worklet.js");
  const node = new AudioWorkletNode(context, "store-playback", {
    numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1],
  });
  node.connect(context.destination);
  const messages = [];
  let pong, drained;
  const ponged = new Promise((resolve) => { pong = resolve; });
  const done = new Promise((resolve) => { drained = resolve; });
  node.port.onmessage = (event) => {
    if (event.data.type === "pong") return pong();
    messages.push(event.data);
    if (event.data.type === "drained") drained();
  };
  const pcm = new Int16Array(12000);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(16383 * Math.sin((2 * Math.PI * 440 * i) / 24000));
  node.port.postMessage({ type: "push", itemId: "item_a", seq: 1, pcm: pcm.buffer }, [pcm.buffer]);
  node.port.postMessage({ type: "ping" });
  // Rendering waits until the worklet has the audio: on a busy machine it could otherwise run first.
  context.suspend(0).then(async () => { await ponged; await context.resume(); });
  const rendered = await context.startRendering();
  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 3000))]);
  return { out: Array.from(rendered.getChannelData(0)), messages };
}"""


def spectrum_peak(samples: np.ndarray[Any, np.dtype[np.float64]], rate: int) -> float:
    magnitudes = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[magnitudes.argmax()])


@pytest.mark.parametrize(("rate", "hz"), [(48000, 1000), (44100, 440)])
def test_the_capture_worklet_resamples_to_24khz_frames(page: Page, rate: int, hz: int) -> None:
    frames = page.evaluate(CAPTURE, {"rate": rate, "hz": hz})
    assert {len(frame) for frame in frames} == {1200}, "50 ms frames of 24 kHz samples"
    samples = np.concatenate(frames).astype(np.float64) / 32768
    assert abs(len(samples) - RATE) <= 1200, "one second in, one second out"
    assert abs(spectrum_peak(samples, RATE) - hz) <= 2
    assert np.sqrt(np.mean(samples[2400:] ** 2)) == pytest.approx(0.5 / np.sqrt(2), rel=0.05)


def test_the_capture_worklet_filters_what_24khz_cannot_hold(page: Page) -> None:
    frames = page.evaluate(CAPTURE, {"rate": 48000, "hz": 17000})  # would fold back to 7 kHz
    samples = np.concatenate(frames).astype(np.float64) / 32768
    assert np.sqrt(np.mean(samples[2400:] ** 2)) < 0.01 * 0.5 / np.sqrt(2), (
        "less than -40 dB of the 17 kHz tone"
    )


@pytest.mark.parametrize("rate", [48000, 44100])
def test_the_playback_worklet_plays_24khz_at_the_context_rate_and_counts_exactly(
    page: Page, rate: int
) -> None:
    result = page.evaluate(PLAYBACK, {"rate": rate})
    out = np.asarray(result["out"], dtype=np.float64)
    sounding = np.nonzero(np.abs(out) > 1e-4)[0]
    assert (sounding[-1] - sounding[0]) / rate == pytest.approx(0.5, abs=0.002), "0.5 s in, 0.5 s out"
    assert abs(spectrum_peak(out[sounding[0] : sounding[-1]], rate) - 440) <= 2
    messages = result["messages"]
    assert messages[0] == {"type": "started", "itemId": "item_a"}
    assert messages[-1] == {"type": "drained", "seq": 1, "played": [["item_a", 12000]]}
    reports = [m["samples"] for m in messages if m["type"] == "played"]
    assert reports == sorted(reports) and reports[-1] == 12000 and len(reports) >= 9, "every ~50 ms"

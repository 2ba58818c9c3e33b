"""The store page end to end in Debian's Chromium: a spoken question through the real voice stack.

The microphone is a WAV of the emulator's Piper voice, made at test time and fed by Chromium's fake capture
device (which loops it: the long trailing silence keeps that to one turn per loop). Behind the page are the
real store_realtime app, the offline Azure OpenAI emulator (Whisper, Piper, VAD) and products_service
seeded with SMALL_CATALOG.
"""

from __future__ import annotations

import re
import time
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect, sync_playwright

from tests.conftest import SMALL_CATALOG
from tests.speech import silence, spoken
from tests.store_realtime.conftest import StartStore

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
OUTPUT = Path(__file__).resolve().parents[1] / "output"
SAYS = "I'm looking for a warm sleeping bag"
LEAD_IN_MS = 2500  # the page drops microphone audio until session.created, ~1 s after the mic opens
TAIL_MS = 4000  # the fake capture loops the file: one turn per loop
MIC_RATE = 48000  # what a real microphone usually gives; the page's worklet resamples it to 24 kHz
TURN_BUDGET_S = 60.0  # from the click to the answer heard, on a loaded 2-core machine
SLEEPING_BAGS = ("Polar Night -12 Sleeping Bag", "Summer Breeze Sleeping Bag")
CATALOG_NAMES = [str(product["name"]) for product in SMALL_CATALOG]

# The first catalog product the assistant's transcript names, once the page has played its audio.
NAMED_AND_HEARD = """(names) => {
  if (window.storeDebug.playedSamples() <= 0) return null;
  const said = [...document.querySelectorAll(".bubble.assistant .text")].map((e) => e.textContent).join(" ");
  return names.find((name) => said.includes(name)) ?? null;
}"""

# The event log's entries (folded away in a <details>, so not inner_text), one line each.
LOG_ENTRIES = "(entries) => entries.map((e) => [...e.children].map((c) => c.textContent).join(' '))"


@pytest.fixture
def mic_wav(tmp_path: Path) -> Path:
    for name in SLEEPING_BAGS:
        assert name in CATALOG_NAMES, f"SMALL_CATALOG no longer has {name}"
    pcm = silence(LEAD_IN_MS, rate=MIC_RATE) + spoken(SAYS, rate=MIC_RATE) + silence(TAIL_MS, rate=MIC_RATE)
    path = tmp_path / "mic.wav"
    with wave.open(str(path), "wb") as out:  # 16-bit mono PCM, as Chromium's fake capture wants
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(MIC_RATE)
        out.writeframes(pcm)
    return path


@pytest.fixture
def page(mic_wav: Path) -> Iterator[Page]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing (scripts/ensure-debs.sh installs Debian's chromium)")
    args = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={mic_wav}",
        "--autoplay-policy=no-user-gesture-required",
    ]
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        try:
            context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
            yield context.new_page()
            context.close()
        finally:
            browser.close()


def event_log(page: Page) -> str:
    try:
        entries: list[str] = page.eval_on_selector_all("#log-list .entry", LOG_ENTRIES)
        return "\n".join(entries) or "(empty)"
    except PlaywrightError as error:
        return f"(no event log: {error})"


def test_a_spoken_question_shows_its_transcript_cards_and_answer_and_is_heard(
    start_store: StartStore, page: Page
) -> None:
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto(start_store() + "/")

    page.get_by_role("button", name="Start talking").click()
    clicked = time.monotonic()

    def left_ms() -> float:
        return max(1000.0, (clicked + TURN_BUDGET_S - time.monotonic()) * 1000)

    try:
        expect(page.locator("#talk")).to_have_attribute("data-state", "listening", timeout=left_ms())
        user = page.locator(".bubble.user .text").first
        expect(user).to_contain_text("sleeping bag", ignore_case=True, timeout=left_ms())
        heard_at = time.monotonic() - clicked

        bags = page.locator(".card .name").filter(
            has_text=re.compile("|".join(map(re.escape, SLEEPING_BAGS)))
        )
        expect(bags.first).to_be_visible(timeout=left_ms())
        cards = page.locator(".card .name").all_inner_texts()
        assert set(cards) <= set(CATALOG_NAMES), cards

        named = page.wait_for_function(NAMED_AND_HEARD, arg=cards, timeout=left_ms()).json_value()
        answered_at = time.monotonic() - clicked
        assert named in cards, (named, cards)
        assert page.evaluate("window.storeDebug.playedSamples()") > 0

        latency = page.locator("#latency")
        expect(latency).to_have_text(
            re.compile(r"^Last answer: server \d+ ms · heard after \d+ ms$"), timeout=left_ms()
        )
    except (AssertionError, PlaywrightError) as error:
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUTPUT / "store_page_e2e_failed.png"), full_page=True)
        raise AssertionError(f"{error}\n--- the page's event log ---\n{event_log(page)}") from error

    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "store_page_e2e.png"), full_page=True)
    (OUTPUT / "store_page_e2e_failed.png").unlink(missing_ok=True)
    print(
        f"user transcript at {heard_at:.1f} s, answer naming {named!r} heard at {answered_at:.1f} s;"
        f" {latency.inner_text()}"
    )

    page.get_by_role("button", name="Stop talking").click()
    expect(page.locator("#talk")).to_have_attribute("data-state", "idle")
    expect(page.locator("#alert")).to_be_hidden()
    assert [p for p in problems if "WebSocket" not in p] == [], "the page logged errors"

"""The dashboard page in Debian's Chromium: resources with logs, a trace waterfall, metric charts.

The dashboard is fed real OTLP from the SDK (a voice turn across three services, the store's metrics)
plus a hand-built metric history so the charts have a past. Screenshots go to tests/output/.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from opentelemetry.metrics import CallbackOptions, Observation
from playwright.sync_api import Browser, Page, expect, sync_playwright

from orchestrator.dashboard import StaticResources, create_app
from tests.orchestrator.dashboard.dashboard_history import history
from tests.orchestrator.dashboard.dashboard_support import (
    exporting,
    http_requests,
    store_metrics,
    voice_turn,
)
from tests.servers import serving

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
OUTPUT = Path(__file__).resolve().parents[2] / "output"
TIMEOUT_MS = 10_000


def view() -> StaticResources:
    now = time.time()
    lines = {
        "products": [
            {"ts": now - 5 + i, "stream": "stdout", "line": f"INFO catalog ready ({i})"} for i in range(4)
        ],
        "store": [
            {"ts": now - 3, "stream": "stdout", "line": "INFO listening on 127.0.0.1:8080"},
            {"ts": now - 1, "stream": "stderr", "line": "Traceback (most recent call last): boom"},
        ],
    }
    return StaticResources(
        [
            {
                "name": "emulator",
                "state": "ready",
                "pid": 4101,
                "started_at": now - 3700,
                "restarts": 0,
                "health": "healthy",
                "url": "http://127.0.0.1:8089",
                "detail": "Azure OpenAI emulator",
            },
            {
                "name": "products",
                "state": "ready",
                "pid": 4102,
                "started_at": now - 3650,
                "restarts": 0,
                "health": "healthy",
                "url": "http://127.0.0.1:8081/docs",
                "detail": "",
            },
            {
                "name": "store",
                "state": "restarting",
                "pid": None,
                "started_at": None,
                "restarts": 2,
                "health": "unhealthy",
                "url": "http://127.0.0.1:8080",
                "detail": "exited with code 1; retry in 4 s",
            },
        ],
        lines,
    )


@pytest.fixture(scope="module")
def dashboard_url() -> Iterator[str]:
    with serving(create_app(resources=view())) as url:
        answer = httpx.post(
            f"{url}/v1/metrics", content=history(), headers={"Content-Type": "application/x-protobuf"}
        )
        answer.raise_for_status()
        voice_turn(url)
        voice_turn(url, error=True)
        with exporting(url, "store_realtime") as store, exporting(url, "products_service") as products:
            store_metrics(store)
            http_requests(store, stable=False)
            meter = products.meters.get_meter("products_service")
            meter.create_counter("products.embeddings.computed").add(1234)

            def index_size(_options: CallbackOptions) -> list[Observation]:
                return [Observation(1234, {"index.kind": "flat"})]

            meter.create_observable_gauge("products.index.size", callbacks=[index_size])
            store.flush()
            products.flush()
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing (scripts/ensure-debs.sh installs Debian's chromium)")
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, dashboard_url: str) -> Iterator[Page]:
    context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto(f"{dashboard_url}/")
    yield page
    context.close()
    assert problems == [], "the page logged errors"


def test_resources_show_state_and_open_logs(page: Page) -> None:
    OUTPUT.mkdir(exist_ok=True)
    rows = page.locator("#resources-table tbody tr")
    expect(rows).to_have_count(3)
    store = page.locator('tr[data-name="store"]')
    expect(store.locator(".pill.state-restarting")).to_have_text("restarting")
    expect(store.locator(".pill.health-unhealthy")).to_be_visible()
    expect(page.locator('tr[data-name="emulator"] td').nth(4)).to_have_text(re.compile(r"^1h 1m"))
    expect(page.locator('tr[data-name="products"] a')).to_have_attribute("href", "http://127.0.0.1:8081/docs")
    store.click()
    expect(page.locator("#resource-logs")).to_be_visible()
    expect(page.locator("#logs-name")).to_have_text("store")
    expect(page.locator(".log-line.stderr")).to_contain_text("Traceback")
    page.screenshot(path=str(OUTPUT / "dashboard_resources.png"), full_page=True)


def test_a_trace_opens_as_a_waterfall(page: Page) -> None:
    page.locator('[data-tab="traces"]').click()
    rows = page.locator("#traces-table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#traces-table tr.trace.error")).to_have_count(1)
    page.locator("#trace-errors").check()
    expect(rows).to_have_count(1)
    rows.first.click()
    expect(page.locator("#waterfall")).to_be_visible()
    bars = page.locator(".wf-row.span .wf-bar")
    expect(bars).to_have_count(7)
    boxes = bars.evaluate_all(
        "bars => bars.map(b => { const r = b.getBoundingClientRect(); return [r.x, r.width, r.height]; })"
    )
    assert all(width >= 1 and height > 0 for _, width, height in boxes), boxes
    expect(page.locator(".wf-row.span").nth(5)).to_have_attribute("data-depth", "5")
    (root_x, root_width, _), (emulator_x, emulator_width, _) = boxes[0], boxes[5]
    assert emulator_x > root_x + 10 and emulator_width < root_width / 10  # 57–78 ms of a 620 ms turn
    colours = {bars.nth(i).evaluate("b => getComputedStyle(b).backgroundColor") for i in range(7)}
    assert len(colours) == 3, "one colour per service"
    page.locator(".wf-row.span", has_text="GET /api/products/search").click()
    detail = page.locator("#span-detail")
    expect(detail).to_contain_text("http.route")
    expect(detail).to_contain_text("upstream unavailable")
    page.screenshot(path=str(OUTPUT / "dashboard_trace.png"), full_page=True)


def test_metrics_draw_charts_with_numbers(page: Page) -> None:
    OUTPUT.mkdir(exist_ok=True)
    page.locator('[data-tab="metrics"]').click()
    cards = page.locator("#metric-cards .card")
    expect(cards).to_have_count(9)
    expect(page.locator("#metric-cards svg.chart")).to_have_count(9)
    assert page.locator("#metric-cards svg path.series").count() >= 6
    first_audio = page.locator("#card-first-audio .figure.big .value")
    expect(first_audio.first).to_have_text(re.compile(r"^\d+(\.\d+)? ms$"))
    expect(page.locator("#card-tokens .figure.big .value")).to_have_text("1,500")
    expect(page.locator("#card-embeddings .figure.big .value")).to_have_text("1,234")
    expect(page.locator("#card-index .figure.big .value")).to_have_text("1,234")
    expect(page.locator("#card-cost .figure.big .value")).to_have_text("0.0300 USD")
    expect(page.locator("#card-tools svg rect.bar")).to_have_count(3)
    expect(page.locator("#routes-table tbody tr")).to_have_count(3)
    expect(page.locator("#routes-table")).to_contain_text("GET /api/products/search")
    page.screenshot(path=str(OUTPUT / "dashboard.png"), full_page=True)

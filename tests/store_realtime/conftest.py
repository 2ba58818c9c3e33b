"""The whole voice stack on loopback for store_realtime's tests: the emulator, products_service, the store."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from orchestrator.emulators.azure_openai.embedder import LocalEmbedder, get_embedder
from orchestrator.emulators.azure_openai.realtime.models import VoiceModels, load_voice_models
from store_realtime.settings import StoreSettings
from tests.conftest import SMALL_CATALOG, STAFF_KEY, make_products_settings
from tests.orchestrator.emulators.azure_openai.conftest import emulator_settings
from tests.orchestrator.emulators.azure_openai.conftest import serving as serve_emulator
from tests.servers import serving

StartStore = Callable[..., str]


@pytest.fixture(scope="session")
def stack_embedder() -> LocalEmbedder:
    return get_embedder()


@pytest.fixture(scope="session")
def stack_voice(stack_embedder: LocalEmbedder) -> VoiceModels:
    return load_voice_models(stack_embedder)


@pytest.fixture(scope="session")
def stack_emulator(stack_embedder: LocalEmbedder, stack_voice: VoiceModels) -> Iterator[str]:
    with serve_emulator(emulator_settings(), stack_embedder, stack_voice) as url:
        yield url


@pytest.fixture(scope="session")
def stack_products(stack_emulator: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from products_service.app import create_app as create_products

    data = tmp_path_factory.mktemp("products")
    settings = make_products_settings(data, azure_openai_endpoint=stack_emulator)
    with serving(create_products(settings)) as url:
        response = httpx.post(
            f"{url}/api/v1/admin/import",
            json=SMALL_CATALOG,
            headers={"X-Staff-Key": STAFF_KEY},
            timeout=120,
        )
        response.raise_for_status()
        yield url


def store_settings(
    emulator_url: str, products_url: str, tmp: Path | None = None, **overrides: Any
) -> StoreSettings:
    values: dict[str, Any] = {
        "azure_openai_endpoint": emulator_url,
        "azure_openai_api_key": "store-test-key",
        "products_url": products_url,
        "realtime_protocol": "preview",
        "tool_timeout_s": 8.0,
        "max_sessions": 50,
        "audio_dump_dir": None,
        **overrides,
    }
    return StoreSettings(**values)


@pytest.fixture
def start_store(stack_emulator: str, stack_products: str) -> Iterator[StartStore]:
    """`start_store(**settings overrides)` → the store's base URL; the emulator and products are shared."""
    from store_realtime.app import create_app

    with contextlib.ExitStack() as stack:

        def start(emulator_url: str | None = None, **overrides: Any) -> str:
            settings = store_settings(
                emulator_url or stack_emulator, overrides.pop("products_url", stack_products), **overrides
            )
            return stack.enter_context(serving(create_app(settings)))

        yield start


@pytest.fixture
def start_emulator(stack_embedder: LocalEmbedder, stack_voice: VoiceModels) -> Iterator[Callable[..., str]]:
    """A separate emulator with fault switches, for the reconnect and latency tests."""
    with contextlib.ExitStack() as stack:

        def start(**overrides: Any) -> str:
            return stack.enter_context(
                serve_emulator(emulator_settings(**overrides), stack_embedder, stack_voice)
            )

        yield start

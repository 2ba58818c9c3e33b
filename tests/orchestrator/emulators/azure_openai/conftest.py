"""The emulator served by a real uvicorn on an ephemeral loopback port, and the real SDK as client."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from openai import AsyncAzureOpenAI

from orchestrator.emulators.azure_openai.app import create_app
from orchestrator.emulators.azure_openai.embedder import LocalEmbedder, get_embedder
from orchestrator.emulators.azure_openai.realtime.models import VoiceModels, load_voice_models
from orchestrator.emulators.azure_openai.settings import EmulatorSettings
from tests.servers import serving as serve_app

API_VERSION = "2024-10-21"
CHAT = "gpt-4o-mini"
EMBEDDINGS = "text-embedding-ada-002"
REALTIME = "gpt-4o-mini-realtime-preview"

Serve = Callable[..., str]


def emulator_settings(**overrides: Any) -> EmulatorSettings:
    """Test settings: every value the tests rely on is explicit, so the environment cannot leak in."""
    values: dict[str, Any] = {
        "chat_deployment": CHAT,
        "embeddings_deployment": EMBEDDINGS,
        "realtime_deployment": REALTIME,
        "api_key": None,
        "extra_deployments": {},
        "fault_rate_limit_every": 0,
        "fault_latency_ms": 0,
        "fault_error_rate_every": 0,
        "fault_retry_after_s": 1.0,
        "embed_batch_size": 64,
        **overrides,
    }
    return EmulatorSettings(**values)


@contextlib.contextmanager
def serving(settings: EmulatorSettings, embedder: LocalEmbedder, voice: VoiceModels) -> Iterator[str]:
    """Run the emulator app in uvicorn on a background thread; yield its base URL."""
    with serve_app(create_app(settings, embedder=embedder, voice=voice), ready_timeout_s=15) as url:
        yield url


def client_for(url: str, api_key: str = "any-key", **kwargs: Any) -> AsyncAzureOpenAI:
    options: dict[str, Any] = {"api_key": api_key, "max_retries": 0, "timeout": 30.0, **kwargs}
    if "azure_ad_token" in kwargs:
        options.pop("api_key")
    return AsyncAzureOpenAI(azure_endpoint=url, api_version=API_VERSION, **options)


@pytest.fixture(scope="session")
def emulator_embedder() -> LocalEmbedder:
    return get_embedder()


@pytest.fixture(scope="session")
def voice_models(emulator_embedder: LocalEmbedder) -> VoiceModels:
    """Whisper, Piper and the intent router, loaded once for every test that serves the emulator."""
    return load_voice_models(emulator_embedder)


@pytest.fixture(scope="session")
def emulator_url(emulator_embedder: LocalEmbedder, voice_models: VoiceModels) -> Iterator[str]:
    """One emulator with default settings (no key, no faults) for the whole session."""
    with serving(emulator_settings(), emulator_embedder, voice_models) as url:
        yield url


@pytest.fixture
def serve(emulator_embedder: LocalEmbedder, voice_models: VoiceModels) -> Iterator[Serve]:
    """Start an emulator with these setting overrides; it stops after the test."""
    with contextlib.ExitStack() as stack:

        def start(**overrides: Any) -> str:
            return stack.enter_context(
                serving(emulator_settings(**overrides), emulator_embedder, voice_models)
            )

        yield start


@pytest.fixture
async def make_client() -> AsyncIterator[Callable[..., AsyncAzureOpenAI]]:
    """`make_client(url, api_key=..., **AsyncAzureOpenAI options)`; closed after the test."""
    clients: list[AsyncAzureOpenAI] = []

    def make(url: str, api_key: str = "any-key", **kwargs: Any) -> AsyncAzureOpenAI:
        clients.append(client_for(url, api_key, **kwargs))
        return clients[-1]

    yield make
    for sdk in clients:
        await sdk.close()


@pytest.fixture
async def client(emulator_url: str) -> AsyncIterator[AsyncAzureOpenAI]:
    async with client_for(emulator_url) as sdk:
        yield sdk

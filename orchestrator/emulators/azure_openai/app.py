"""The emulator's app factory: shared service defaults, the REST routes, auth and fault switches."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import APIRouter, FastAPI

from orchestrator.emulators.azure_openai import rest
from orchestrator.emulators.azure_openai.embedder import LocalEmbedder, get_embedder
from orchestrator.emulators.azure_openai.errors import install_error_handler
from orchestrator.emulators.azure_openai.gate import AzureGate, FaultSwitches
from orchestrator.emulators.azure_openai.realtime.loader import VoiceLoader

if TYPE_CHECKING:
    from orchestrator.emulators.azure_openai.realtime.models import VoiceModels
from orchestrator.emulators.azure_openai.settings import EmulatorSettings
from shared.defaults import add_readiness_check, apply_service_defaults

__all__ = ["SERVICE_NAME", "create_app"]

SERVICE_NAME = "azure-openai-emulator"

_log = logging.getLogger(__name__)


def create_app(
    settings: EmulatorSettings | None = None,
    *,
    embedder: LocalEmbedder | None = None,
    voice: VoiceModels | None = None,
) -> FastAPI:
    """The emulator app; it loads the embedder and the voice models at startup unless given."""
    settings = settings or EmulatorSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if app.state.embedder is None:
            app.state.embedder = await asyncio.to_thread(get_embedder, settings.embed_threads)

        async def embedder_answers() -> None:
            await app.state.embedder.aembed(["ready"])

        add_readiness_check(app, "embedder", embedder_answers)
        app.state.voice.start(app.state.embedder)

        async def voice_loaded() -> None:
            app.state.voice.check()

        add_readiness_check(app, "voice models", voice_loaded)
        app.state.started = True
        _log.info(
            "emulator ready",
            extra={"deployments": settings.deployments, "auth": settings.api_key is not None},
        )
        yield
        await app.state.voice.close()

    app = FastAPI(
        title="Azure OpenAI emulator",
        summary="Offline Azure OpenAI: MiniLM embeddings, a product ranker and a realtime voice model.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.embedder = embedder
    app.state.voice = VoiceLoader(voice)
    apply_service_defaults(app, settings, service_name=SERVICE_NAME)
    install_error_handler(app)
    app.add_middleware(AzureGate, settings=settings, faults=FaultSwitches(settings))
    app.include_router(rest.router)
    app.include_router(_realtime_router())
    return app


def _realtime_router() -> APIRouter:
    """Imported here: the realtime half brings Whisper and Piper, which the REST half never needs."""
    from orchestrator.emulators.azure_openai.realtime import ws

    return ws.router

"""Loading the voice models in the background at startup, so the REST half answers meanwhile."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orchestrator.emulators.azure_openai.embedder import LocalEmbedder
    from orchestrator.emulators.azure_openai.realtime.models import VoiceModels

__all__ = ["VoiceLoader"]


class VoiceLoader:
    """The process's voice models: given, or loaded on a thread once the app starts."""

    def __init__(self, models: VoiceModels | None = None) -> None:
        self._models = models
        self._loading: asyncio.Task[VoiceModels] | None = None

    def start(self, embedder: LocalEmbedder) -> None:
        if self._models is None and self._loading is None:
            from orchestrator.emulators.azure_openai.realtime.models import load_voice_models

            self._loading = asyncio.create_task(
                asyncio.to_thread(load_voice_models, embedder), name="load voice"
            )

    async def get(self) -> VoiceModels:
        if self._models is None:
            if self._loading is None:
                raise RuntimeError("the voice models were never started loading")
            self._models = await asyncio.shield(self._loading)
        return self._models

    def check(self) -> None:
        """For /ready: raises while loading, or the load's own error."""
        if self._models is not None:
            return
        if self._loading is None or not self._loading.done():
            raise RuntimeError("loading Whisper and Piper")
        self._models = self._loading.result()

    async def close(self) -> None:
        if self._loading is not None and not self._loading.done():
            await asyncio.gather(self._loading, return_exceptions=True)

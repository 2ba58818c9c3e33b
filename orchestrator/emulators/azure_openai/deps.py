"""Dependencies the routes declare: settings, the embedder, a deployment of the right kind."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request

from orchestrator.emulators.azure_openai.embedder import LocalEmbedder
from orchestrator.emulators.azure_openai.errors import DeploymentNotFound
from orchestrator.emulators.azure_openai.settings import DeploymentKind, EmulatorSettings

__all__ = [
    "ChatDeployment",
    "EmbedderDep",
    "EmbeddingsDeployment",
    "SettingsDep",
    "deployment_of",
]


async def _settings(request: Request) -> EmulatorSettings:
    settings: EmulatorSettings = request.app.state.settings
    return settings


async def _embedder(request: Request) -> LocalEmbedder:
    embedder: LocalEmbedder = request.app.state.embedder
    return embedder


SettingsDep = Annotated[EmulatorSettings, Depends(_settings)]
EmbedderDep = Annotated[LocalEmbedder, Depends(_embedder)]


def deployment_of(kind: DeploymentKind) -> Callable[[str, EmulatorSettings], Awaitable[str]]:
    """A dependency that resolves the `{deployment}` path parameter to a deployment of `kind`.

    Dependencies here are `async`: FastAPI runs plain functions on a thread pool, a hop that costs
    more than the work they do."""

    async def resolve(deployment: str, settings: SettingsDep) -> str:
        actual = settings.deployments.get(deployment)
        if actual is None:
            raise DeploymentNotFound(deployment)
        if actual != kind:
            raise DeploymentNotFound(
                deployment, detail=f"{deployment!r} is a deployment of kind {actual}, not {kind}"
            )
        return deployment

    return resolve


EmbeddingsDeployment = Annotated[str, Depends(deployment_of("embeddings"))]
ChatDeployment = Annotated[str, Depends(deployment_of("chat"))]

"""The connection to the realtime model (Azure preview or GA protocol), opened through the openai SDK.

The SDK builds the URL and authenticates (api key, or an Entra ID token fetched fresh at every connect).
Events then travel as raw text: the relay forwards what it has already checked, and the SDK's own
`send` re-validates each event at about 270 µs, more than the relay's whole budget for an audio frame.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol

from openai import AsyncAzureOpenAI, AsyncOpenAI

from shared.openai_client import COGNITIVE_SERVICES_SCOPE, ConfigurationError
from store_realtime.settings import StoreSettings

if TYPE_CHECKING:
    from azure.core.credentials_async import AsyncTokenCredential

__all__ = ["Upstream", "UpstreamConnector", "UpstreamFactory", "WebSocketUpstream"]

_log = logging.getLogger(__name__)


class Upstream(Protocol):
    ga: bool

    async def send(self, text: str) -> None: ...

    async def recv(self) -> str | bytes: ...

    async def close(self) -> None: ...


UpstreamFactory = Callable[[], Awaitable[Upstream]]


class WebSocketUpstream:
    def __init__(self, connection: Any, *, ga: bool) -> None:
        self.ga = ga
        self._connection = connection
        self._socket = connection._connection  # the SDK's websocket; see the module docstring

    async def send(self, text: str) -> None:
        await self._socket.send(text)

    async def recv(self) -> str | bytes:
        message: str | bytes = await self._socket.recv()
        return message

    async def close(self) -> None:
        await self._connection.close()


class UpstreamConnector:
    """Opens realtime connections for one service; the SDK clients are built once and reused."""

    def __init__(self, settings: StoreSettings, *, credential: AsyncTokenCredential | None = None) -> None:
        endpoint = settings.openai_endpoint()
        if endpoint is None:
            raise ConfigurationError(
                "no Azure OpenAI endpoint: set AZURE_OPENAI_ENDPOINT or ConnectionStrings__openai"
            )
        self.ga = settings.realtime_protocol == "ga"
        self._deployment = settings.realtime_deployment
        base = endpoint.url.rstrip("/")
        ws_base = "ws" + base[4:] if base.startswith("http") else base
        key = endpoint.api_key.get_secret_value() if endpoint.api_key is not None else None
        token: Callable[[], Awaitable[str]] | None = None
        if key is None:
            from azure.identity.aio import DefaultAzureCredential, get_bearer_token_provider

            token = get_bearer_token_provider(
                credential or DefaultAzureCredential(), COGNITIVE_SERVICES_SCOPE
            )
        if self.ga:
            self._client: AsyncOpenAI = AsyncOpenAI(
                api_key=key if key is not None else token, websocket_base_url=f"{ws_base}/openai/v1"
            )
        else:
            self._client = AsyncAzureOpenAI(
                azure_endpoint=base,
                api_version=settings.realtime_api_version,
                api_key=key,
                azure_ad_token_provider=token,
                websocket_base_url=f"{ws_base}/openai",
            )

    async def connect(self) -> Upstream:
        if self.ga:
            manager: Any = self._client.realtime.connect(model=self._deployment)
        else:
            manager = self._client.beta.realtime.connect(model=self._deployment)
        connection = await manager.enter()
        _log.info("realtime upstream connected", extra={"protocol": "ga" if self.ga else "preview"})
        return WebSocketUpstream(connection, ga=self.ga)

    async def close(self) -> None:
        await self._client.close()

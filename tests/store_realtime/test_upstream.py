"""The upstream connection: URL and authentication per protocol; an Entra token fetched at every connect."""

from __future__ import annotations

import json
from typing import Any

import pytest
from websockets.asyncio.server import ServerConnection, serve

from store_realtime.settings import StoreSettings
from store_realtime.upstream import UpstreamConnector
from tests.shared.test_openai_client import FakeCredential


async def _connect_twice(settings_of: Any, credential: Any = None) -> list[tuple[str, dict[str, str]]]:
    seen: list[tuple[str, dict[str, str]]] = []

    async def handler(ws: ServerConnection) -> None:
        assert ws.request is not None
        seen.append((ws.request.path, {k.lower(): v for k, v in ws.request.headers.raw_items()}))
        await ws.send(json.dumps({"type": "session.created", "event_id": "e", "session": {}}))
        await ws.wait_closed()

    async with serve(handler, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        connector = UpstreamConnector(settings_of(f"http://127.0.0.1:{port}"), credential=credential)
        for _ in range(2):
            upstream = await connector.connect()
            assert json.loads(await upstream.recv())["type"] == "session.created"
            await upstream.close()
        await connector.close()
    return seen


@pytest.mark.parametrize("protocol", ["preview", "ga"])
async def test_entra_id_tokens_are_fetched_fresh_at_each_connect(protocol: str) -> None:
    credential = FakeCredential(lifetime_s=1)
    seen = await _connect_twice(
        lambda url: StoreSettings(
            azure_openai_endpoint=url, azure_openai_api_key=None, realtime_protocol=protocol
        ),
        credential,
    )
    assert [headers["authorization"] for _, headers in seen] == ["Bearer token-1", "Bearer token-2"]
    assert all(scopes == ("https://cognitiveservices.azure.com/.default",) for scopes in credential.scopes)
    assert not any("api-key" in headers for _, headers in seen)


async def test_an_api_key_goes_where_each_protocol_wants_it() -> None:
    preview = await _connect_twice(
        lambda url: StoreSettings(azure_openai_endpoint=url, azure_openai_api_key="upstream-key-123")
    )
    path, headers = preview[0]
    assert path.startswith("/openai/realtime?") and "api-version=2025-04-01-preview" in path
    assert "deployment=gpt-4o-mini-realtime-preview" in path
    assert headers["api-key"] == "upstream-key-123" and headers["openai-beta"] == "realtime=v1"
    ga = await _connect_twice(
        lambda url: StoreSettings(
            azure_openai_endpoint=url, azure_openai_api_key="upstream-key-123", realtime_protocol="ga"
        )
    )
    path, headers = ga[0]
    assert path == "/openai/v1/realtime?model=gpt-4o-mini-realtime-preview"
    assert headers["authorization"] == "Bearer upstream-key-123" and "openai-beta" not in headers

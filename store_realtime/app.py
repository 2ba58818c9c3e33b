"""store_realtime's app factory: the store page, the `/realtime` voice endpoint, product pictures."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI, Response, WebSocket
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.websockets import WebSocketDisconnect, WebSocketState

from shared.defaults import add_readiness_check, apply_service_defaults
from shared.realtime.events import error_event
from store_realtime.cart import Cart
from store_realtime.products_client import ProductsClient
from store_realtime.relay import RelaySession
from store_realtime.settings import StoreSettings
from store_realtime.tools import ToolRunner
from store_realtime.turns import Meters
from store_realtime.upstream import UpstreamConnector, UpstreamFactory

__all__ = ["SERVICE_NAME", "create_app"]

SERVICE_NAME = "store-realtime"
STATIC = Path(__file__).parent / "static"

_log = logging.getLogger(__name__)


class _PageChannel:
    def __init__(self, websocket: WebSocket) -> None:
        self._ws = websocket

    async def send_text(self, text: str) -> None:
        await self._ws.send_text(text)

    async def receive(self) -> str | bytes | None:
        try:
            message = await self._ws.receive()
        except (WebSocketDisconnect, RuntimeError):
            return None
        if message["type"] == "websocket.disconnect":
            return None
        text: str | None = message.get("text")
        return text if text is not None else message.get("bytes", b"")

    async def close(self, code: int, reason: str) -> None:
        if self._ws.client_state == WebSocketState.CONNECTED:
            await self._ws.close(code=code, reason=reason)


def create_app(
    settings: StoreSettings | None = None,
    *,
    products_http: httpx.AsyncClient | None = None,
    connect: UpstreamFactory | None = None,
) -> FastAPI:
    """The store app. `products_http` and `connect` replace the real products client and upstream in tests."""
    settings = settings or StoreSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        http = products_http or httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=2.0))
        app.state.products = ProductsClient(
            settings.products_url, http=http, timeout_s=settings.tool_timeout_s
        )
        app.state.http = http
        connector = None
        if connect is None:
            connector = UpstreamConnector(settings)
            app.state.connect = connector.connect
        else:
            app.state.connect = connect

        async def products_ready() -> None:
            (await http.get(f"{settings.products_url}/ready", timeout=2.0)).raise_for_status()

        add_readiness_check(app, "products_service", products_ready)
        app.state.started = True
        yield
        if connector is not None:
            await connector.close()
        if products_http is None:
            await http.aclose()

    app = FastAPI(
        title="Contoso Outdoors store",
        summary="The voice shopping assistant's page and relay.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.meters = Meters()
    app.state.active_sessions = 0
    # Voice turns are traced by the relay itself; a span around the whole socket costs ~13 µs per message.
    apply_service_defaults(app, settings, service_name=SERVICE_NAME, untraced=("/realtime",))

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/images/products/{name}", include_in_schema=False)
    async def product_image(name: str) -> Response:
        """Product pictures come from products_service; the page only ever talks to this service."""
        http: httpx.AsyncClient = app.state.http
        try:
            upstream = await http.get(f"{settings.products_url}/images/products/{name}", timeout=5.0)
        except httpx.HTTPError:
            return Response(status_code=502)
        return Response(
            upstream.content,
            status_code=upstream.status_code,
            media_type=upstream.headers.get("content-type"),
            headers={"cache-control": "public, max-age=3600"},
        )

    @app.websocket("/realtime")
    async def realtime(websocket: WebSocket) -> None:
        await websocket.accept()
        if app.state.active_sessions >= settings.max_sessions:
            await websocket.send_text(_busy())
            await websocket.close(code=1013, reason="too many sessions")
            return
        app.state.active_sessions += 1
        meters: Meters = app.state.meters
        meters.sessions.add(1)
        meters.sessions_started.add(1)
        channel = _PageChannel(websocket)
        tools = ToolRunner(app.state.products, Cart(), timeout_s=settings.tool_timeout_s)
        session = RelaySession(
            client=channel, connect=app.state.connect, tools=tools, meters=meters, settings=settings
        )
        _log.info("voice session started", extra={"session": session.id})
        try:
            await session.run()
        finally:
            app.state.active_sessions -= 1
            meters.sessions.add(-1)
            await channel.close(1000, "session ended")
            _log.info("voice session ended", extra={"session": session.id})

    return app


def _busy() -> str:
    message = "The store is busy: too many conversations at once. Please try again shortly."
    return json.dumps(error_event(message, "session_limit_reached", error_type="server_error"))

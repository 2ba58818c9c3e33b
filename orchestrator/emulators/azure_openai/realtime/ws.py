"""The realtime WebSocket endpoints: preview (`/openai/realtime`) and GA (`/openai/v1/realtime`).

A thin shell around RealtimeSession: the handshake checks (key, api-version, deployment), GA translation,
the session time limit and the fault switches. Close codes: 1000 when the client leaves, 1001 when the
session expires, 1011 when the drop fault fires.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from fastapi import APIRouter, WebSocket
from fastapi.responses import JSONResponse
from starlette.websockets import WebSocketDisconnect

from orchestrator.emulators.azure_openai.errors import (
    ApiVersionNotAllowed,
    DeploymentNotFound,
    EmulatorError,
    ResourceNotFound,
)
from orchestrator.emulators.azure_openai.gate import check_api_key
from orchestrator.emulators.azure_openai.realtime.models import VoiceModels
from orchestrator.emulators.azure_openai.realtime.session import RealtimeSession
from orchestrator.emulators.azure_openai.settings import EmulatorSettings
from shared.realtime.events import error_event
from shared.realtime.ga import ServerEventsToGa, client_event_from_ga

__all__ = ["router"]

_log = logging.getLogger(__name__)

router = APIRouter()


class _Close:
    def __init__(self, code: int, reason: str) -> None:
        self.code = code
        self.reason = reason


@router.websocket("/openai/realtime")
async def preview_realtime(websocket: WebSocket) -> None:
    await _serve(websocket, ga=False)


@router.websocket("/openai/v1/realtime")
async def ga_realtime(websocket: WebSocket) -> None:
    await _serve(websocket, ga=True)


async def _serve(websocket: WebSocket, *, ga: bool) -> None:
    settings: EmulatorSettings = websocket.app.state.settings
    try:
        deployment = _admit(websocket, settings, ga=ga)
    except EmulatorError as exc:
        await _deny(websocket, exc)
        return
    models: VoiceModels = await websocket.app.state.voice.get()
    await websocket.accept()
    outbound: asyncio.Queue[dict[str, Any] | _Close] = asyncio.Queue()
    session = RealtimeSession(
        deployment=deployment, models=models, emit=outbound.put_nowait, latency_ms=settings.fault_latency_ms
    )
    session.start()
    _log.info(
        "realtime session started", extra={"session": session.config.id, "ga": ga, "deployment": deployment}
    )
    limit_s = settings.realtime_session_limit_s(ga=ga)
    tasks = [
        asyncio.create_task(_send(websocket, outbound, ga=ga, drop_after=settings.fault_drop_after_events)),
        asyncio.create_task(_receive(websocket, session, outbound, ga=ga)),
        asyncio.create_task(_expire(outbound, limit_s)),
    ]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await session.close()
        _log.info("realtime session ended", extra={"session": session.config.id})


def _admit(websocket: WebSocket, settings: EmulatorSettings, *, ga: bool) -> str:
    query = websocket.query_params
    check_api_key(settings.api_key, websocket.headers, query)
    if ga and query.get("api-version"):
        raise ApiVersionNotAllowed()
    if not ga and not query.get("api-version"):
        raise ResourceNotFound()
    deployment = query.get("model") if ga else (query.get("deployment") or query.get("model"))
    if not deployment:
        raise DeploymentNotFound("", detail="the realtime endpoint needs a deployment (model) in the query")
    kind = settings.deployments.get(deployment)
    if kind != "realtime":
        detail = "" if kind is None else f"{deployment!r} is a deployment of kind {kind}, not realtime"
        raise DeploymentNotFound(deployment, detail=detail)
    return deployment


async def _deny(websocket: WebSocket, exc: EmulatorError) -> None:
    """Refuse at the handshake with Azure's HTTP status and body, as the real endpoint does."""
    response = JSONResponse(exc.body(), status_code=exc.status_code, headers=exc.headers)
    try:
        await websocket.send_denial_response(response)
    except RuntimeError:
        await websocket.close(code=1008, reason=exc.message[:120])


async def _send(
    websocket: WebSocket, outbound: asyncio.Queue[dict[str, Any] | _Close], *, ga: bool, drop_after: int
) -> None:
    translator = ServerEventsToGa() if ga else None
    sent = 0
    while True:
        event = await outbound.get()
        if isinstance(event, _Close):
            await websocket.close(code=event.code, reason=event.reason)
            return
        for out in translator.translate(event) if translator else [event]:
            await websocket.send_text(json.dumps(out))
            sent += 1
            if drop_after and sent >= drop_after:
                _log.warning("dropping the realtime socket after %d events (fault switch)", sent)
                await websocket.close(
                    code=1011, reason="connection dropped (EMULATOR_FAULT_DROP_AFTER_EVENTS)"
                )
                return


async def _receive(
    websocket: WebSocket,
    session: RealtimeSession,
    outbound: asyncio.Queue[dict[str, Any] | _Close],
    *,
    ga: bool,
) -> None:
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is None:
                outbound.put_nowait(
                    error_event("Send events as JSON text frames, not binary.", "invalid_event")
                )
                continue
            await session.handle(_from_ga(text) if ga else text)
    except WebSocketDisconnect:
        return


def _from_ga(text: str) -> str | dict[str, Any]:
    try:
        event = json.loads(text)
    except json.JSONDecodeError:
        return text
    return client_event_from_ga(event) if isinstance(event, dict) else text


async def _expire(outbound: asyncio.Queue[dict[str, Any] | _Close], limit_s: float) -> None:
    await asyncio.sleep(limit_s)
    minutes = limit_s / 60
    outbound.put_nowait(
        error_event(f"Your session hit the maximum duration of {minutes:g} minutes.", "session_expired")
    )
    outbound.put_nowait(_Close(1001, "session expired"))
    await asyncio.Event().wait()

"""The OTLP/HTTP receiver: `POST /v1/traces`, `/v1/metrics` and `/v1/logs`, protobuf or JSON, gzip or not."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from orchestrator.dashboard.deps import TelemetryDep
from orchestrator.dashboard.otlp import Signal, decode, encode_answer, encoding_of, inflate, read_limited
from orchestrator.dashboard.telemetry import Telemetry

__all__ = ["router"]

router = APIRouter(tags=["otlp"])


async def _export(signal: Signal, request: Request, telemetry: Telemetry) -> Response:
    encoding = encoding_of(request.headers.get("content-type", ""))
    limit = telemetry.settings.max_body_bytes
    body = await read_limited(request.stream(), request.headers.get("content-length"), limit)
    body = inflate(body, request.headers.get("content-encoding"), limit)
    telemetry.ingest(signal, decode(signal, body, encoding))
    answer, media_type = encode_answer(signal, encoding)
    return Response(answer, media_type=media_type)


@router.post("/v1/traces", summary="OTLP/HTTP trace export")
async def export_traces(request: Request, telemetry: TelemetryDep) -> Response:
    return await _export("traces", request, telemetry)


@router.post("/v1/metrics", summary="OTLP/HTTP metric export")
async def export_metrics(request: Request, telemetry: TelemetryDep) -> Response:
    return await _export("metrics", request, telemetry)


@router.post("/v1/logs", summary="OTLP/HTTP log export")
async def export_logs(request: Request, telemetry: TelemetryDep) -> Response:
    return await _export("logs", request, telemetry)

"""The JSON API the page (and tests, and the orchestrator) read: resources, traces, logs and metrics."""

from __future__ import annotations

import math
import time
from typing import Annotated, Any

from fastapi import APIRouter, Query

from orchestrator.dashboard.deps import ResourcesDep, TelemetryDep
from orchestrator.dashboard.errors import NotFound

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"])

Limit = Annotated[int, Query(ge=1, le=5_000)]
Service = Annotated[str | None, Query(max_length=200)]

_RESOURCE_DEFAULTS: dict[str, Any] = {
    "name": "",
    "state": "stopped",
    "pid": None,
    "started_at": None,
    "uptime_s": None,
    "restarts": 0,
    "health": "unknown",
    "url": None,
    "detail": "",
}


def _resource(raw: dict[str, Any], now: float) -> dict[str, Any]:
    resource = {**_RESOURCE_DEFAULTS, **raw}
    started = resource["started_at"]
    alive = resource["state"] not in ("stopped", "failed")
    if resource["uptime_s"] is None and alive and isinstance(started, int | float) and math.isfinite(started):
        resource["uptime_s"] = max(now - started, 0.0)
    return resource


@router.get("/resources", summary="Each service's state, pid, uptime, restarts, health and URL")
async def list_resources(resources: ResourcesDep) -> dict[str, Any]:
    now = time.time()
    return {"resources": [_resource(r, now) for r in resources.resources()]}


@router.get("/resources/{name}/logs", summary="A service's most recent output lines, oldest first")
async def resource_logs(name: str, resources: ResourcesDep, limit: Limit = 200) -> dict[str, Any]:
    try:
        lines = resources.logs(name, limit)
    except KeyError:
        raise NotFound(f"no resource named {name!r}") from None
    return {"name": name, "logs": lines}


@router.get("/traces", summary="Traces, newest first")
async def list_traces(telemetry: TelemetryDep, service: Service = None, limit: Limit = 100) -> dict[str, Any]:
    traces = telemetry.traces
    return {
        "traces": traces.summaries(service=service or None, limit=limit),
        "services": traces.services(),
        "count": len(traces),
        "span_count": traces.span_count,
    }


@router.get("/traces/{trace_id}", summary="One trace's spans with parents, offsets and attributes")
async def get_trace(trace_id: str, telemetry: TelemetryDep) -> dict[str, Any]:
    detail = telemetry.traces.detail(trace_id)
    if detail is None:
        raise NotFound(f"no trace {trace_id!r} (never received, or evicted)")
    return detail


@router.get("/logs", summary="OTLP log records, newest first")
async def list_logs(
    telemetry: TelemetryDep,
    service: Service = None,
    trace_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Limit = 200,
) -> dict[str, Any]:
    return {"logs": telemetry.logs.recent(service=service or None, trace_id=trace_id or None, limit=limit)}


@router.get("/metrics/summary", summary="Request rate, errors, latency, sessions, turn latency, tools, usage")
async def metrics_summary(
    telemetry: TelemetryDep,
    window_s: Annotated[int, Query(ge=10, le=86_400)] = 300,
    chart_s: Annotated[int, Query(ge=60, le=86_400)] = 900,
) -> dict[str, Any]:
    return telemetry.metrics_summary(window_s=window_s, chart_s=chart_s)


@router.get("/stats", summary="What the dashboard holds, and its limits")
async def stats(telemetry: TelemetryDep) -> dict[str, Any]:
    return {**telemetry.stats(), "refresh_ms": telemetry.settings.refresh_ms}

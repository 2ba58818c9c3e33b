"""The ops dashboard's app factory: OTLP receiver, JSON API and the page, over bounded stores."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from orchestrator.dashboard import api, receiver
from orchestrator.dashboard.errors import install_error_handler
from orchestrator.dashboard.resources import ResourceView, StaticResources
from orchestrator.dashboard.settings import DashboardSettings
from orchestrator.dashboard.telemetry import Telemetry

__all__ = ["SERVICE_NAME", "STATIC", "create_app"]

SERVICE_NAME = "dashboard"
STATIC = Path(__file__).resolve().parent / "static"


def create_app(
    *, resources: ResourceView | None = None, settings: DashboardSettings | None = None
) -> FastAPI:
    """The dashboard; without a resource view (run on its own) the Resources tab is empty.

    It is deliberately not instrumented with OpenTelemetry: it would trace its own receiving.
    """
    settings = settings or DashboardSettings()
    app = FastAPI(
        title="Ops dashboard",
        summary="Resources, traces, logs and metrics of the voice store, from OTLP.",
    )
    app.state.settings = settings
    app.state.resources = resources if resources is not None else StaticResources()
    app.state.telemetry = Telemetry(settings)
    install_error_handler(app)
    app.include_router(receiver.router)
    app.include_router(api.router)

    @app.get("/health", tags=["ops"], summary="Liveness")
    @app.get("/ready", tags=["ops"], summary="Readiness (nothing to wait for)")
    async def health() -> dict[str, str]:
        return {"status": "ok", "service": SERVICE_NAME}

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app

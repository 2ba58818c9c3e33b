"""Dependency aliases for the routes: the app's telemetry stores and its resource view."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from orchestrator.dashboard.resources import ResourceView
from orchestrator.dashboard.telemetry import Telemetry

__all__ = ["ResourcesDep", "TelemetryDep"]


def _telemetry(request: Request) -> Telemetry:
    telemetry: Telemetry = request.app.state.telemetry
    return telemetry


def _resources(request: Request) -> ResourceView:
    resources: ResourceView = request.app.state.resources
    return resources


TelemetryDep = Annotated[Telemetry, Depends(_telemetry)]
ResourcesDep = Annotated[ResourceView, Depends(_resources)]

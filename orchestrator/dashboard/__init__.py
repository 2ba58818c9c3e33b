"""The ops dashboard: an OTLP/HTTP receiver with bounded storage, a JSON API and a page (port 18888).

`create_app(resources=..., settings=...)` builds it; the orchestrator passes its supervisor as the
`ResourceView`. `python -m orchestrator.dashboard` serves it alone.
"""

from __future__ import annotations

from orchestrator.dashboard.app import create_app
from orchestrator.dashboard.resources import ResourceView, StaticResources
from orchestrator.dashboard.settings import DashboardSettings

__all__ = ["DashboardSettings", "ResourceView", "StaticResources", "create_app"]

"""`python -m orchestrator.dashboard`: serve the dashboard alone on DASHBOARD_HOST:DASHBOARD_PORT."""

from __future__ import annotations

import logging
import sys

from orchestrator.dashboard.app import create_app
from orchestrator.dashboard.settings import DashboardSettings
from shared.defaults import configure_logging
from shared.net import serve

__all__ = ["main"]


def main() -> int:
    settings = DashboardSettings()
    configure_logging(settings.log_level)
    # No access log: every service posts telemetry here every few seconds.
    return serve(
        lambda: create_app(settings=settings),
        host=settings.host,
        port=settings.port,
        port_env="DASHBOARD_PORT",
        what="ops dashboard (OTLP/HTTP at /v1/...)",
        log=logging.getLogger("dashboard"),
        access_log=False,
    )


if __name__ == "__main__":
    sys.exit(main())

"""`python -m orchestrator.dashboard`: serve the dashboard alone on DASHBOARD_HOST:DASHBOARD_PORT."""

from __future__ import annotations

import logging
import sys

import uvicorn

from orchestrator.dashboard.app import create_app
from orchestrator.dashboard.settings import DashboardSettings
from shared.defaults import configure_logging
from shared.net import bind

__all__ = ["main"]

_log = logging.getLogger("dashboard")


def main() -> int:
    settings = DashboardSettings()
    configure_logging(settings.log_level)
    try:
        sock = bind(settings.host, settings.port)
    except OSError as exc:
        _log.error(
            "cannot listen on %s:%d (%s); is another dashboard running? Set DASHBOARD_PORT to another port.",
            settings.host,
            settings.port,
            exc.strerror or exc,
        )
        return 1
    host, port = sock.getsockname()[:2]
    _log.info("ops dashboard on http://%s:%d (OTLP/HTTP at http://%s:%d/v1/...)", host, port, host, port)
    app = create_app(settings=settings)
    # No access log: every service posts telemetry here every few seconds.
    config = uvicorn.Config(app, log_config=None, access_log=False, timeout_graceful_shutdown=5)
    uvicorn.Server(config).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())

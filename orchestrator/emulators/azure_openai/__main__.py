"""`python -m orchestrator.emulators.azure_openai`: serve the emulator on EMULATOR_HOST:EMULATOR_PORT."""

from __future__ import annotations

import logging
import sys

import uvicorn

from orchestrator.emulators.azure_openai.app import SERVICE_NAME, create_app
from orchestrator.emulators.azure_openai.settings import EmulatorSettings
from shared.defaults import configure_logging
from shared.net import bind

__all__ = ["main"]

_log = logging.getLogger(SERVICE_NAME)


def main() -> int:
    settings = EmulatorSettings()
    configure_logging(settings.log_level)
    try:
        sock = bind(settings.host, settings.port)
    except OSError as exc:
        _log.error(
            "cannot listen on %s:%d (%s); is another emulator running? Set EMULATOR_PORT to another port.",
            settings.host,
            settings.port,
            exc.strerror or exc,
        )
        return 1
    host, port = sock.getsockname()[:2]
    _log.info("Azure OpenAI emulator listening on http://%s:%d", host, port)
    config = uvicorn.Config(create_app(settings), log_config=None, timeout_graceful_shutdown=5)
    uvicorn.Server(config).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())

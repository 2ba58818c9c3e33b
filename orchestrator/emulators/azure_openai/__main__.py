"""`python -m orchestrator.emulators.azure_openai`: serve the emulator on EMULATOR_HOST:EMULATOR_PORT."""

from __future__ import annotations

import logging
import sys

from orchestrator.emulators.azure_openai.app import SERVICE_NAME, create_app
from orchestrator.emulators.azure_openai.settings import EmulatorSettings
from shared.defaults import configure_logging
from shared.net import serve

__all__ = ["main"]


def main() -> int:
    settings = EmulatorSettings()
    configure_logging(settings.log_level)
    return serve(
        lambda: create_app(settings),
        host=settings.host,
        port=settings.port,
        port_env="EMULATOR_PORT",
        what="Azure OpenAI emulator",
        log=logging.getLogger(SERVICE_NAME),
    )


if __name__ == "__main__":
    sys.exit(main())

"""`python -m store_realtime`: serve the store page and the voice relay on STORE_HOST:STORE_PORT."""

from __future__ import annotations

import logging
import sys

from shared.defaults import configure_logging
from shared.net import serve
from store_realtime.app import SERVICE_NAME, create_app
from store_realtime.settings import StoreSettings

__all__ = ["main"]

# The relay answers events over STORE_MAX_MESSAGE_BYTES with an error event; uvicorn closes the socket
# (1009) only beyond this much larger frame size. The sans-I/O websockets protocol costs the relay about
# 13% less CPU per relayed audio event than uvicorn's default (bench.relay, 100 sessions).
_FRAME_LIMIT = 16 * 1024 * 1024


def main() -> int:
    settings = StoreSettings()
    configure_logging(settings.log_level)
    return serve(
        lambda: create_app(settings),
        host=settings.host,
        port=settings.port,
        port_env="STORE_PORT",
        what="store page",
        log=logging.getLogger(SERVICE_NAME),
        ws_max_size=_FRAME_LIMIT,
        ws="websockets-sansio",
    )


if __name__ == "__main__":
    sys.exit(main())

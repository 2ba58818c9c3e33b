"""`python -m store_realtime`: serve the store page and the voice relay on STORE_HOST:STORE_PORT."""

from __future__ import annotations

import logging
import sys

import uvicorn

from shared.defaults import configure_logging
from shared.net import bind
from store_realtime.app import SERVICE_NAME, create_app
from store_realtime.settings import StoreSettings

__all__ = ["main"]

_log = logging.getLogger(SERVICE_NAME)

# The relay answers events over STORE_MAX_MESSAGE_BYTES with an error event; uvicorn closes the socket
# (1009) only beyond this much larger frame size. The sans-I/O websockets protocol costs the relay about
# 13% less CPU per relayed audio event than uvicorn's default (bench.relay, 100 sessions).
_FRAME_LIMIT = 16 * 1024 * 1024


def main() -> int:
    settings = StoreSettings()
    configure_logging(settings.log_level)
    try:
        sock = bind(settings.host, settings.port)
    except OSError as exc:
        _log.error(
            "cannot listen on %s:%d (%s); is the store already running? Set STORE_PORT to another port.",
            settings.host,
            settings.port,
            exc.strerror or exc,
        )
        return 1
    host, port = sock.getsockname()[:2]
    _log.info("store page on http://%s:%d/", host, port)
    config = uvicorn.Config(
        create_app(settings),
        log_config=None,
        ws_max_size=_FRAME_LIMIT,
        ws="websockets-sansio",
        timeout_graceful_shutdown=5,
    )
    uvicorn.Server(config).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())

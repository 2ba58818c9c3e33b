"""Serving a service: its socket bound before the server starts, so a taken port fails clearly."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from typing import Any

__all__ = ["bind", "serve"]


def bind(host: str, port: int) -> socket.socket:
    """A listening socket; binding here, not inside uvicorn, lets a taken port fail clearly."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(2048)
    return sock


def serve(
    app: Callable[[], Any],
    *,
    host: str,
    port: int,
    port_env: str,
    what: str,
    log: logging.Logger,
    **uvicorn_options: Any,
) -> int:
    """`python -m <service>`: bind, say where, run until stopped; 1, said clearly, if the port is taken."""
    import uvicorn

    try:
        sock = bind(host, port)
    except OSError as exc:
        log.error(
            "cannot listen on %s:%d (%s); is another %s running? Set %s to another port.",
            host,
            port,
            exc.strerror or exc,
            what,
            port_env,
        )
        return 1
    bound_host, bound_port = sock.getsockname()[:2]
    log.info("%s on http://%s:%d/", what, bound_host, bound_port)
    config = uvicorn.Config(app(), log_config=None, timeout_graceful_shutdown=5, **uvicorn_options)
    uvicorn.Server(config).run(sockets=[sock])
    return 0

"""Listening sockets bound before a server starts, so a taken port fails with a clear message."""

from __future__ import annotations

import socket

__all__ = ["bind"]


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

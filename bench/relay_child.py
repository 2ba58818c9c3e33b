"""`python -m bench.relay_child`: store_realtime as `bench.relay` runs it to profile it and to try changes.

Two hooks, both by environment variable, neither touching store_realtime's code:

- BENCH_RELAY_PROFILE_OUT=FILE: SIGUSR1 starts a cProfile of the main thread, SIGUSR2 stops it and writes
  the stats to FILE, so only the steady state is profiled (not start-up or the connect ramp). The profiler's
  clock is the thread's CPU time: time spent waiting (idle, or descheduled on a busy box) is not counted.
- BENCH_RELAY_VARIANT=NAME[+NAME...]: the relay with a candidate change applied, for A/B runs of its CPU
  per event against `baseline` under the same load at the same time (see VARIANTS).
"""

from __future__ import annotations

import cProfile
import os
import signal
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

__all__ = ["OUT_ENV", "VARIANTS", "VARIANT_ENV", "apply_variant", "install_profiler"]

OUT_ENV = "BENCH_RELAY_PROFILE_OUT"
VARIANT_ENV = "BENCH_RELAY_VARIANT"


def install_profiler(path: str) -> cProfile.Profile:
    """Bind SIGUSR1/SIGUSR2 to starting and stopping (and dumping) a thread-CPU-time profiler."""
    profiler = cProfile.Profile(time.thread_time)

    def start(_signum: int, _frame: FrameType | None) -> None:
        profiler.enable()

    def stop(_signum: int, _frame: FrameType | None) -> None:
        profiler.disable()
        profiler.dump_stats(path)

    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, stop)
    return profiler


def _otel_skips_realtime() -> None:
    """`/realtime` added to the excluded_urls of FastAPIInstrumentor.instrument_app (shared/defaults.py)."""
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    original = FastAPIInstrumentor.instrument_app

    def instrument_app(app: Any, **kwargs: Any) -> None:
        excluded = kwargs.get("excluded_urls")
        kwargs["excluded_urls"] = f"{excluded},/realtime" if excluded else "/realtime"
        original(app, **kwargs)

    setattr(FastAPIInstrumentor, "instrument_app", staticmethod(instrument_app))  # noqa: B010


def _outside_middleware() -> None:
    """The `/realtime` socket handed straight to its endpoint, outside the middleware stack and the router.

    The app uvicorn serves becomes a small ASGI dispatcher: websocket scopes for /realtime go to the route's
    endpoint with a plain starlette WebSocket (no OpenTelemetry ASGI middleware, no exception-middleware
    send wrapper, no routing); everything else (lifespan, pages, /health) goes to the FastAPI app as before.
    """
    from fastapi import FastAPI
    from fastapi.routing import APIWebSocketRoute
    from starlette.types import Receive, Scope, Send
    from starlette.websockets import WebSocket

    import store_realtime.__main__ as entry

    create_app = getattr(entry, "create_app")  # noqa: B009 - patched by name below

    def create_dispatcher(*args: Any, **kwargs: Any) -> Any:
        app: FastAPI = create_app(*args, **kwargs)
        route = next(r for r in app.routes if isinstance(r, APIWebSocketRoute) and r.path == "/realtime")
        endpoint = route.endpoint

        async def dispatch(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "websocket" and scope["path"] == "/realtime":
                await endpoint(WebSocket(scope, receive, send))
            else:
                await app(scope, receive, send)

        return dispatch

    setattr(entry, "create_app", create_dispatcher)  # noqa: B010 - main() looks it up at call time


def _asgi_direct() -> None:
    """The page channel calls the ASGI receive/send itself, skipping starlette WebSocket's state checks."""
    from starlette.websockets import WebSocketState

    from store_realtime import app as store_app

    async def send_text(self: Any, text: str) -> None:
        await self._ws._send({"type": "websocket.send", "text": text})

    async def receive(self: Any) -> str | bytes | None:
        message = await self._ws._receive()
        if message["type"] == "websocket.disconnect":
            self._ws.client_state = WebSocketState.DISCONNECTED
            return None
        text: str | None = message.get("text")
        return text if text is not None else message.get("bytes", b"")

    store_app._PageChannel.send_text = send_text  # type: ignore[method-assign]
    store_app._PageChannel.receive = receive  # type: ignore[method-assign]


VARIANTS: dict[str, Callable[[], None]] = {
    "baseline": lambda: None,
    "otel-skips-realtime": _otel_skips_realtime,
    "outside-middleware": _outside_middleware,
    "asgi-direct": _asgi_direct,
}


def apply_variant(name: str) -> None:
    for part in name.split("+"):
        if part not in VARIANTS:
            raise SystemExit(f"unknown {VARIANT_ENV} {part!r}; known: {', '.join(VARIANTS)}")
        VARIANTS[part]()


if __name__ == "__main__":
    apply_variant(os.environ.get(VARIANT_ENV, "baseline"))
    if os.environ.get(OUT_ENV):
        install_profiler(os.environ[OUT_ENV])
    from store_realtime.__main__ import main

    sys.exit(main())

"""Service defaults: the one call every app factory makes (like eShopLite's ServiceDefaults)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

from shared.settings import ServiceSettings
from shared.telemetry import configure_telemetry

__all__ = ["ReadinessCheck", "add_readiness_check", "apply_service_defaults", "configure_logging"]

ReadinessCheck = Callable[[], Awaitable[object]]
READY_TIMEOUT_S = 3.0


def configure_logging(level: str) -> None:
    root = logging.getLogger()
    if not any(getattr(h, "_store_default", False) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler._store_default = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level.upper())
    for chatty in ("httpx", "httpx2", "azure"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, root.level))


def add_readiness_check(app: FastAPI, name: str, check: ReadinessCheck) -> None:
    """Register a dependency check for `/ready`; a check passes when it returns without raising."""
    app.state.readiness_checks[name] = check


def apply_service_defaults(
    app: FastAPI, settings: ServiceSettings, *, service_name: str, untraced: tuple[str, ...] = ()
) -> None:
    """Logging, telemetry, `/health` and `/ready` for one service. `untraced` paths get no request span
    (a long-lived socket whose every message the middleware would otherwise touch)."""
    configure_logging(settings.log_level)
    configure_telemetry(service_name, settings)
    excluded = ",".join(("/health", "/ready", *untraced))
    FastAPIInstrumentor.instrument_app(app, excluded_urls=excluded, exclude_spans=["receive", "send"])
    app.state.readiness_checks = {}
    app.state.started = False

    @app.get("/health", tags=["ops"], summary="Liveness: the process answers")
    async def health() -> dict[str, str]:
        return {"status": "ok", "service": service_name}

    @app.get(
        "/ready",
        tags=["ops"],
        summary="Readiness: the service has started and its dependencies answer",
        responses={503: {"description": "Not ready; `checks` names what failed"}},
    )
    async def ready() -> JSONResponse:
        checks: dict[str, ReadinessCheck] = app.state.readiness_checks
        names = list(checks)
        results = await asyncio.gather(*(_run_check(checks[n]) for n in names))
        report = dict(zip(names, results, strict=True))
        ok = app.state.started and all(r == "ok" for r in results)
        if not app.state.started:
            report["startup"] = "starting"
        body = {"status": "ready" if ok else "not ready", "service": service_name, "checks": report}
        return JSONResponse(body, status_code=200 if ok else 503)


async def _run_check(check: ReadinessCheck) -> str:
    try:
        await asyncio.wait_for(check(), READY_TIMEOUT_S)
    except TimeoutError:
        return f"timed out after {READY_TIMEOUT_S:g}s"
    except Exception as exc:  # noqa: BLE001 - a readiness probe reports any failure
        return f"{type(exc).__name__}: {exc}"[:300]
    return "ok"

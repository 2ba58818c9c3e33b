"""What Azure checks before a REST request reaches a model: api-version, the key; plus fault switches."""

from __future__ import annotations

import asyncio
import hmac
import itertools
import uuid
from collections.abc import Mapping

from pydantic import SecretStr
from starlette.datastructures import Headers, QueryParams
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orchestrator.emulators.azure_openai.errors import (
    EmulatorError,
    RateLimited,
    ResourceNotFound,
    ServerError,
    Unauthorized,
    error_response,
)
from orchestrator.emulators.azure_openai.settings import EmulatorSettings

__all__ = ["AzureGate", "FaultSwitches", "check_api_key"]

REST_PREFIX = "/openai/"
UNVERSIONED_PREFIX = "/openai/v1/"


def check_api_key(expected: SecretStr | None, headers: Headers, query: QueryParams) -> None:
    """Accept the key in `api-key` (header or query) or as a bearer token; any key when none is set."""
    if expected is None:
        return
    authorization = headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    offered = [headers.get("api-key"), query.get("api-key")]
    if scheme.lower() == "bearer":
        offered.append(token.strip())
    key = expected.get_secret_value().encode()
    if not any(o is not None and hmac.compare_digest(o.encode(), key) for o in offered):
        raise Unauthorized()


class FaultSwitches:
    """Injected latency, 429s and 500s, counted over the REST requests that pass authentication."""

    def __init__(self, settings: EmulatorSettings) -> None:
        self._settings = settings
        self._counter = itertools.count(1)

    async def apply(self) -> None:
        settings = self._settings
        n = next(self._counter)
        if settings.fault_latency_ms:
            await asyncio.sleep(settings.fault_latency_ms / 1000)
        if settings.fault_rate_limit_every and n % settings.fault_rate_limit_every == 0:
            raise RateLimited(
                settings.fault_retry_after_s,
                reason=f"fault switch EMULATOR_FAULT_RATE_LIMIT_EVERY={settings.fault_rate_limit_every}",
            )
        if settings.fault_error_rate_every and n % settings.fault_error_rate_every == 0:
            raise ServerError(
                f"fault injected by EMULATOR_FAULT_ERROR_EVERY={settings.fault_error_rate_every}"
            )


class AzureGate:
    """ASGI middleware for HTTP requests under `/openai/`; other paths (/health, /ready) pass."""

    def __init__(self, app: ASGIApp, *, settings: EmulatorSettings, faults: FaultSwitches) -> None:
        self.app = app
        self.settings = settings
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(REST_PREFIX):
            await self.app(scope, receive, send)
            return
        request_id = str(uuid.uuid4())
        send = _with_headers(send, {"x-request-id": request_id, "apim-request-id": request_id})
        headers, query = Headers(scope=scope), QueryParams(scope.get("query_string", b""))
        try:
            if not path.startswith(UNVERSIONED_PREFIX) and not query.get("api-version"):
                raise ResourceNotFound()
            check_api_key(self.settings.api_key, headers, query)
            await self.faults.apply()
        except EmulatorError as exc:
            await error_response(exc)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _with_headers(send: Send, extra: Mapping[str, str]) -> Send:
    encoded = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in extra.items()]

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *encoded]}
        await send(message)

    return wrapped

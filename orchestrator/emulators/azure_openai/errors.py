"""Azure-shaped errors: typed exceptions, turned into `{"error": {...}}` responses in one place."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

__all__ = [
    "ApiVersionNotAllowed",
    "DeploymentNotFound",
    "EmulatorError",
    "InvalidRequest",
    "RateLimited",
    "ResourceNotFound",
    "ServerError",
    "Unauthorized",
    "error_response",
    "install_error_handler",
]


class EmulatorError(Exception):
    """An error the emulator answers with, shaped like Azure OpenAI's."""

    status_code: int = 500
    error_type: str | None = None

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.param = param
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "code": self.code,
                "message": self.message,
                "type": self.error_type,
                "param": self.param,
            }
        }


class InvalidRequest(EmulatorError):
    status_code = 400
    error_type = "invalid_request_error"


class Unauthorized(EmulatorError):
    status_code = 401

    def __init__(self) -> None:
        super().__init__(
            "Access denied due to invalid subscription key or wrong API endpoint. Make sure to"
            " provide a valid key for an active subscription and use a correct regional API"
            " endpoint for your resource.",
            code="401",
        )


class ApiVersionNotAllowed(EmulatorError):
    """Azure's v1 realtime endpoint refuses an api-version with 401."""

    status_code = 401

    def __init__(self) -> None:
        super().__init__("The v1 endpoints take no api-version query parameter.", code="401")


class ResourceNotFound(EmulatorError):
    status_code = 404

    def __init__(self) -> None:
        super().__init__("Resource not found", code="404")


class DeploymentNotFound(EmulatorError):
    status_code = 404

    def __init__(self, deployment: str, *, detail: str = "") -> None:
        super().__init__(
            "The API deployment for this resource does not exist. If you created the deployment"
            " within the last 5 minutes, please wait a moment and try again."
            + (f" ({detail})" if detail else f" (no deployment named {deployment!r})"),
            code="DeploymentNotFound",
        )


class RateLimited(EmulatorError):
    status_code = 429

    def __init__(self, retry_after_s: float, *, reason: str) -> None:
        seconds = max(1, math.ceil(retry_after_s))
        super().__init__(
            f"Requests to this deployment have exceeded the call rate limit ({reason})."
            f" Please retry after {seconds} second{'s' if seconds != 1 else ''}.",
            code="429",
            headers={
                "Retry-After": str(seconds),
                "retry-after-ms": str(round(retry_after_s * 1000)),
            },
        )


class ServerError(EmulatorError):
    status_code = 500
    error_type = "server_error"

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "The server had an error while processing your request. Sorry about that!"
            + (f" ({detail})" if detail else "")
        )


def _param(loc: Sequence[int | str]) -> str | None:
    path = ""
    for part in loc[1:] if loc and loc[0] == "body" else loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path or None


def _from_validation(exc: RequestValidationError) -> InvalidRequest:
    first = exc.errors()[0]
    kind, loc = str(first.get("type", "")), tuple(first.get("loc", ()))
    if kind == "json_invalid":
        return InvalidRequest(
            "We could not parse the JSON body of your request: it is not valid JSON"
            f" ({first.get('ctx', {}).get('error', 'decode error')})."
        )
    param = _param(loc)
    if param is None:
        return InvalidRequest("The request body must be a JSON object.", code="invalid_type")
    if kind == "missing":
        return InvalidRequest(
            f"Missing required parameter: '{param}'.", code="missing_required_parameter", param=param
        )
    code = "invalid_type" if kind.endswith("_type") else "invalid_value"
    message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
    return InvalidRequest(f"Invalid value for '{param}': {message}.", code=code, param=param)


def _translate(exc: Exception) -> EmulatorError:
    if isinstance(exc, EmulatorError):
        return exc
    if isinstance(exc, RequestValidationError):
        return _from_validation(exc)
    if isinstance(exc, HTTPException):
        if exc.status_code == 404:
            return ResourceNotFound()
        error = EmulatorError(str(exc.detail), code=str(exc.status_code))
        error.status_code = exc.status_code
        return error
    return ServerError()


def error_response(exc: Exception) -> JSONResponse:
    """The Azure-shaped response for any exception."""
    error = _translate(exc)
    return JSONResponse(error.body(), status_code=error.status_code, headers=error.headers)


async def _handle(_request: Request, exc: Exception) -> JSONResponse:
    return error_response(exc)


def install_error_handler(app: FastAPI) -> None:
    """Unexpected exceptions answer 500 here and still propagate to the server, which logs them."""
    for exc_class in (EmulatorError, RequestValidationError, HTTPException, Exception):
        app.add_exception_handler(exc_class, _handle)

"""The service's typed errors, turned into responses in one place."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import ValidationError

__all__ = [
    "Conflict",
    "ImportInvalid",
    "NotFound",
    "ServiceError",
    "StaffKeyRequired",
    "UpstreamUnavailable",
    "install_error_handlers",
]


_log = logging.getLogger(__name__)


class ServiceError(Exception):
    status_code = 500
    code = "internal_error"

    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"detail": self.message, "code": self.code, **self.extra}


class NotFound(ServiceError):
    status_code = 404
    code = "not_found"


class Conflict(ServiceError):
    status_code = 409
    code = "conflict"


class StaffKeyRequired(ServiceError):
    status_code = 401
    code = "staff_key_required"


class ImportInvalid(ServiceError):
    status_code = 422
    code = "import_invalid"


class UpstreamUnavailable(ServiceError):
    """The embedding model could not be reached; nothing was written."""

    status_code = 503
    code = "upstream_unavailable"


async def _handle(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    headers = {"WWW-Authenticate": "X-Staff-Key"} if isinstance(exc, StaffKeyRequired) else None
    return JSONResponse(exc.body(), status_code=exc.status_code, headers=headers)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    _log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    body = {"detail": "the service failed to answer; the error is logged", "code": "internal_error"}
    return JSONResponse(body, status_code=500)


async def _invalid(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ValidationError)
    detail = jsonable_encoder(exc.errors(include_url=False, include_context=False))
    return JSONResponse({"detail": detail, "code": "invalid"}, status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _handle)
    app.add_exception_handler(ValidationError, _invalid)
    app.add_exception_handler(Exception, _unexpected)

"""The dashboard's errors: small typed exceptions, turned into responses in one place.

OTLP routes answer in the request's encoding (a google.rpc.Status, protobuf or JSON, as the OTLP/HTTP
specification asks); everything else answers `{"error": {"status": ..., "message": ...}}`.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from google.protobuf import json_format
from google.rpc import status_pb2
from starlette.exceptions import HTTPException

__all__ = [
    "BadPayload",
    "DashboardError",
    "NotFound",
    "PayloadTooLarge",
    "UnsupportedMediaType",
    "install_error_handler",
]

_log = logging.getLogger(__name__)

# google.rpc.Code for each HTTP status we answer with.
_RPC_CODES = {400: 3, 404: 5, 413: 8, 415: 3, 500: 13}


class DashboardError(Exception):
    status_code = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadPayload(DashboardError):
    status_code = 400


class NotFound(DashboardError):
    status_code = 404


class PayloadTooLarge(DashboardError):
    status_code = 413


class UnsupportedMediaType(DashboardError):
    status_code = 415


def _translate(exc: Exception) -> DashboardError:
    if isinstance(exc, DashboardError):
        return exc
    if isinstance(exc, RequestValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        return BadPayload(f"invalid {where}: {first.get('msg', 'invalid value')}")
    if isinstance(exc, HTTPException):
        error = DashboardError(str(exc.detail))
        error.status_code = exc.status_code
        return error
    _log.error("unexpected error", exc_info=exc)
    return DashboardError("internal error in the dashboard")


def _otlp_response(request: Request, error: DashboardError) -> Response:
    status = status_pb2.Status(code=_RPC_CODES.get(error.status_code, 2), message=error.message)
    if "json" in request.headers.get("content-type", ""):
        return Response(
            json_format.MessageToJson(status), status_code=error.status_code, media_type="application/json"
        )
    return Response(
        status.SerializeToString(), status_code=error.status_code, media_type="application/x-protobuf"
    )


async def _handle(request: Request, exc: Exception) -> Response:
    error = _translate(exc)
    if request.url.path.startswith("/v1/"):
        return _otlp_response(request, error)
    body = {"error": {"status": error.status_code, "message": error.message}}
    return JSONResponse(body, status_code=error.status_code)


def install_error_handler(app: FastAPI) -> None:
    for exc_class in (DashboardError, RequestValidationError, HTTPException, Exception):
        app.add_exception_handler(exc_class, _handle)

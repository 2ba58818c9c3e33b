"""The OTLP/HTTP wire: bounded body reading, gzip, protobuf and JSON decoding, and the answers.

OTLP JSON differs from protobuf's canonical JSON in one way: trace and span ids are hex, not base64;
they are rewritten before protobuf's own JSON parser reads the message. Unknown fields are ignored,
as the OTLP specification asks of receivers.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from collections.abc import AsyncIterable
from typing import Any, Final, Literal

from google.protobuf import json_format
from google.protobuf.message import DecodeError, Message
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

from orchestrator.dashboard.errors import BadPayload, PayloadTooLarge, UnsupportedMediaType

__all__ = ["Encoding", "Signal", "decode", "encode_answer", "encoding_of", "inflate", "read_limited"]

Signal = Literal["traces", "metrics", "logs"]
Encoding = Literal["protobuf", "json"]

_REQUESTS: Final[dict[Signal, type[Message]]] = {
    "traces": trace_service_pb2.ExportTraceServiceRequest,
    "metrics": metrics_service_pb2.ExportMetricsServiceRequest,
    "logs": logs_service_pb2.ExportLogsServiceRequest,
}
_ANSWERS: Final[dict[Signal, type[Message]]] = {
    "traces": trace_service_pb2.ExportTraceServiceResponse,
    "metrics": metrics_service_pb2.ExportMetricsServiceResponse,
    "logs": logs_service_pb2.ExportLogsServiceResponse,
}
_ID_KEYS: Final = frozenset({"traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id"})
_MEDIA: Final[dict[Encoding, str]] = {"protobuf": "application/x-protobuf", "json": "application/json"}


def encoding_of(content_type: str) -> Encoding:
    media = content_type.split(";", 1)[0].strip().lower()
    if media in ("application/x-protobuf", "application/protobuf"):
        return "protobuf"
    if media == "application/json":
        return "json"
    raise UnsupportedMediaType(
        f"Content-Type {media or '(none)'!r} is not OTLP; send application/x-protobuf or application/json"
    )


async def read_limited(chunks: AsyncIterable[bytes], declared: str | None, limit: int) -> bytes:
    """The whole body, refusing (413) one larger than `limit` before reading it when it says so."""
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"body of {int(declared)} bytes is over the {limit}-byte limit")
    body = bytearray()
    async for chunk in chunks:
        body += chunk
        if len(body) > limit:
            raise PayloadTooLarge(f"body is over the {limit}-byte limit")
    return bytes(body)


def inflate(body: bytes, content_encoding: str | None, limit: int) -> bytes:
    """The body decompressed (gzip or deflate), refusing one that inflates past `limit`."""
    coding = (content_encoding or "identity").strip().lower()
    if coding == "identity":
        return body
    if coding not in ("gzip", "deflate"):
        raise UnsupportedMediaType(f"Content-Encoding {coding!r} is not supported; use gzip or none")
    inflater = zlib.decompressobj(wbits=31 if coding == "gzip" else 15)
    try:
        out = inflater.decompress(body, limit + 1)
    except zlib.error as exc:
        raise BadPayload(f"the body is not valid {coding} ({exc})") from exc
    if len(out) > limit or inflater.unconsumed_tail:
        raise PayloadTooLarge(f"body inflates to more than the {limit}-byte limit")
    if not inflater.eof:
        raise BadPayload(f"the {coding} body is truncated")
    return out


def _hex_ids_to_base64(node: Any) -> Any:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _ID_KEYS and isinstance(value, str):
                try:
                    value = base64.b64encode(bytes.fromhex(value)).decode("ascii")
                except ValueError as exc:
                    raise BadPayload(f"{key} {value[:40]!r} is not hex") from exc
            else:
                value = _hex_ids_to_base64(value)
            out[key] = value
        return out
    if isinstance(node, list):
        return [_hex_ids_to_base64(item) for item in node]
    return node


def decode(signal: Signal, body: bytes, encoding: Encoding) -> Message:
    """The Export*ServiceRequest in the body; BadPayload names what is wrong."""
    message = _REQUESTS[signal]()
    what = str(message.DESCRIPTOR.name)
    if encoding == "protobuf":
        try:
            message.ParseFromString(body)
        except (DecodeError, RecursionError) as exc:
            raise BadPayload(f"the body is not a protobuf {what} ({exc})") from exc
        return message
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise BadPayload(f"the body is not JSON ({exc})") from exc
    if not isinstance(document, dict):
        raise BadPayload(f"the body must be a JSON object (an OTLP {what})")
    try:
        json_format.ParseDict(_hex_ids_to_base64(document), message, ignore_unknown_fields=True)
    except (json_format.ParseError, binascii.Error, RecursionError) as exc:
        raise BadPayload(f"the body is not an OTLP JSON {what}: {exc}") from exc
    return message


def encode_answer(signal: Signal, encoding: Encoding) -> tuple[bytes, str]:
    """The empty (fully accepted) Export*ServiceResponse and its media type."""
    answer = _ANSWERS[signal]()
    if encoding == "json":
        return json_format.MessageToJson(answer).encode(), _MEDIA["json"]
    return answer.SerializeToString(), _MEDIA["protobuf"]

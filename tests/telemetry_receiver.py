"""A local telemetry receiver for tests: OTLP/HTTP (protobuf) and Application Insights' ingestion
endpoint (`/v2.1/track`), keeping every body it is sent."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

TRACK_ACCEPTED = b'{"itemsReceived": 0, "itemsAccepted": 0, "errors": []}'


@dataclass
class Received:
    bodies: dict[str, list[bytes]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def spans(self) -> list[tuple[str, str, str, dict[str, object]]]:
        """(service name, span name, trace id hex, attributes) of every span received."""
        out = []
        with self.lock:
            bodies = list(self.bodies.get("/v1/traces", []))
        for body in bodies:
            request = ExportTraceServiceRequest()
            request.ParseFromString(body)
            for resource_spans in request.resource_spans:
                service = next(
                    a.value.string_value
                    for a in resource_spans.resource.attributes
                    if a.key == "service.name"
                )
                for scope in resource_spans.scope_spans:
                    for span in scope.spans:
                        attributes = {a.key: _value(a.value) for a in span.attributes}
                        out.append((service, span.name, span.trace_id.hex(), attributes))
        return out

    def track_items(self) -> list[dict[str, object]]:
        """Every envelope posted to Application Insights' track endpoint."""
        with self.lock:
            bodies = list(self.bodies.get("/v2.1/track", []))
        return [item for body in bodies for item in json.loads(body)]


def _value(value: object) -> object:
    kind = value.WhichOneof("value")  # type: ignore[attr-defined]
    return getattr(value, kind) if kind else None


@contextmanager
def otlp_receiver() -> Iterator[tuple[str, Received]]:
    received = Received()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            with received.lock:
                received.bodies.setdefault(self.path, []).append(body)
            answer = (
                b'{"itemsReceived": 0, "itemsAccepted": 0, "errors": []}' if "track" in self.path else b""
            )
            self.send_response(200)
            self.send_header("Content-Type", "application/json" if answer else "application/x-protobuf")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()

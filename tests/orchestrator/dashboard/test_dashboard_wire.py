"""The OTLP/HTTP wire by hand: JSON encoding, gzip, answers in the request's encoding, and refusals."""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from google.rpc import status_pb2
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from orchestrator.dashboard import DashboardSettings, create_app
from tests.orchestrator.dashboard.dashboard_support import otlp_json_span

TRACE = "5b8efff798038103d269b633813fc60c"
JSON = {"Content-Type": "application/json"}
PROTOBUF = {"Content-Type": "application/x-protobuf"}


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(settings=DashboardSettings(max_body_bytes=64 * 1024))) as client:
        yield client


def test_otlp_json_spans_with_every_value_type(client: TestClient) -> None:
    body = otlp_json_span(TRACE, "eee19b7ec3c1b174", "GET /api/products", "products_service")
    answer = client.post("/v1/traces", content=json.dumps(body), headers=JSON)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json" and answer.json() == {}

    span = client.get(f"/api/traces/{TRACE}").json()["spans"][0]
    assert span["service"] == "products_service" and span["kind"] == "server"
    assert span["attributes"] == {
        "http.status_code": 200,
        "ratio": 0.5,
        "tags": ["a", True],
        "raw": "0001",
        "nested": {"k": 7},
        "empty": None,
    }
    assert span["status"]["code"] == "ok" and span["duration_ms"] == 25.0


def test_gzip_protobuf_is_answered_with_protobuf(client: TestClient) -> None:
    request = ExportTraceServiceRequest()
    spans = request.resource_spans.add()
    spans.resource.attributes.add(key="service.name").value.string_value = "store_realtime"
    span = spans.scope_spans.add().spans.add(name="voice turn", start_time_unix_nano=1, end_time_unix_nano=2)
    span.trace_id, span.span_id = bytes.fromhex(TRACE), bytes.fromhex("00f067aa0ba902b7")
    span.attributes.add(key="weird").value.double_value = float("nan")
    answer = client.post(
        "/v1/traces",
        content=gzip.compress(request.SerializeToString()),
        headers={**PROTOBUF, "Content-Encoding": "gzip"},
    )
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/x-protobuf"
    assert ExportTraceServiceResponse.FromString(answer.content) == ExportTraceServiceResponse()
    assert client.get(f"/api/traces/{TRACE}").json()["spans"][0]["attributes"] == {"weird": "nan"}


def test_otlp_json_metrics_and_logs(client: TestClient) -> None:
    point = {
        "timeUnixNano": str(time.time_ns()),
        "asInt": "5",
        "attributes": [{"key": "index.kind", "value": {"stringValue": "hnsw"}}],
    }
    metrics = {
        "resourceMetrics": [
            {
                "resource": {
                    "attributes": [{"key": "service.name", "value": {"stringValue": "products_service"}}]
                },
                "scopeMetrics": [
                    {"metrics": [{"name": "products.index.size", "gauge": {"dataPoints": [point]}}]}
                ],
            }
        ]
    }
    logs = {
        "resourceLogs": [
            {
                "resource": {
                    "attributes": [{"key": "service.name", "value": {"stringValue": "store_realtime"}}]
                },
                "scopeLogs": [
                    {
                        "logRecords": [
                            {
                                "timeUnixNano": "1700000000000000000",
                                "severityNumber": 17,
                                "body": {"stringValue": "boom"},
                                "traceId": TRACE,
                                "spanId": "00f067aa0ba902b7",
                            }
                        ]
                    }
                ],
            }
        ]
    }
    assert client.post("/v1/metrics", content=json.dumps(metrics), headers=JSON).status_code == 200
    assert client.post("/v1/logs", content=json.dumps(logs), headers=JSON).status_code == 200
    assert client.get("/api/metrics/summary").json()["index"]["size"] == 5
    [record] = client.get("/api/logs", params={"service": "store_realtime"}).json()["logs"]
    assert record["body"] == "boom" and record["severity"] == "ERROR" and record["trace_id"] == TRACE
    assert client.get("/api/logs", params={"trace_id": "0" * 32}).json()["logs"] == []


@pytest.mark.parametrize(
    ("body", "headers", "message"),
    [
        (b"\xff\xff\xff", PROTOBUF, "not a protobuf ExportTraceServiceRequest"),
        (b"{not json", JSON, "not JSON"),
        (b"[1, 2]", JSON, "must be a JSON object"),
        (json.dumps({"resourceSpans": "many"}).encode(), JSON, "not an OTLP JSON ExportTraceServiceRequest"),
        (json.dumps(otlp_json_span("xyz", "00", "n", "s")).encode(), JSON, "traceId 'xyz' is not hex"),
        (b"not gzip", {**PROTOBUF, "Content-Encoding": "gzip"}, "not valid gzip"),
    ],
    ids=["protobuf", "json", "json-array", "json-shape", "hex-id", "gzip"],
)
def test_malformed_bodies_are_refused_with_a_message(
    client: TestClient, body: bytes, headers: dict[str, str], message: str
) -> None:
    answer = client.post("/v1/traces", content=body, headers=headers)
    assert answer.status_code == 400
    if answer.headers["content-type"] == "application/json":
        assert message in answer.json()["message"]
    else:
        assert message in status_pb2.Status.FromString(answer.content).message
    assert client.get("/api/traces").json()["count"] == 0


def test_oversized_and_unsupported_bodies(client: TestClient) -> None:
    huge = b"\x00" * (64 * 1024 + 1)
    answer = client.post("/v1/traces", content=huge, headers=PROTOBUF)
    assert answer.status_code == 413 and "limit" in status_pb2.Status.FromString(answer.content).message
    bomb = gzip.compress(b"\x00" * (1024 * 1024))  # 1 KiB on the wire, 1 MiB inflated
    answer = client.post("/v1/metrics", content=bomb, headers={**JSON, "Content-Encoding": "gzip"})
    assert answer.status_code == 413 and "inflates" in answer.json()["message"]
    assert client.post("/v1/logs", content=b"x", headers={"Content-Type": "text/plain"}).status_code == 415
    answer = client.post("/v1/logs", content=b"x", headers={**PROTOBUF, "Content-Encoding": "br"})
    assert answer.status_code == 415


def test_an_empty_request_is_accepted(client: TestClient) -> None:
    answer = client.post(
        "/v1/metrics", content=ExportMetricsServiceRequest().SerializeToString(), headers=PROTOBUF
    )
    assert answer.status_code == 200 and answer.content == b""
    assert client.post("/v1/traces", content=b"{}", headers=JSON).json() == {}

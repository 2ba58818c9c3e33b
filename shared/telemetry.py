"""OpenTelemetry bootstrap: Application Insights when configured, OTLP when configured, or both."""

from __future__ import annotations

import logging
import threading

from opentelemetry import metrics, trace
from opentelemetry.sdk.resources import SERVICE_NAME, Resource

from shared.settings import ServiceSettings

__all__ = ["configure_telemetry", "propagation_headers", "telemetry_configured"]

_log = logging.getLogger(__name__)
_lock = threading.Lock()
_configured_for: str | None = None


def telemetry_configured() -> str | None:
    """The service name telemetry was configured for in this process, if any."""
    return _configured_for


def configure_telemetry(service_name: str, settings: ServiceSettings) -> None:
    """Install tracer, meter and logger providers for this process, once.

    OpenTelemetry's global providers can be set only once per process, so the first
    service configured in a process names it; later calls are no-ops.
    """
    global _configured_for
    with _lock:
        if _configured_for is not None:
            return
        _configured_for = service_name
        resource = Resource.create({SERVICE_NAME: service_name})
        otlp = bool(settings.otel_exporter_otlp_endpoint)
        if settings.applicationinsights_connection_string is not None:
            _configure_azure_monitor(resource, settings, otlp=otlp)
        else:
            _configure_sdk(resource, otlp=otlp)
        _instrument_httpx()
        _log.info(
            "telemetry configured",
            extra={
                "service": service_name,
                "azure_monitor": settings.applicationinsights_connection_string is not None,
                "otlp": otlp,
            },
        )


def _otlp_parts() -> tuple[list[object], list[object], list[object]]:
    from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
    from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk._logs.export import BatchLogRecordProcessor
    from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    return (
        [BatchSpanProcessor(OTLPSpanExporter())],
        [PeriodicExportingMetricReader(OTLPMetricExporter(), export_interval_millis=5000)],
        [BatchLogRecordProcessor(OTLPLogExporter())],
    )


def _configure_azure_monitor(resource: Resource, settings: ServiceSettings, *, otlp: bool) -> None:
    from azure.monitor.opentelemetry import configure_azure_monitor

    spans, readers, logs = _otlp_parts() if otlp else ([], [], [])
    assert settings.applicationinsights_connection_string is not None
    configure_azure_monitor(
        connection_string=settings.applicationinsights_connection_string.get_secret_value(),
        resource=resource,
        span_processors=spans,
        metric_readers=readers,
        log_record_processors=logs,
        enable_live_metrics=False,
        enable_performance_counters=False,
    )


def _configure_sdk(resource: Resource, *, otlp: bool) -> None:
    from opentelemetry._logs import set_logger_provider
    from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.trace import TracerProvider

    spans, readers, logs = _otlp_parts() if otlp else ([], [], [])
    tracer_provider = TracerProvider(resource=resource)
    for processor in spans:
        tracer_provider.add_span_processor(processor)  # type: ignore[arg-type]
    trace.set_tracer_provider(tracer_provider)
    metrics.set_meter_provider(MeterProvider(resource=resource, metric_readers=readers))  # type: ignore[arg-type]
    if logs:
        logger_provider = LoggerProvider(resource=resource)
        for log_processor in logs:
            logger_provider.add_log_record_processor(log_processor)  # type: ignore[arg-type]
        set_logger_provider(logger_provider)
        logging.getLogger().addHandler(LoggingHandler(logger_provider=logger_provider))


def _instrument_httpx() -> None:
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    instrumentor = HTTPXClientInstrumentor()
    if not instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.instrument()


def propagation_headers() -> dict[str, str]:
    """W3C trace-context headers for the current span, for clients OpenTelemetry does not instrument
    (the openai SDK's own HTTP stack)."""
    from opentelemetry.propagate import inject

    carrier: dict[str, str] = {}
    inject(carrier)
    return carrier

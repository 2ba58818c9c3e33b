"""Settings of the ops dashboard (DASHBOARD_*), with the limits that bound its memory."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["DashboardSettings"]

MIB = 1024 * 1024


class DashboardSettings(BaseSettings):
    """Where the dashboard listens and how much telemetry it keeps; every field reads DASHBOARD_<NAME>.

    Memory is bounded by these limits: at most `max_traces` traces and `max_spans` spans in all
    (oldest traces evicted first), `max_logs` log records, and `max_series` metric time series
    of `retention_s / resolution_s` slots each (least recently updated series evicted first).
    """

    model_config = SettingsConfigDict(extra="ignore", env_prefix="DASHBOARD_", env_file=None)

    host: str = "127.0.0.1"
    port: int = Field(18888, ge=0, le=65535)
    log_level: str = "info"
    max_traces: int = Field(1_000, ge=1)
    max_spans: int = Field(50_000, ge=1)
    max_spans_per_trace: int = Field(2_000, ge=1)
    max_logs: int = Field(5_000, ge=1)
    max_series: int = Field(500, ge=1)
    resolution_s: int = Field(10, ge=1)
    retention_s: int = Field(3_600, ge=60)
    max_body_bytes: int = Field(8 * MIB, ge=1_024)
    max_attributes: int = Field(128, ge=1)
    max_value_chars: int = Field(4_096, ge=16)
    refresh_ms: int = Field(3_000, ge=500)

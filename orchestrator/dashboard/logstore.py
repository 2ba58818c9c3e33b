"""The most recent OTLP log records, in a ring buffer."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Any

from orchestrator.dashboard.records import LogRecord

__all__ = ["LogStore"]


class LogStore:
    def __init__(self, *, max_logs: int = 5_000) -> None:
        self._records: deque[LogRecord] = deque(maxlen=max_logs)

    def __len__(self) -> int:
        return len(self._records)

    def add_all(self, records: Iterable[LogRecord]) -> int:
        added = 0
        for record in records:
            self._records.append(record)
            added += 1
        return added

    def recent(
        self, *, service: str | None = None, trace_id: str | None = None, limit: int = 200
    ) -> list[dict[str, Any]]:
        """Newest first."""
        out: list[dict[str, Any]] = []
        for record in reversed(self._records):
            if len(out) >= limit:
                break
            if service is not None and record.service != service:
                continue
            if trace_id is not None and record.trace_id != trace_id.lower():
                continue
            out.append(
                {
                    "ts": record.time_ns / 1e9,
                    "service": record.service,
                    "severity": record.severity or _severity_name(record.severity_number),
                    "body": record.body,
                    "attributes": record.attributes,
                    "trace_id": record.trace_id,
                    "span_id": record.span_id,
                    "scope": record.scope,
                }
            )
        return out


def _severity_name(number: int) -> str:
    for floor, name in ((21, "FATAL"), (17, "ERROR"), (13, "WARN"), (9, "INFO"), (5, "DEBUG"), (1, "TRACE")):
        if number >= floor:
            return name
    return ""

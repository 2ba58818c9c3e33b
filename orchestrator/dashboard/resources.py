"""What the dashboard asks the orchestrator: its resources (services) and their recent log lines."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal, Protocol, runtime_checkable

__all__ = ["ResourceHealth", "ResourceState", "ResourceView", "StaticResources"]

ResourceState = Literal["starting", "running", "ready", "restarting", "stopped", "failed"]
ResourceHealth = Literal["healthy", "unhealthy", "unknown"]


@runtime_checkable
class ResourceView(Protocol):
    """Implemented by the orchestrator's supervisor.

    `resources()` gives one dict per service: name, state (ResourceState), pid, started_at (epoch
    seconds or None), uptime_s, restarts, health (ResourceHealth), url and detail.
    `logs(name)` gives its most recent lines, oldest first: ts (epoch seconds), stream
    ("stdout" | "stderr") and line. An unknown name raises KeyError.
    """

    def resources(self) -> list[dict[str, Any]]: ...

    def logs(self, name: str, limit: int = 200) -> list[dict[str, Any]]: ...


class StaticResources:
    """A fixed view, for tests and for the dashboard run on its own (no resources then)."""

    def __init__(
        self,
        resources: Iterable[Mapping[str, Any]] = (),
        logs: Mapping[str, Iterable[Mapping[str, Any]]] | None = None,
    ) -> None:
        self._resources = [dict(r) for r in resources]
        self._logs = {name: [dict(line) for line in lines] for name, lines in (logs or {}).items()}

    def resources(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self._resources]

    def logs(self, name: str, limit: int = 200) -> list[dict[str, Any]]:
        if name not in self._logs and all(r.get("name") != name for r in self._resources):
            raise KeyError(name)
        lines = self._logs.get(name, [])
        return [dict(line) for line in lines[-limit:]] if limit > 0 else []

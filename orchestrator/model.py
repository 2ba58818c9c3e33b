"""The building blocks of the system's description: services, their ports, environment and dependencies."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["Service", "System"]


@dataclass(eq=False)
class Service:
    """One process the orchestrator runs: `python -m <module>`, listening on `port`, ready at `health`."""

    name: str
    module: str
    port: int
    port_env: str
    host: str = "127.0.0.1"
    health: str = "/ready"
    env: dict[str, str] = field(default_factory=dict)
    secrets: set[str] = field(default_factory=set)
    waits_for: list[Service] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)  # label -> path shown when ready
    ready_timeout_s: float = 300.0

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def command(self) -> list[str]:
        return [sys.executable, "-m", self.module]

    def environment(self) -> dict[str, str]:
        return {self.port_env: str(self.port), **self.env}

    def with_env(self, **values: str) -> Service:
        self.env.update(values)
        return self

    def with_secret(self, name: str, value: str) -> Service:
        self.env[name] = value
        self.secrets.add(name)
        return self

    def wait_for(self, *services: Service) -> Service:
        self.waits_for.extend(services)
        return self

    def reference(self, service: Service, *, as_env: str) -> Service:
        """Tell this service where another one is (also in Aspire's `services__name__http__0` form)."""
        self.env[as_env] = service.url
        self.env[f"services__{service.name}__http__0"] = service.url
        return self


@dataclass
class System:
    services: list[Service] = field(default_factory=list)
    shared_env: dict[str, str] = field(default_factory=dict)
    shared_secrets: set[str] = field(default_factory=set)

    def add(self, service: Service) -> Service:
        self.services.append(service)
        return service

    def share(self, values: Mapping[str, str], *, secret: bool = False) -> None:
        """Environment every service gets (the AI_* names, the endpoint, telemetry)."""
        self.shared_env.update(values)
        if secret:
            self.shared_secrets.update(values)

    def env_of(self, service: Service) -> dict[str, str]:
        return {**self.shared_env, **service.environment()}

    def secret_names(self, service: Service) -> set[str]:
        return self.shared_secrets | service.secrets

    def start_order(self) -> list[Service]:
        """Dependencies first; a cycle is a mistake in the description."""
        ordered: list[Service] = []
        visiting: set[str] = set()

        def visit(service: Service) -> None:
            if service in ordered:
                return
            if service.name in visiting:
                raise ValueError(f"dependency cycle through {service.name}")
            visiting.add(service.name)
            for dependency in service.waits_for:
                visit(dependency)
            visiting.discard(service.name)
            ordered.append(service)

        for service in self.services:
            visit(service)
        return ordered

"""Runs the described services: start in dependency order, wait for `/ready`, restart what crashes, stop all.

Each service runs in its own process group, so stopping it stops everything it started too.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import time
from dataclasses import dataclass
from typing import Any

import httpx

from orchestrator.console import Console
from orchestrator.model import Service, System
from shared.tasks import TaskOwner

__all__ = ["PortTaken", "Supervisor"]

BACKOFF_S = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
HEALTHY_RESETS_BACKOFF_S = 60.0


class PortTaken(RuntimeError):
    pass


@dataclass
class _Running:
    service: Service
    process: asyncio.subprocess.Process | None = None
    state: str = "waiting"
    started_at: float | None = None
    restarts: int = 0
    health: str = "unknown"
    detail: str = ""
    ready: asyncio.Event | None = None


class Supervisor:
    """Also the dashboard's view of the resources (`resources()`, `logs()`)."""

    def __init__(
        self,
        system: System,
        console: Console,
        *,
        stop_timeout_s: float = 10.0,
        backoff_s: tuple[float, ...] = BACKOFF_S,
    ) -> None:
        self.system = system
        self.console = console
        self._stop_timeout_s = stop_timeout_s
        self._backoff_s = backoff_s
        self._running = {s.name: _Running(s) for s in system.services}
        self._stopping = False
        self._tasks = TaskOwner()
        self._http = httpx.AsyncClient(timeout=2.0)

    @staticmethod
    def check_ports(ports: dict[str, tuple[str, int]]) -> None:
        """Every port free before anything starts; a taken one is named with the service that wanted it."""
        for name, (host, port) in ports.items():
            with socket.socket() as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    probe.bind((host, port))
                except OSError:
                    raise PortTaken(
                        f"port {port} on {host} is already in use, so {name} cannot start there."
                        " Stop whatever holds it, or choose another port for it."
                    ) from None

    async def start(self) -> None:
        """Start every service in order, each once what it waits for is ready."""
        for service in self.system.start_order():
            for dependency in service.waits_for:
                await self._wait_ready(dependency)
            if self._stopping:
                return
            await self._spawn(self._running[service.name])
        for service in self.system.services:
            await self._wait_ready(service)

    async def stop(self) -> None:
        self._stopping = True
        for service in reversed(self.system.start_order()):
            await self._terminate(self._running[service.name])
        await self._tasks.cancel_all()
        await self._http.aclose()

    def resources(self) -> list[dict[str, Any]]:
        now = time.time()
        return [
            {
                "name": r.service.name,
                "state": r.state,
                "pid": r.process.pid if r.process is not None and r.process.returncode is None else None,
                "started_at": r.started_at,
                "uptime_s": round(now - r.started_at, 1)
                if r.started_at and r.state in ("running", "ready")
                else 0,
                "restarts": r.restarts,
                "health": r.health,
                "url": r.service.url,
                "detail": r.detail,
            }
            for r in self._running.values()
        ]

    def logs(self, name: str, limit: int = 200) -> list[dict[str, Any]]:
        return self.console.recent(name, limit)

    async def _spawn(self, running: _Running) -> None:
        service = running.service
        env = {**os.environ, **self.system.env_of(service), "PYTHONUNBUFFERED": "1"}
        running.ready = asyncio.Event()
        running.process = await asyncio.create_subprocess_exec(
            *service.command(),
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,
        )
        running.state, running.started_at, running.health = "starting", time.time(), "unknown"
        self.console.say(f"started {service.name} (pid {running.process.pid}) on {service.url}")
        self._tasks.spawn(
            self._pump(running, running.process.stdout, "stdout"), name=f"{service.name} stdout"
        )
        self._tasks.spawn(
            self._pump(running, running.process.stderr, "stderr"), name=f"{service.name} stderr"
        )
        self._tasks.spawn(self._watch(running, running.process), name=f"watch {service.name}")
        self._tasks.spawn(self._probe(running, running.process), name=f"probe {service.name}")

    async def _pump(self, running: _Running, stream: asyncio.StreamReader | None, name: str) -> None:
        if stream is None:
            return
        while line := await stream.readline():
            self.console.line(running.service.name, line.decode("utf-8", "replace").rstrip(), stream=name)

    async def _watch(self, running: _Running, process: asyncio.subprocess.Process) -> None:
        code = await process.wait()
        if self._stopping:
            return
        lived = time.time() - (running.started_at or time.time())
        if lived > HEALTHY_RESETS_BACKOFF_S:
            running.restarts = 0
        delay = self._backoff_s[min(running.restarts, len(self._backoff_s) - 1)]
        running.restarts += 1
        running.state, running.health = "restarting", "unhealthy"
        running.detail = f"exited with code {code}"
        self.console.say(
            f"{running.service.name} exited with code {code};"
            f" restarting in {delay:g} s (restart {running.restarts})"
        )
        await asyncio.sleep(delay)
        if not self._stopping:
            await self._spawn(running)

    async def _probe(self, running: _Running, process: asyncio.subprocess.Process) -> None:
        """Poll `/ready`: quickly until it first answers, then every few seconds for the dashboard."""
        url = running.service.url + running.service.health
        while process.returncode is None and not self._stopping:
            healthy = False
            with contextlib.suppress(httpx.HTTPError):
                healthy = (await self._http.get(url)).status_code == 200
            running.health = (
                "healthy" if healthy else ("unhealthy" if running.state == "ready" else "unknown")
            )
            if healthy and running.state == "starting":
                running.state, running.detail = "ready", ""
                self.console.say(f"{running.service.name} is ready")
                assert running.ready is not None
                running.ready.set()
            await asyncio.sleep(0.25 if running.state == "starting" else 3.0)

    async def _wait_ready(self, service: Service) -> None:
        running = self._running[service.name]
        deadline = time.monotonic() + service.ready_timeout_s
        while not self._stopping:
            if running.ready is not None and running.ready.is_set() and running.state == "ready":
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{service.name} was not ready after {service.ready_timeout_s:g} s")
            await asyncio.sleep(0.1)

    async def _terminate(self, running: _Running) -> None:
        process = running.process
        if process is None or process.returncode is not None:
            running.state = "stopped"
            return
        running.state = "stopping"
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), self._stop_timeout_s)
        except TimeoutError:
            self.console.say(f"{running.service.name} did not stop in {self._stop_timeout_s:g} s; killing it")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # anything it started, even after it exited
        await process.wait()
        running.state, running.health = "stopped", "unknown"
        self.console.say(f"stopped {running.service.name}")

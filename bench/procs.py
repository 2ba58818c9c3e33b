"""The emulator and the products service as real subprocesses on free loopback ports."""

from __future__ import annotations

import contextlib
import ctypes
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil

__all__ = ["ADMIN_KEY", "ServiceProcess", "free_port", "start_emulator", "start_products"]

ADMIN_KEY = "bench-" + secrets.token_urlsafe(18)
_API_KEY = "bench-" + secrets.token_urlsafe(18)
_ROOT = Path(__file__).resolve().parent.parent
_SCRUB = (
    "AZURE_OPENAI_",
    "ConnectionStrings__",
    "APPLICATIONINSIGHTS_",
    "OTEL_",
    "DATABASE_URL",
    "PRODUCTS_",
    "EMULATOR_",
    "INDEX_",
    "EMBED_",
    "LOG_LEVEL",
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:
    """Linux: the child gets SIGKILL if the bench process dies, so nothing is orphaned."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class ServiceProcess:
    """One `python -m MODULE` child in its own process group, logging to a file."""

    def __init__(self, name: str, module: str, port: int, env: dict[str, str], log_path: Path) -> None:
        self.name, self.port, self.log_path = name, port, log_path
        self.url = f"http://127.0.0.1:{port}"
        clean = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUB)}
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.started_at = time.perf_counter()
        self.popen = subprocess.Popen(
            [sys.executable, "-m", module],
            cwd=_ROOT,
            env={**clean, **env},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        self.process = psutil.Process(self.popen.pid)
        self.ready_s = float("nan")

    def cpu_seconds(self) -> float:
        """User + system CPU of the process and its children so far."""
        try:
            times = self.process.cpu_times()
        except psutil.Error:
            return float("nan")
        return float(times.user + times.system + times.children_user + times.children_system)

    def rss_mb(self) -> float:
        try:
            return float(self.process.memory_info().rss / 2**20)
        except psutil.Error:
            return float("nan")

    def wait_ready(self, timeout_s: float = 600.0) -> float:
        """Seconds from start until GET /ready answers 200."""
        deadline = time.perf_counter() + timeout_s
        with httpx.Client(timeout=5.0) as client:
            while time.perf_counter() < deadline:
                if self.popen.poll() is not None:
                    raise RuntimeError(f"{self.name} exited ({self.popen.returncode}); see {self.log_path}")
                with contextlib.suppress(httpx.HTTPError):
                    if client.get(f"{self.url}/ready").status_code == 200:
                        self.ready_s = time.perf_counter() - self.started_at
                        return self.ready_s
                time.sleep(0.2)
        raise TimeoutError(f"{self.name} not ready after {timeout_s:.0f}s; see {self.log_path}")

    def stop(self, grace_s: float = 180.0) -> None:
        """SIGTERM (uvicorn shuts down cleanly, the service flushes its index), then SIGKILL."""
        try:
            if self.popen.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.popen.pid, signal.SIGTERM)
                try:
                    self.popen.wait(grace_s)
                except subprocess.TimeoutExpired:
                    print(f"[bench] {self.name} ignored SIGTERM for {grace_s:.0f}s; killing", file=sys.stderr)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(10)
        finally:
            self._log.close()


def start_emulator(log_dir: Path, extra_env: dict[str, str] | None = None) -> ServiceProcess:
    port = free_port()
    env = {"EMULATOR_HOST": "127.0.0.1", "EMULATOR_PORT": str(port), **(extra_env or {})}
    return ServiceProcess(
        "emulator", "orchestrator.emulators.azure_openai", port, env, log_dir / "emulator.log"
    )


def start_products(
    data_dir: Path, emulator_url: str, extra_env: dict[str, str] | None = None
) -> ServiceProcess:
    port = free_port()
    env = {
        "PRODUCTS_HOST": "127.0.0.1",
        "PRODUCTS_PORT": str(port),
        "PRODUCTS_DATA_DIR": str(data_dir),
        "PRODUCTS_ADMIN_KEY": ADMIN_KEY,
        "AZURE_OPENAI_ENDPOINT": emulator_url,
        "AZURE_OPENAI_API_KEY": _API_KEY,
        **(extra_env or {}),
    }
    return ServiceProcess("products", "products_service", port, env, data_dir / "products.log")

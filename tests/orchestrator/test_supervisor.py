"""The supervisor with stand-in services: start order, readiness, crash restart, clean stop, taken ports."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orchestrator.console import Console
from orchestrator.model import Service, System
from orchestrator.supervisor import PortTaken, Supervisor
from tests.servers import free_port


def _fake(name: str, tmp: Path, *, ready_after_s: float = 0.0, child: bool = False) -> Service:
    env = {
        "FAKE_NAME": name,
        "FAKE_PORT_ENV": f"{name.upper()}_PORT",
        "FAKE_READY_AFTER_S": str(ready_after_s),
        "FAKE_LOG": str(tmp / "log"),
    }
    if child:
        env["FAKE_CHILD_PIDS"] = str(tmp / "children")
    return Service(name, "tests.orchestrator.fake_service", free_port(), f"{name.upper()}_PORT", env=env)


def _events(tmp: Path) -> list[tuple[str, str, int, float]]:
    rows = [line.split() for line in (tmp / "log").read_text().splitlines()]
    return [(r[0], r[1], int(r[2]), float(r[3])) for r in rows]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(")")[1].split()[0] != "Z"


async def test_dependents_start_only_once_what_they_wait_for_is_ready(tmp_path: Path) -> None:
    first = _fake("first", tmp_path, ready_after_s=1.0)
    second = _fake("second", tmp_path).wait_for(first)
    supervisor = Supervisor(System([second, first]), Console(["first", "second"], out=io.StringIO()))
    try:
        await asyncio.wait_for(supervisor.start(), 60)
    finally:
        await supervisor.stop()
    events = _events(tmp_path)
    first_ready = min(t for n, e, _, t in events if (n, e) == ("first", "ready"))
    second_start = min(t for n, e, _, t in events if (n, e) == ("second", "start"))
    assert second_start >= first_ready
    assert [r["state"] for r in supervisor.resources()] == ["stopped", "stopped"]


async def test_a_crashed_service_is_restarted_with_backoff_and_said_so(tmp_path: Path) -> None:
    service = _fake("crashy", tmp_path)
    out = io.StringIO()
    supervisor = Supervisor(System([service]), Console(["crashy"], out=out), backoff_s=(0.2, 0.4))
    try:
        await asyncio.wait_for(supervisor.start(), 60)
        (before,) = supervisor.resources()
        os.kill(before["pid"], signal.SIGKILL)
        deadline = time.monotonic() + 30
        while True:
            (now,) = supervisor.resources()
            if now["restarts"] == 1 and now["state"] == "ready":
                break
            assert time.monotonic() < deadline, now
            await asyncio.sleep(0.1)
        assert now["pid"] != before["pid"]
    finally:
        await supervisor.stop()
    assert "crashy exited with code -9; restarting in 0.2 s (restart 1)" in out.getvalue()


async def test_stop_leaves_no_process_behind(tmp_path: Path) -> None:
    services = [_fake("one", tmp_path, child=True), _fake("two", tmp_path, child=True)]
    supervisor = Supervisor(System(services), Console(["one", "two"], out=io.StringIO()))
    try:
        await asyncio.wait_for(supervisor.start(), 60)
        pids = [r["pid"] for r in supervisor.resources()]
        children = [int(p) for p in (tmp_path / "children").read_text().split()]
        assert all(_alive(p) for p in pids + children)
    finally:
        await supervisor.stop()
    assert not any(_alive(p) for p in pids + children)


def test_a_taken_port_is_named_with_its_service() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with pytest.raises(
            PortTaken, match=f"port {port} on 127.0.0.1 is already in use, so products cannot start"
        ):
            Supervisor.check_ports({"store": ("127.0.0.1", free_port()), "products": ("127.0.0.1", port)})


def test_up_refuses_to_start_anything_when_a_port_is_taken(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        env = {
            **os.environ,
            "STORE_PORT": str(taken),
            "PRODUCTS_PORT": str(free_port()),
            "EMULATOR_PORT": str(free_port()),
            "DASHBOARD_PORT": str(free_port()),
            "PRODUCTS_DATA_DIR": str(tmp_path),
            "PRODUCTS_ADMIN_KEY": "a-test-admin-key-123",
        }
        done = subprocess.run(
            [sys.executable, "-m", "orchestrator", "up"], env=env, capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 1
    assert f"port {taken} on 127.0.0.1 is already in use, so store cannot start" in done.stdout
    assert "started" not in done.stdout

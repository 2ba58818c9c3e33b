"""`python -m orchestrator up` runs the whole store; `python -m orchestrator status` shows each service."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import signal
import sys
import threading
from pathlib import Path

import httpx
import uvicorn

from orchestrator.apphost import describe
from orchestrator.console import Console
from orchestrator.model import System
from orchestrator.supervisor import PortTaken, Supervisor
from shared.net import bind

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestrator", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("up", help="start every service, wait for each, print the URLs; Ctrl-C stops all")
    commands.add_parser("status", help="each service's state and URL (asks the running orchestrator)")
    args = parser.parse_args(argv)
    if args.command == "status":
        return status()
    try:
        return asyncio.run(up())
    except KeyboardInterrupt:
        return 130


def _dashboard_address() -> tuple[str, int]:
    return os.environ.get("DASHBOARD_HOST", "127.0.0.1"), int(os.environ.get("DASHBOARD_PORT", "18888"))


def _admin_key(data_dir: Path, console: Console) -> str:
    """PRODUCTS_ADMIN_KEY, or the one kept in the data folder, or a new one printed this once."""
    given = os.environ.get("PRODUCTS_ADMIN_KEY")
    if given:
        return given
    path = data_dir / "staff.key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(24)
    path.touch(mode=0o600)
    path.write_text(key)
    console.say(f"staff key for catalog writes (X-Staff-Key): {key}  (kept in {path}; shown only this once)")
    return key


async def up() -> int:
    data_dir = Path(os.environ.get("PRODUCTS_DATA_DIR", "data"))
    host, port = _dashboard_address()
    dashboard_url = f"http://{host}:{port}"
    console = Console(["emulator", "products", "store", "dashboard"])
    system = describe(
        os.environ, data_dir=data_dir, admin_key=_admin_key(data_dir, console), dashboard_url=dashboard_url
    )
    supervisor = Supervisor(system, console)
    try:
        Supervisor.check_ports(
            {"the dashboard": (host, port)} | {s.name: (s.host, s.port) for s in system.services}
        )
    except PortTaken as exc:
        console.say(str(exc))
        return 1
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    dashboard = _start_dashboard(supervisor, host, port)
    starting = asyncio.create_task(supervisor.start())
    stopped = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({starting, stopped}, return_when=asyncio.FIRST_COMPLETED)
        if starting.done() and starting.exception() is None:
            _print_urls(console, system, dashboard_url)
            await stopped
        elif starting.done():
            console.say(f"start-up failed: {starting.exception()}")
            return 1
        return 0
    finally:
        console.say("stopping everything")
        starting.cancel()
        stopped.cancel()
        await supervisor.stop()
        dashboard.should_exit = True
        console.say("all stopped")


def _print_urls(console: Console, system: System, dashboard_url: str) -> None:
    console.say("the store is ready:")
    for service in reversed(system.services):  # the store page first, what it builds on after
        for label, path in service.links.items():
            console.say(f"  {label:<18} {service.url}{path}")
    console.say(f"  {'Ops dashboard':<18} {dashboard_url}/")
    console.say("Ctrl-C stops everything.")


def _start_dashboard(supervisor: Supervisor, host: str, port: int) -> uvicorn.Server:
    """The dashboard on its own thread and event loop, so the supervisor's signals stay its own."""
    from orchestrator.dashboard.app import create_app as create_dashboard

    app = create_dashboard(resources=supervisor)
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, access_log=False, log_level="warning"))
    sock = bind(host, port)
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="dashboard", daemon=True).start()
    return server


def status() -> int:
    host, port = _dashboard_address()
    try:
        answer = httpx.get(f"http://{host}:{port}/api/resources", timeout=3.0)
        answer.raise_for_status()
    except httpx.HTTPError:
        print(f"the orchestrator is not running (nothing answers at http://{host}:{port})", file=sys.stderr)
        return 1
    body = answer.json()
    rows = body["resources"] if isinstance(body, dict) else body
    print(f"{'service':<10} {'state':<11} {'health':<10} {'pid':>7} {'uptime':>9} {'restarts':>8}  url")
    for r in rows:
        uptime = f"{r.get('uptime_s') or 0:.0f}s"
        pid = r.get("pid") or "-"
        print(
            f"{r['name']:<10} {r['state']:<11} {r['health']:<10} {pid!s:>7} {uptime:>9}"
            f" {r['restarts']:>8}  {r['url']}"
        )
    return 0


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError):
        sys.exit(main())

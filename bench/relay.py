"""`python -m bench.relay`: store_realtime's `/realtime` relay measured with the shared relay load harness.

The harness (/work/shared/bench: upstream.py, load.py, README.md; not part of this repo, called by path)
is the yardstick other relays were measured with. This starts its fake upstream and store_realtime as
subprocesses on free loopback ports, the relay pointed at the upstream as at an Azure endpoint, and first
checks the path the relay connects with (recorded by a stand-in upstream on the same port before the
harness takes it over) is one the harness upstream accepts, and that a delta comes through the relay with
its `event_id` (the upstream's send time) unchanged. Then, per session count, load.py runs straight at the
upstream (the floor: the load generator and the upstream on this machine) and through the relay,
interleaved, `--repeats` times each; the medians of those runs are reported: time-in-relay p50/p99, the
milliseconds the relay adds, deltas received against expected (audio keeping up with real time) and the
relay's CPU per relayed event, as load.py counts it (whole run, connects included) and in steady state
(a window late in the run, from this process's /proc samples). Latency verdicts are withheld when the
straight run itself fell behind: then the box was too busy to tell the relay's share.

`--variants` then runs candidate changes (bench/relay_child.py) as relays of their own beside an unchanged
one, all under load at the same time, and reports each one's CPU per event against the unchanged one's;
`--profile` (or BENCH_RELAY_PROFILE=1) profiles a relay in steady state and attributes its CPU to
functions. Markdown on stdout, JSON in bench/results/relay.json. About 4.5 minutes with the defaults
(3 × 12 s per run kind and size: a median of three sets aside one run spoiled by a busy neighbour);
`--variants` adds about 1.5 minutes, `--profile` half a minute.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

import httpx
import psutil
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from bench.procs import free_port
from bench.relay_child import OUT_ENV, VARIANT_ENV, VARIANTS
from bench.relay_report import markdown, profile_summary, summarize, variants_summary
from bench.report import machine, write_json

__all__ = ["DEFAULT_HARNESS", "DEFAULT_VARIANTS", "main"]

DEFAULT_VARIANTS = ("otel-skips-realtime", "outside-middleware", "outside-middleware+asgi-direct")

DEFAULT_HARNESS = Path("/work/shared/bench")
_ROOT = Path(__file__).resolve().parent.parent
_SCRUB = (
    "AZURE_OPENAI_",
    "ConnectionStrings__",
    "APPLICATIONINSIGHTS_",
    "OTEL_",
    "STORE_",
    "PRODUCTS_",
    "AI_",
    "LOG_LEVEL",
    OUT_ENV,
    VARIANT_ENV,
)
_API_KEY = "bench-key"
_SAMPLE_S = 0.25
_PAUSE_S = 1.0
_CLK_TCK = os.sysconf("SC_CLK_TCK")


def _log(message: str) -> None:
    print(f"[bench.relay {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.relay",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--sessions", type=int, nargs="*", default=None, help="default 50 100 200; none: skip those runs"
    )
    parser.add_argument("--seconds", type=float, default=12.0, help="length of each load run")
    parser.add_argument("--repeats", type=int, default=3, help="straight and relay runs per session count")
    parser.add_argument(
        "--harness", type=Path, default=Path(os.environ.get("RELAY_HARNESS", DEFAULT_HARNESS))
    )
    parser.add_argument("--out", type=Path, default=Path("bench/results/relay.json"))
    parser.add_argument(
        "--profile",
        action="store_true",
        default=os.environ.get("BENCH_RELAY_PROFILE", "") not in ("", "0"),
        help="afterwards, profile the relay in steady state (also BENCH_RELAY_PROFILE=1)",
    )
    parser.add_argument("--profile-sessions", type=int, default=50)
    parser.add_argument("--profile-seconds", type=float, default=20.0)
    parser.add_argument(
        "--variants",
        nargs="*",
        default=None,
        help="afterwards, A/B the relay's CPU against candidate changes run side by side "
        f"(bench.relay_child; default: {' '.join(DEFAULT_VARIANTS)})",
    )
    parser.add_argument("--variant-sessions", type=int, default=50, help="sessions per relay in the A/B")
    parser.add_argument("--variant-rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="smoke run: 10 and 20 sessions, 4 s, once")
    args = parser.parse_args(argv)
    if args.quick:
        args.sessions = [10, 20] if args.sessions is None else args.sessions
        args.seconds, args.repeats = 4.0, 1
        args.profile_sessions, args.profile_seconds = 20, 12.0
        args.variant_sessions, args.variant_rounds = 10, 1
    if args.sessions is None:
        args.sessions = [50, 100, 200]
    if args.variants is not None and not args.variants:
        args.variants = list(DEFAULT_VARIANTS)
    unknown = {part for name in args.variants or [] for part in name.split("+")} - set(VARIANTS)
    if unknown:
        parser.error(f"unknown variant(s) {', '.join(sorted(unknown))}; known: {', '.join(VARIANTS)}")
    return args


def _harness(directory: Path) -> tuple[Path, Path]:
    upstream, load = directory / "upstream.py", directory / "load.py"
    missing = [p for p in (upstream, load) if not p.is_file()]
    if missing:
        raise SystemExit(
            f"bench.relay needs the shared relay load harness (upstream.py and load.py) in {directory}, "
            f"but {', '.join(str(p) for p in missing)} is missing. Point --harness (or RELAY_HARNESS) at it."
        )
    return upstream, load


def _proc_cpu_s(pid: int) -> float:
    """User + system CPU seconds of one process, read as load.py reads it."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / _CLK_TCK


def _proc_cpu_precise_s(pid: int) -> float:
    """CPU seconds of a process's live threads, from /proc/PID/task/*/schedstat (ns).

    /proc/PID/stat's 10 ms ticks are too coarse for a few seconds of a few sessions; they are the fallback.
    """
    total = 0
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(FileNotFoundError):
                total += int((task / "schedstat").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return _proc_cpu_s(pid)
    return total / 1e9


def _die_with_parent() -> None:
    """Linux: the child gets SIGKILL if the bench dies, so no relay or upstream is left behind."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class _Child:
    """One subprocess with a scrubbed environment, logging to a file."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        clean = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUB)}
        self.popen = subprocess.Popen(
            argv,
            cwd=_ROOT,
            env={**clean, **env},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        self.pid = self.popen.pid

    def cpu_s(self) -> float:
        return _proc_cpu_precise_s(self.pid)

    def check(self) -> None:
        if self.popen.poll() is not None:
            raise RuntimeError(f"{self.name} exited ({self.popen.returncode}); see {self.log_path}")

    def send(self, signum: int) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signum)

    def stop(self, signum: int = signal.SIGTERM, grace_s: float = 10.0) -> None:
        try:
            self.send(signum)
            try:
                self.popen.wait(grace_s)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(5)
        finally:
            self._log.close()


def _wait_upstream(url: str, child: _Child, timeout_s: float = 15.0) -> list[dict[str, Any]]:
    """The first events (up to a delta) of a connection straight to the harness upstream, once it listens."""
    deadline = time.monotonic() + timeout_s
    while True:
        child.check()
        try:
            return asyncio.run(_first_events(url, "response.audio.delta", {"api-key": _API_KEY}, 10.0))
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.1)


def _wait_health(url: str, child: _Child, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    with httpx.Client(timeout=2.0) as client:
        while time.monotonic() < deadline:
            child.check()
            with contextlib.suppress(httpx.HTTPError):
                if client.get(f"{url}/health").status_code == 200:
                    return
            time.sleep(0.2)
    raise TimeoutError(f"{child.name} not healthy after {timeout_s:.0f}s; see {child.log_path}")


class _PathRecorder:
    """A stand-in upstream that records the request path and auth headers the relay connects with."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.requests: list[dict[str, Any]] = []
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._done: asyncio.Future[None] | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._serve()), daemon=True)

    async def _handle(self, ws: ServerConnection) -> None:
        headers = ws.request.headers if ws.request is not None else {}
        path = ws.request.path if ws.request is not None else ""
        self.requests.append(
            {"path": path, "auth_headers": [h for h in ("api-key", "authorization") if h in headers]}
        )
        created = {"type": "session.created", "event_id": "event_probe", "session": {"id": "sess_probe"}}
        await ws.send(json.dumps(created))
        with contextlib.suppress(ConnectionClosed):
            async for _ in ws:
                pass

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._done = self._loop.create_future()
        async with serve(self._handle, "127.0.0.1", self.port, compression=None):
            self._ready.set()
            await self._done

    def __enter__(self) -> _PathRecorder:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the path recorder did not start")
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._loop is not None and self._done is not None:
            self._loop.call_soon_threadsafe(self._done.set_result, None)
        self._thread.join(10)


async def _first_events(
    url: str, until: str, headers: dict[str, str], timeout_s: float
) -> list[dict[str, Any]]:
    """Events from one fresh connection to `url`, up to and including the first of type `until`."""
    seen: list[dict[str, Any]] = []
    async with (
        asyncio.timeout(timeout_s),
        connect(url, additional_headers=headers, max_size=None, compression=None) as ws,
    ):
        while not seen or seen[-1].get("type") != until:
            seen.append(json.loads(await ws.recv()))
            if seen[-1].get("type") == "error":
                raise RuntimeError(f"error event from {url}: {seen[-1]}")
    return seen


def _check_delta(events: list[dict[str, Any]], where: str) -> str:
    delta = events[-1]
    event_id = str(delta.get("event_id", ""))
    if not (event_id.startswith("event_") and event_id[6:].isdigit()):
        raise RuntimeError(f"{where}: the delta's event_id {event_id!r} does not carry a send time")
    return event_id


class _Sampler:
    """CPU seconds of the relay and the upstream, sampled every 250 ms while a load run lasts."""

    def __init__(self, relay: _Child, upstream: _Child) -> None:
        self.samples: list[tuple[float, float, float]] = []
        self._relay, self._upstream = relay, upstream
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while True:
            self.samples.append((time.monotonic(), self._relay.cpu_s(), self._upstream.cpu_s()))
            if self._stop.wait(_SAMPLE_S):
                self.samples.append((time.monotonic(), self._relay.cpu_s(), self._upstream.cpu_s()))
                return

    def __enter__(self) -> _Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(5)

    def window(self, seconds: float) -> tuple[float, float, float]:
        """(seconds, relay CPU s, upstream CPU s) over a window late in the run, clear of connects and closes.

        load.py's clients close when the run ends, so the window ends a second before the last sample.
        """
        end_t = self.samples[-1][0] - 1.0
        start_t = end_t - max(2.0, seconds / 2)
        first = min(self.samples, key=lambda s: abs(s[0] - start_t))
        last = min(self.samples, key=lambda s: abs(s[0] - end_t))
        return last[0] - first[0], last[1] - first[1], last[2] - first[2]


def _system_busy_s() -> float:
    t = psutil.cpu_times()
    return float(t.user + t.nice + t.system + getattr(t, "irq", 0.0) + getattr(t, "softirq", 0.0))


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run_load(
    load_py: Path, url: str, sessions: int, seconds: float, watched: _Child, relay: _Child, upstream: _Child
) -> dict[str, Any]:
    """One load.py run: its JSON, plus this process's CPU accounting of relay, upstream and load generator."""
    relay.check()
    upstream.check()
    argv = [sys.executable, str(load_py), url, str(sessions), f"{seconds:g}", str(watched.pid)]
    busy0, loader0, started = _system_busy_s(), _children_cpu_s(), time.monotonic()
    with _Sampler(relay, upstream) as sampler:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 120, cwd=_ROOT)
    wall = time.monotonic() - started
    busy, loader = _system_busy_s() - busy0, _children_cpu_s() - loader0
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"load.py failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    first, last = sampler.samples[0], sampler.samples[-1]
    relay_s, upstream_s = last[1] - first[1], last[2] - first[2]
    ratio = result["deltas_received"] / max(1.0, result["deltas_expected"])
    window_s, window_relay_s, window_upstream_s = sampler.window(seconds)
    events = sessions * 10 * (1 + ratio) * window_s  # appends up at 10/s, deltas down at 10/s × kept up

    def per_event(cpu_s: float) -> float | None:
        return round(cpu_s * 1e6 / events, 1) if events > 0 else None

    relay_cores = window_relay_s / window_s if window_s > 0 else float("nan")
    result.update(
        {
            "url": url,
            "wall_s": round(wall, 2),
            "keep_up_ratio": round(ratio, 4),
            "cpu_s": {"relay": relay_s, "upstream": upstream_s, "loadgen": loader},
            "other_processes_cores": round(max(0.0, busy - relay_s - upstream_s - loader) / wall, 2),
            "steady": {
                "window_s": round(window_s, 2),
                "relay_cores": round(relay_cores, 3),
                "relay_us_per_event": per_event(window_relay_s),
                "upstream_us_per_event": per_event(window_upstream_s),
            },
            # The relay's CPU beyond its steady rate over the run: connecting, configuring and closing.
            "relay_setup_cpu_ms_per_session": round((relay_s - relay_cores * seconds) * 1e3 / sessions, 2),
        }
    )
    return result


def _describe(kind: str, r: dict[str, Any]) -> str:
    return (
        f"{kind:8} {r['sessions']:4d} sessions: p50 {r['p50_ms']:.2f} / p99 {r['p99_ms']:.2f} ms, "
        f"deltas {r['deltas_received']}/{r['deltas_expected']:.0f}, errors {r['errors']}, "
        f"load.py CPU/event {r['cpu_ms_per_1k_events']} µs, steady relay {r['steady']['relay_us_per_event']} "
        f"upstream {r['steady']['upstream_us_per_event']} µs, relay cores {r['steady']['relay_cores']}, "
        f"other processes {r['other_processes_cores']} cores"
    )


def _relay_env(upstream_port: int, relay_port: int) -> dict[str, str]:
    return {
        "AZURE_OPENAI_ENDPOINT": f"http://127.0.0.1:{upstream_port}",
        "AZURE_OPENAI_API_KEY": _API_KEY,
        "STORE_HOST": "127.0.0.1",
        "STORE_PORT": str(relay_port),
        "STORE_MAX_SESSIONS": "1000",
        "STORE_REALTIME_PROTOCOL": "preview",
        "PRODUCTS_URL": "http://127.0.0.1:9",  # tools are not exercised; nothing listens there
        "LOG_LEVEL": "WARNING",
    }


def _start_relay(name: str, module: str, env: dict[str, str], logs: Path) -> tuple[_Child, str]:
    relay = _Child(name, [sys.executable, "-m", module], env, logs)
    _wait_health(f"http://127.0.0.1:{env['STORE_PORT']}", relay)
    return relay, f"ws://127.0.0.1:{env['STORE_PORT']}/realtime"


def _start_and_verify(upstream_py: Path, logs: Path) -> tuple[_Child, str, _Child, str, dict[str, Any]]:
    """The relay and the harness upstream, after checking the connect path and the event_id pass-through.

    A stand-in upstream holds the upstream's port while one client goes through the relay, recording the
    path the relay (the openai SDK) connects with; the harness upstream then takes the port over.
    """
    upstream_port = free_port()
    env = _relay_env(upstream_port, free_port())
    with _PathRecorder(upstream_port) as recorder:
        relay, relay_url = _start_relay("store_realtime", "store_realtime", env, logs)
        relayed = asyncio.run(_first_events(relay_url, "session.created", {}, 15.0))
        if not recorder.requests:
            raise RuntimeError("the relay answered session.created without connecting upstream")
    request = recorder.requests[0]
    upstream = _Child("upstream", [sys.executable, str(upstream_py), str(upstream_port)], {}, logs)
    direct_url = f"ws://127.0.0.1:{upstream_port}{request['path']}"
    direct = _wait_upstream(direct_url, upstream)
    through = asyncio.run(_first_events(relay_url, "response.audio.delta", {}, 15.0))
    _check_delta(direct, "straight to the upstream")
    event_id = _check_delta(through, "through the relay")
    if len(through[-1].get("delta", "")) != len(direct[-1].get("delta", "")):
        raise RuntimeError("the relayed delta's audio differs in length from the upstream's")
    check = {
        "relay_connect_path": request["path"],
        "relay_auth_headers": request["auth_headers"],
        "probe_saw_session_created": [e.get("type") for e in relayed],
        "upstream_accepts_path": [e.get("type") for e in direct],
        "through_relay": [e.get("type") for e in through],
        "event_id_passed_through": event_id,
        "upstream_url": direct_url,
    }
    return relay, relay_url, upstream, direct_url, check


def _profile(
    args: argparse.Namespace, load_py: Path, upstream: _Child, upstream_port: int, logs: Path
) -> dict[str, Any]:
    """A steady-state cProfile (thread CPU clock) of a relay under `--profile-sessions` sessions.

    One load run: after the connect ramp, a window without the profiler measures the relay's CPU per event
    (the basis the profile's shares are scaled to), then the profiler runs until 2 s before the end.
    """
    out = logs / "relay.prof"
    env = {**_relay_env(upstream_port, free_port()), OUT_ENV: str(out)}
    relay, relay_url = _start_relay("store_realtime-profiled", "bench.relay_child", env, logs)
    marks: dict[str, tuple[float, float]] = {}
    try:
        asyncio.run(_first_events(relay_url, "response.audio.delta", {}, 15.0))
        _run_load(load_py, relay_url, 20, 3.0, relay, relay, upstream)  # warm-up, discarded
        time.sleep(_PAUSE_S)
        ramp = min(4.0, args.profile_seconds / 5)
        plain = max(2.0, (args.profile_seconds - ramp - 2.0) / 3)

        def mark(name: str, signum: int | None) -> None:
            marks[name] = (time.monotonic(), relay.cpu_s())
            if signum is not None:
                relay.send(signum)

        timers = [
            threading.Timer(ramp, mark, ("plain", None)),
            threading.Timer(ramp + plain, mark, ("start", signal.SIGUSR1)),
            threading.Timer(args.profile_seconds - 2.0, mark, ("stop", signal.SIGUSR2)),
        ]
        for timer in timers:
            timer.start()
        run = _run_load(
            load_py, relay_url, args.profile_sessions, args.profile_seconds, relay, relay, upstream
        )
        for timer in timers:
            timer.join()
        deadline = time.monotonic() + 20
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        if not out.exists():
            raise RuntimeError(f"the profiled relay wrote no profile; see {relay.log_path}")
        time.sleep(0.5)  # the dump is written in one go; let it finish
    finally:
        relay.stop()
    rate = args.profile_sessions * 10 * (1 + run["keep_up_ratio"])  # events/s, as in _run_load

    def span(a: str, b: str) -> tuple[float, float]:
        return marks[b][0] - marks[a][0], marks[b][1] - marks[a][1]

    plain_s, plain_cpu = span("plain", "start")
    window_s, window_cpu = span("start", "stop")
    unprofiled_us = plain_cpu * 1e6 / (rate * plain_s)
    summary = profile_summary(out, window_cpu, rate * window_s, round(unprofiled_us, 1))
    summary.update(
        {"sessions": args.profile_sessions, "window_s": round(window_s, 2), "unprofiled_window_s": plain_s}
    )
    summary["run"] = run
    return summary


def _variants(
    args: argparse.Namespace, load_py: Path, upstream: _Child, upstream_port: int, logs: Path
) -> dict[str, Any]:
    """Baseline and each variant as their own relay, loaded at the same time: the same noise for each."""
    names = ["baseline", *args.variants]
    relays: dict[str, tuple[_Child, str]] = {}
    rounds: list[dict[str, dict[str, Any]]] = []
    try:
        for name in names:
            env = {**_relay_env(upstream_port, free_port()), VARIANT_ENV: name}
            relays[name] = _start_relay(f"store_realtime-{name}", "bench.relay_child", env, logs)
        for relay, url in relays.values():
            asyncio.run(_first_events(url, "response.audio.delta", {}, 15.0))
            _run_load(load_py, url, 10, 2.0, relay, relay, upstream)  # warm-up, discarded
        for number in range(args.variant_rounds):
            time.sleep(_PAUSE_S)
            with ThreadPoolExecutor(len(relays)) as pool:
                futures = {
                    name: pool.submit(
                        _run_load, load_py, url, args.variant_sessions, args.seconds, relay, relay, upstream
                    )
                    for name, (relay, url) in relays.items()
                }
                rounds.append({name: future.result() for name, future in futures.items()})
            _log(
                f"A/B round {number + 1}: steady relay µs/event "
                + ", ".join(f"{n} {r['steady']['relay_us_per_event']}" for n, r in rounds[-1].items())
            )
    finally:
        for relay, _url in relays.values():
            relay.stop()
    return variants_summary(rounds, args.variant_sessions, args.seconds)


def _terminate(signum: int, _frame: object) -> NoReturn:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    upstream_py, load_py = _harness(args.harness)
    signal.signal(signal.SIGTERM, _terminate)
    started = time.perf_counter()
    results: dict[str, Any] = {"machine": machine(), "args": {k: str(v) for k, v in vars(args).items()}}
    results["harness"] = str(args.harness)
    logs = Path(tempfile.mkdtemp(prefix="bench-relay-"))
    relay: _Child | None = None
    upstream: _Child | None = None
    try:
        relay, relay_url, upstream, upstream_url, results["connect"] = _start_and_verify(upstream_py, logs)
        _log(
            f"relay connects upstream at {results['connect']['relay_connect_path']}; the harness upstream "
            f"accepts it and event_id passes through the relay (logs in {logs})"
        )
        _run_load(load_py, relay_url, 20, 3.0, relay, relay, upstream)  # warm-up, discarded
        runs: list[dict[str, Any]] = []
        for sessions in args.sessions:
            for repeat in range(args.repeats):
                for kind, url, watched in (("straight", upstream_url, upstream), ("relay", relay_url, relay)):
                    time.sleep(_PAUSE_S)
                    run = _run_load(load_py, url, sessions, args.seconds, watched, relay, upstream)
                    run.update({"kind": kind, "repeat": repeat})
                    runs.append(run)
                    _log(_describe(kind, run))
        results["runs"] = runs
        results["sizes"] = summarize(runs, args.sessions)
        relay.stop()  # the profile and the A/B start relays of their own
        relay = None
        port = urlsplit(upstream_url).port or 0
        if args.variants:
            _log(f"A/B of the relay's CPU: baseline against {', '.join(args.variants)}")
            results["variants"] = _variants(args, load_py, upstream, port, logs)
        if args.profile:
            _log(f"profiling the relay at {args.profile_sessions} sessions")
            results["profile"] = _profile(args, load_py, upstream, port, logs)
    finally:
        for child in (relay, upstream):
            if child is not None:
                child.stop()
    shutil.rmtree(logs, ignore_errors=True)  # kept (and named in the error) when the run fails
    results["wall_s"] = round(time.perf_counter() - started, 1)
    write_json(args.out, results)
    print(markdown(results))
    _log(f"results written to {args.out} after {results['wall_s']:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

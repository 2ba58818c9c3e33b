"""`python -m bench.realtime`: the emulator's realtime voice half over its real WebSocket, and its models.

Starts the emulator as a subprocess, then, as a live client would (100 ms appends paced in real time):
plain spoken answers timed from the client's receipt of `speech_stopped` to the first `response.audio.delta`,
tool-call turns timed to `response.function_call_arguments.done`, at the default `silence_duration_ms` (500)
and at 300; the process's memory with one and two concurrent sessions; then, in-process, Whisper's
real-time factor and Piper's time per sentence. Markdown on stdout, JSON in bench/results/realtime.json.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NoReturn

import psutil

from bench.procs import ServiceProcess, start_emulator
from bench.realtime_models import silence, spoken, stt_bench, tts_bench
from bench.realtime_profile import profile_turns
from bench.realtime_report import markdown, summarize_run
from bench.realtime_ws import TurnTiming, open_session, spoken_turn
from bench.report import machine, write_json

__all__ = ["DEPLOYMENT", "PLAIN", "TOOL_TURNS", "main"]

DEPLOYMENT = "gpt-4o-mini-realtime-preview"
PLAIN = ("hello there", "thank you", "good morning")
TOOL_TURNS = {
    "I need a waterproof jacket for hiking": "search_products",
    "do you have any tents": "search_products",
    "what's in my cart": "view_cart",
}
_LEAD_MS = 400
_EXTRA_TAIL_MS = 500


def _log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.realtime", description=__doc__)
    parser.add_argument("--sessions", type=int, default=5, help="sessions of 3 plain + 3 tool turns (500 ms)")
    parser.add_argument("--sessions-300", type=int, default=3, help="sessions at silence_duration_ms 300")
    parser.add_argument("--repeats", type=int, default=5, help="repeats of each in-process model timing")
    parser.add_argument(
        "--profile-sessions", type=int, default=1, help="in-process profiled sessions (0: none)"
    )
    parser.add_argument(
        "--noise-dbfs",
        type=float,
        default=None,
        help="faint white noise instead of digital silence, e.g. -60",
    )
    parser.add_argument("--out", type=Path, default=Path("bench/results/realtime.json"))
    parser.add_argument("--emulator-env", nargs="*", default=[], help="extra KEY=VALUE for the emulator")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 session each, 2 repeats")
    args = parser.parse_args(argv)
    if args.quick:
        args.sessions, args.sessions_300 = min(args.sessions, 1), min(args.sessions_300, 1)
        args.repeats, args.profile_sessions = min(args.repeats, 2), min(args.profile_sessions, 1)
    args.emulator_env = dict(kv.split("=", 1) for kv in args.emulator_env)
    return args


def _script(session: int) -> list[tuple[str, str]]:
    """A conversation alternating small talk and tool requests, rotated so each session starts elsewhere."""
    tools = list(TOOL_TURNS)
    turns = [pair for i in range(3) for pair in ((PLAIN[i], "plain"), (tools[i], "tool"))]
    shift = 2 * (session % 3)
    return turns[shift:] + turns[:shift]


def _describe(turn: TurnTiming) -> str:
    key = turn.first_audio if turn.kind == "plain" else turn.args_done
    latency = turn.ms(key)
    shown = "-" if latency is None else f"{latency:.0f} ms"
    return (
        f"{turn.kind:5} {turn.utterance!r}: {shown} (transcript +{turn.ms(turn.transcript_at) or 0:.0f} ms"
        f" {turn.transcript!r}; tool {turn.tool}; {turn.status})"
    )


async def _turn(connection: Any, mic: Any, text: str, kind: str, silence_ms: int) -> TurnTiming:
    pcm = spoken(text) + silence(silence_ms + _EXTRA_TAIL_MS)
    turn = await spoken_turn(connection, mic, text, pcm, kind)
    if kind == "tool":
        turn.extra["expected_tool"] = TOOL_TURNS[text]
    await asyncio.sleep(_LEAD_MS / 1000)  # the next utterance's lead silence (the mic sends silence)
    return turn


async def _latency_session(
    emulator: ServiceProcess, number: int, silence_ms: int, noise: float | None
) -> list[TurnTiming]:
    """One session of the script; each turn notes how busy the other processes kept the CPU meanwhile."""
    turns: list[TurnTiming] = []
    before, started = _cpu_s(emulator), time.perf_counter()
    asked = None if silence_ms == 500 else silence_ms  # 500: the default turn_detection, left unset
    async with open_session(emulator.url, DEPLOYMENT, silence_duration_ms=asked, noise_dbfs=noise) as (
        connection,
        mic,
    ):
        await asyncio.sleep(_LEAD_MS / 1000)
        for text, kind in _script(number):
            turns.append(await _turn(connection, mic, text, kind, silence_ms))
            _log(f"silence {silence_ms} ms, session {number + 1}: {_describe(turns[-1])}")
    busy, emulator_s, own_s = (b - a for a, b in zip(before, _cpu_s(emulator), strict=True))
    others = max(0.0, busy - emulator_s - own_s) / (time.perf_counter() - started)
    for turn in turns:
        turn.extra["other_processes_cores_busy"] = others
    return turns


async def _memory(emulator: ServiceProcess, noise: float | None) -> dict[str, Any]:
    """RSS after startup, with one session that has had a spoken turn, and with a second one alongside."""
    memory: dict[str, Any] = {"ready_mb": emulator.rss_mb()}
    text = "I need a waterproof jacket for hiking"
    async with open_session(emulator.url, DEPLOYMENT, noise_dbfs=noise) as (first, first_mic):
        await asyncio.sleep(_LEAD_MS / 1000)
        warm = await _turn(first, first_mic, text, "tool", 500)
        _log(f"memory, first session (warm-up turn): {_describe(warm)}")
        memory["one_session_mb"] = emulator.rss_mb()
        async with open_session(emulator.url, DEPLOYMENT, noise_dbfs=noise) as (second, second_mic):
            await asyncio.sleep(_LEAD_MS / 1000)
            turn = await _turn(second, second_mic, "thank you", "plain", 500)
            _log(f"memory, second session: {_describe(turn)}")
            memory["two_sessions_mb"] = emulator.rss_mb()
            both = await asyncio.gather(
                _turn(first, first_mic, "do you have any tents", "tool", 500),
                _turn(second, second_mic, "what's in my cart", "tool", 500),
            )
            _log(f"memory, both sessions at once: {'; '.join(_describe(t) for t in both)}")
            memory["two_sessions_after_simultaneous_turns_mb"] = emulator.rss_mb()
    await asyncio.sleep(1.0)
    memory["after_close_mb"] = emulator.rss_mb()
    memory["second_session_delta_mb"] = memory["two_sessions_mb"] - memory["one_session_mb"]
    memory["first_session_delta_mb"] = memory["one_session_mb"] - memory["ready_mb"]
    memory["warm_up_turn"] = vars(warm)
    return memory


def _peak_rss_mb(emulator: ServiceProcess) -> float:
    try:
        for line in Path(f"/proc/{emulator.popen.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _cpu_s(emulator: ServiceProcess | None) -> tuple[float, float, float]:
    """Busy CPU seconds of the whole machine, of the emulator and of this process."""
    total = psutil.cpu_times()
    busy = total.user + total.nice + total.system + getattr(total, "irq", 0) + getattr(total, "softirq", 0)
    own = psutil.Process(os.getpid()).cpu_times()
    return busy, emulator.cpu_seconds() if emulator else 0.0, own.user + own.system


async def _over_the_socket(emulator: ServiceProcess, args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {"memory": await _memory(emulator, args.noise_dbfs)}
    _log(f"memory: { ({k: v for k, v in results['memory'].items() if k.endswith('_mb')}) }")
    # The two settings' sessions alternate, so both meet the same (shared, noisy) machine.
    plan = [(500, n) for n in range(args.sessions)]
    for slot, number in enumerate(range(args.sessions_300)):
        plan.insert(min(2 * slot + 1, len(plan)), (300, number))
    turns: dict[int, list[TurnTiming]] = {500: [], 300: []}
    before, started = _cpu_s(emulator), time.perf_counter()
    session_rss = []
    for silence_ms, number in plan:
        turns[silence_ms] += await _latency_session(emulator, number, silence_ms, args.noise_dbfs)
        session_rss.append(emulator.rss_mb())
    wall = time.perf_counter() - started
    busy, emulator_s, own_s = (b - a for a, b in zip(before, _cpu_s(emulator), strict=True))
    runs: dict[str, Any] = {}
    for silence_ms, done in turns.items():
        if done:
            runs[str(silence_ms)] = {**summarize_run(done), "turns": [vars(t) for t in done]}
    results["latency_phase"] = {
        "wall_s": wall,
        "emulator_cores_busy": emulator_s / wall,
        "bench_client_cores_busy": own_s / wall,
        "other_processes_cores_busy": max(0.0, busy - emulator_s - own_s) / wall,
        "rss_mb_after_each_session": session_rss,
    }
    results["runs"] = runs
    results["memory"]["end_of_run_mb"] = emulator.rss_mb()
    results["memory"]["peak_mb"] = _peak_rss_mb(emulator)
    return results


def _terminate(signum: int, _frame: object) -> NoReturn:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    started = time.perf_counter()
    results: dict[str, Any] = {"machine": machine(), "args": vars(args)}
    workdir = Path(tempfile.mkdtemp(prefix="bench-realtime-"))
    env = {"AI_RealtimeDeploymentName": DEPLOYMENT, **args.emulator_env}
    emulator = start_emulator(workdir, env)
    try:
        _log(f"emulator starting on {emulator.url}; making the utterances with Piper meanwhile")
        for text in (*PLAIN, *TOOL_TURNS):
            spoken(text)
        results["emulator_ready_s"] = emulator.wait_ready()
        _log(f"emulator ready in {results['emulator_ready_s']:.1f}s (log {emulator.log_path})")
        results.update(asyncio.run(_over_the_socket(emulator, args)))
    finally:
        emulator.stop()
    _log("timing Whisper and Piper in-process (emulator stopped)")
    before, started_models = _cpu_s(None), time.perf_counter()
    results["stt"] = stt_bench(args.repeats)
    results["tts"] = tts_bench(args.repeats)
    if args.profile_sessions:
        _log("profiling turns inside an in-process session (silence 500 ms)")
        script = [turn for number in range(args.profile_sessions) for turn in _script(number)]
        results["profile"] = profile_turns(script, 500)
    busy, _, own_s = (b - a for a, b in zip(before, _cpu_s(None), strict=True))
    results["in_process_other_cores_busy"] = max(0.0, busy - own_s) / (time.perf_counter() - started_models)
    results["wall_s"] = time.perf_counter() - started
    write_json(args.out, results)
    print(markdown(results))
    _log(f"results written to {args.out} after {results['wall_s']:.0f}s")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

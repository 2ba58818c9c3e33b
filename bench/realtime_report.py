"""Summaries and the Markdown table of `python -m bench.realtime`."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from bench.realtime_ws import TurnTiming

__all__ = ["QUIET_CORES", "TARGETS", "markdown", "summarize_run"]

TARGETS = {"plain_p50_ms": 500.0, "tool_p50_ms": 400.0}
# The machine is shared: turns of sessions during which other processes kept less than this busy.
QUIET_CORES = 0.5
# A transcript that arrives this soon after speech_stopped was (nearly) ready: the speculative run won.
_READY_MS = 30.0


def _stats(values: list[float | None], target: float | None = None) -> dict[str, Any]:
    got = [v for v in values if v is not None and not math.isnan(v)]
    if not got:
        return {"n": 0, "missing": len(values)}
    out: dict[str, Any] = {
        "n": len(got),
        "missing": len(values) - len(got),
        "p50": float(np.percentile(got, 50)),
        "p90": float(np.percentile(got, 90)),
        "max": max(got),
        "min": min(got),
    }
    if target is not None:
        out["target"] = target
        out["meeting_target"] = sum(v <= target for v in got) / len(values)
    return out


def summarize_run(turns: list[TurnTiming]) -> dict[str, Any]:
    """Latency statistics of one run's plain and tool turns, with where the time went (medians)."""
    plain = [t for t in turns if t.kind == "plain"]
    tool = [t for t in turns if t.kind == "tool"]
    every = plain + tool
    quiet = [t for t in every if t.extra.get("other_processes_cores_busy", 0.0) < QUIET_CORES]
    return {
        "quiet": {
            "label": f"sessions while other processes used < {QUIET_CORES} cores",
            "plain": _stats(
                [t.ms(t.first_audio) for t in quiet if t.kind == "plain"], TARGETS["plain_p50_ms"]
            ),
            "tool": _stats([t.ms(t.args_done) for t in quiet if t.kind == "tool"], TARGETS["tool_p50_ms"]),
        },
        "plain": _stats([t.ms(t.first_audio) for t in plain], TARGETS["plain_p50_ms"]),
        "tool": _stats([t.ms(t.args_done) for t in tool], TARGETS["tool_p50_ms"]),
        "plain_correct": sum(t.tool is None and t.first_audio is not None for t in plain),
        "tool_correct": sum(t.tool == t.extra.get("expected_tool") for t in tool),
        "cancelled_or_failed": sum(t.status != "completed" for t in every),
        "breakdown": {
            "speech_stopped_to_transcript": _stats([t.ms(t.transcript_at) for t in every]),
            "transcript_ready_at_stop": sum((t.ms(t.transcript_at) or 1e9) <= _READY_MS for t in every),
            "turns": len(every),
            "plain_transcript_to_first_audio": _stats([t.ms(t.first_audio, t.transcript_at) for t in plain]),
            "tool_transcript_to_args_done": _stats([t.ms(t.args_done, t.transcript_at) for t in tool]),
            "speech_end_sent_to_speech_stopped": _stats(
                [t.ms(t.speech_stopped, t.speech_end_sent) for t in every]
            ),
            "speech_end_sent_to_plain_first_audio": _stats(
                [t.ms(t.first_audio, t.speech_end_sent) for t in plain]
            ),
            "speech_end_sent_to_tool_args_done": _stats([t.ms(t.args_done, t.speech_end_sent) for t in tool]),
            "function_output_to_answer_first_audio": _stats(
                [t.ms(t.answer_first_audio, t.answer_asked) for t in tool]
            ),
        },
        "misheard": sorted(
            {
                f"{t.utterance!r} -> {t.transcript!r}"
                for t in every
                if _norm(t.transcript) != _norm(t.utterance)
            }
        ),
    }


def _norm(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum() or c == " ").strip()


def _f(value: Any, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:,.{digits}f}"


def _row(label: str, s: dict[str, Any]) -> str:
    if not s.get("n"):
        return f"| {label} | 0 | - | - | - | - |"
    share = f"{s['meeting_target']:.0%} ≤ {s['target']:.0f} ms" if "target" in s else ""
    return f"| {label} | {s['n']} | {_f(s['p50'])} | {_f(s['p90'])} | {_f(s['max'])} | {share} |"


def _run_rows(label: str, run: dict[str, Any]) -> list[str]:
    b = run["breakdown"]
    return [
        _row(f"{label}: plain answer, speech_stopped → first audio delta", run["plain"]),
        _row(f"{label}: tool call, speech_stopped → function_call_arguments.done", run["tool"]),
        _row(
            f"{label}: … speech_stopped → transcription completed (all turns)",
            b["speech_stopped_to_transcript"],
        ),
        _row(
            f"{label}: … transcription completed → first audio delta (plain)",
            b["plain_transcript_to_first_audio"],
        ),
        _row(
            f"{label}: … transcription completed → arguments done (tool)", b["tool_transcript_to_args_done"]
        ),
        _row(f"{label}: end of speech (frame sent) → speech_stopped", b["speech_end_sent_to_speech_stopped"]),
        _row(
            f"{label}: end of speech (frame sent) → first audio (plain)",
            b["speech_end_sent_to_plain_first_audio"],
        ),
        _row(
            f"{label}: end of speech (frame sent) → arguments done (tool)",
            b["speech_end_sent_to_tool_args_done"],
        ),
        _row(
            f"{label}: function output sent → answer's first audio",
            b["function_output_to_answer_first_audio"],
        ),
    ]


def _targets(results: dict[str, Any]) -> list[str]:
    out = []
    for label, run in results["runs"].items():
        for kind, key in (("plain", "plain_p50_ms"), ("tool", "tool_p50_ms")):
            s = run[kind]
            if not s.get("n"):
                out.append(f"- silence {label} ms, {kind} p50 ≤ {TARGETS[key]:.0f} ms: no data → **missed**")
                continue
            verdict = "met" if s["p50"] <= TARGETS[key] else "**missed**"
            out.append(
                f"- silence {label} ms, {kind} p50 ≤ {TARGETS[key]:.0f} ms: {_f(s['p50'])} ms"
                f" ({s['meeting_target']:.0%} of turns within) → {verdict}"
            )
        b = run["breakdown"]
        plain_n, tool_n, ready = (
            run["plain"].get("n", 0),
            run["tool"].get("n", 0),
            b["transcript_ready_at_stop"],
        )
        out.append(
            f"  (silence {label} ms: {run['plain_correct']}/{plain_n} plain answered without a tool,"
            f" {run['tool_correct']}/{tool_n} right tool, {run['cancelled_or_failed']} not completed,"
            f" transcript ready at speech_stopped in {ready}/{b['turns']} turns)"
        )
    phase = results["latency_phase"]
    out.append(
        f"  (cores busy during the WebSocket turns: emulator {phase['emulator_cores_busy']:.2f}, bench client"
        f" {phase['bench_client_cores_busy']:.2f}, other processes {phase['other_processes_cores_busy']:.2f}"
        f" of {results['machine']['cores']})"
    )
    m = results["memory"]
    doubled = m["two_sessions_mb"] >= 2 * m["one_session_mb"]
    out.append(
        f"- a second concurrent session does not double memory: +{_f(m['second_session_delta_mb'], 1)} MB on"
        f" {_f(m['one_session_mb'])} MB → {'**missed**' if doubled else 'met'}"
    )
    return out


_PROFILE_COLUMNS = (
    ("whisper_runs", "Whisper runs"),
    ("whisper_started", "Whisper started"),
    ("whisper_run_ms", "Whisper ran (ms)"),
    ("transcript_emitted", "transcript"),
    ("route_ms", "route (ms)"),
    ("first_tts_ms", "first sentence TTS (ms)"),
    ("first_audio_delta", "first audio delta"),
    ("arguments_done", "arguments done"),
)


def _profile_rows(profile: dict[str, Any] | None) -> list[str]:
    if not profile:
        return []
    lines = [
        "",
        f"Inside the session (in-process, silence {profile['silence_duration_ms']} ms, medians; times in ms"
        " from `speech_stopped` being emitted, negative = before it):",
        "",
        "| turns | " + " | ".join(title for _, title in _PROFILE_COLUMNS) + " |",
        "|---|" + "---:|" * len(_PROFILE_COLUMNS),
    ]
    for kind, medians in profile["medians"].items():
        n = sum(t["kind"] == kind for t in profile["turns"])
        cells = " | ".join(_f(medians.get(key)) for key, _ in _PROFILE_COLUMNS)
        lines.append(f"| {kind} (n={n}) | {cells} |")
    return lines


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    mem = results["memory"]
    lines = [
        f"## realtime emulator bench — {m['date']}",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, Python {m['python']}, "
        f"load average at start {m['load_avg_at_start']}, commit {m.get('git', '?')}",
        "",
        "Latencies in ms, measured by the client over the WebSocket (100 ms appends paced in real time).",
        "",
        "| measure | n | p50 | p90 | max | meeting target |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for label, run in results["runs"].items():
        lines += _run_rows(f"silence {label} ms", run)
    for label, run in results["runs"].items():
        quiet = run["quiet"]
        lines.append(_row(f"silence {label} ms, {quiet['label']}: plain", quiet["plain"]))
        lines.append(_row(f"silence {label} ms, {quiet['label']}: tool", quiet["tool"]))
    lines += ["", "| measure | result |", "|---|---|"]
    lines.append(f"| emulator start to /ready | {_f(results['emulator_ready_s'], 1)} s |")
    lines.append(
        f"| emulator RSS: ready / one session / two sessions / both after simultaneous turns / after close |"
        f" {_f(mem['ready_mb'])} / {_f(mem['one_session_mb'])} / {_f(mem['two_sessions_mb'])} /"
        f" {_f(mem['two_sessions_after_simultaneous_turns_mb'])} / {_f(mem['after_close_mb'])} MB |"
    )
    lines.append(
        f"| RSS added by the first session (includes the models' first use) / by the second concurrent one | "
        f"+{_f(mem['first_session_delta_mb'], 1)} / +{_f(mem['second_session_delta_mb'], 1)} MB |"
    )
    lines.append(
        f"| emulator RSS at the end / peak (VmHWM) | {_f(mem['end_of_run_mb'])} / {_f(mem['peak_mb'])} MB |"
    )
    rss = results["latency_phase"]["rss_mb_after_each_session"]
    lines.append(f"| emulator RSS after each latency session (MB) | {' / '.join(_f(x) for x in rss)} |")
    for name, s in results["stt"].items():
        lines.append(
            f"| Whisper tiny.en transcribe, {s['audio_s']:.2f} s utterance ({name}) | median"
            f" {_f(s['median_s'] * 1000)} ms, real-time factor {s['rtf']:.3f} |"
        )
    for name, s in results["tts"].items():
        lines.append(
            f"| Piper synthesize, {name} ({s['words']} words, {s['audio_s']:.2f} s of audio) | median"
            f" {_f(s['median_s'] * 1000)} ms, {s['audio_s_per_s']:.1f} audio s per compute s |"
        )
    lines.append(
        f"| other processes' CPU during the in-process timings below and above |"
        f" {results['in_process_other_cores_busy']:.2f} of {m['cores']} cores |"
    )
    lines += _profile_rows(results.get("profile"))
    lines += ["", "Targets:", *_targets(results)]
    misheard = sorted({x for run in results["runs"].values() for x in run["misheard"]})
    if misheard:
        lines += ["", "Transcripts that differ from the script: " + "; ".join(misheard)]
    return "\n".join(lines)

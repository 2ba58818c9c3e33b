"""Per-turn measurements: latency, a trace span per voice turn, token usage and its cost."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

from opentelemetry import metrics, trace
from opentelemetry.context import Context

from store_realtime.settings import Prices

__all__ = ["Meters", "TurnTracker", "cost_of"]

_MILLION = Decimal(1_000_000)


class Meters:
    """The service's instruments (one set per app)."""

    def __init__(self, meter: metrics.Meter | None = None) -> None:
        meter = meter or metrics.get_meter("store_realtime")
        self.first_audio = meter.create_histogram(
            "store.turn.first_audio",
            unit="ms",
            description="End of speech to the first audio delta (server side)",
        )
        self.first_audio_played = meter.create_histogram(
            "store.turn.first_audio_played",
            unit="ms",
            description="End of speech to the first audio played (page)",
        )
        self.tool_duration = meter.create_histogram(
            "store.tool.duration", unit="ms", description="Tool call time"
        )
        self.tokens = meter.create_counter(
            "store.tokens", unit="{token}", description="Realtime model tokens"
        )
        self.cost = meter.create_counter("store.cost", unit="{currency}", description="Realtime model cost")
        self.sessions = meter.create_up_down_counter(
            "store.sessions.active", description="Open voice sessions"
        )
        self.reconnects = meter.create_counter("store.upstream.reconnects", description="Upstream reconnects")
        self.sessions_started = meter.create_counter(
            "store.sessions.started", description="Voice sessions opened"
        )
        self.session_tokens = meter.create_histogram(
            "store.session.tokens", unit="{token}", description="Tokens used by one voice session"
        )
        self.session_cost = meter.create_histogram(
            "store.session.cost", unit="{currency}", description="Cost of one voice session"
        )


def cost_of(usage: dict[str, Any], prices: Prices) -> Decimal:
    inputs = usage.get("input_token_details") or {}
    outputs = usage.get("output_token_details") or {}
    cached = int(inputs.get("cached_tokens") or 0)
    text_in = max(int(inputs.get("text_tokens") or 0) - cached, 0)
    total = (
        text_in * prices.text_input
        + cached * prices.cached_text_input
        + int(inputs.get("audio_tokens") or 0) * prices.audio_input
        + int(outputs.get("text_tokens") or 0) * prices.text_output
        + int(outputs.get("audio_tokens") or 0) * prices.audio_output
    )
    return total / _MILLION


class TurnTracker:
    """One customer's turns: end of speech → first audio, the turn's span, the session's running cost."""

    def __init__(self, meters: Meters, prices: Prices, *, session_id: str) -> None:
        self._meters = meters
        self._prices = prices
        self._tracer = trace.get_tracer("store_realtime")
        self._session_id = session_id
        self._speech_stopped_at: float | None = None
        self._span: trace.Span | None = None
        self.input_tokens = 0
        self.output_tokens = 0
        self.cost = Decimal(0)

    def speech_stopped(self) -> None:
        self._speech_stopped_at = time.perf_counter()
        self._open_span("speech")

    def response_created(self) -> None:
        self._open_span("text")

    def first_audio(self) -> float | None:
        """ms from end of speech to this first audio delta, once per turn."""
        if self._speech_stopped_at is None:
            return None
        ms = (time.perf_counter() - self._speech_stopped_at) * 1000
        self._speech_stopped_at = None
        self._meters.first_audio.record(ms)
        if self._span is not None:
            self._span.set_attribute("store.first_audio_ms", round(ms, 1))
        return ms

    def context(self) -> Context:
        """The turn's trace context, for the tool calls it makes."""
        return trace.set_span_in_context(self._span) if self._span is not None else Context()

    def response_done(self, usage: dict[str, Any] | None, *, more_to_come: bool) -> dict[str, Any] | None:
        """Account the response's usage; end the turn's span unless a follow-up response is coming."""
        report = None
        if usage:
            spent = cost_of(usage, self._prices)
            self.input_tokens += int(usage.get("input_tokens") or 0)
            self.output_tokens += int(usage.get("output_tokens") or 0)
            self.cost += spent
            self._meters.tokens.add(int(usage.get("input_tokens") or 0), {"direction": "input"})
            self._meters.tokens.add(int(usage.get("output_tokens") or 0), {"direction": "output"})
            self._meters.cost.add(float(spent), {"currency": self._prices.currency})
            report = {
                "usage": usage,
                "cost": {"amount": f"{spent:.6f}", "currency": self._prices.currency},
                "session": {
                    "input_tokens": self.input_tokens,
                    "output_tokens": self.output_tokens,
                    "total_tokens": self.input_tokens + self.output_tokens,
                    "cost": {"amount": f"{self.cost:.6f}", "currency": self._prices.currency},
                },
            }
        if not more_to_come and self._span is not None:
            self._span.end()
            self._span = None
        return report

    def close(self) -> None:
        """The session is over: record its totals and end any open turn."""
        self._meters.session_tokens.record(self.input_tokens + self.output_tokens)
        self._meters.session_cost.record(float(self.cost), {"currency": self._prices.currency})
        if self._span is not None:
            self._span.end()
            self._span = None

    def _open_span(self, started_by: str) -> None:
        if self._span is None:
            # Each turn is its own trace (a session lasts minutes), linked to the session's connection span.
            session = trace.get_current_span().get_span_context()
            self._span = self._tracer.start_span(
                "voice turn",
                context=Context(),
                links=[trace.Link(session)] if session.is_valid else None,
                attributes={"store.session": self._session_id, "store.turn.started_by": started_by},
            )

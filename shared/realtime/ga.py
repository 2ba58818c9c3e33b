"""Beta <-> GA translation of the Realtime protocol: the one import for the emulator and store_realtime.

Both work in beta event names and shapes; these convert at their GA edge. Object shapes (session,
response, items) live in `ga_session`, events and the per-event table in `ga_events`.
"""

from __future__ import annotations

from shared.realtime.ga_events import (
    GA_ONLY_SERVER_EVENTS,
    SAME_SERVER_EVENTS,
    SERVER_RENAMES_TO_GA,
    ServerEventsFromGa,
    ServerEventsToGa,
    client_event_from_ga,
    client_event_to_ga,
)
from shared.realtime.ga_session import (
    format_from_ga,
    format_to_ga,
    item_from_ga,
    item_to_ga,
    response_from_ga,
    response_params_from_ga,
    response_params_to_ga,
    response_to_ga,
    session_from_ga,
    session_to_ga,
    transcription_session_to_ga,
    usage_from_ga,
)

__all__ = [
    "GA_ONLY_SERVER_EVENTS",
    "SAME_SERVER_EVENTS",
    "SERVER_RENAMES_TO_GA",
    "ServerEventsFromGa",
    "ServerEventsToGa",
    "client_event_from_ga",
    "client_event_to_ga",
    "format_from_ga",
    "format_to_ga",
    "item_from_ga",
    "item_to_ga",
    "response_from_ga",
    "response_params_from_ga",
    "response_params_to_ga",
    "response_to_ga",
    "session_from_ga",
    "session_to_ga",
    "transcription_session_to_ga",
    "usage_from_ga",
]

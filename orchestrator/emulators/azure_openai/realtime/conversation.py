"""The conversation: ordered items in their public (beta) shape, plus what the server knows about each."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from shared.realtime.events import ProtocolError, new_id

__all__ = ["Conversation", "Entry", "Segment"]


@dataclass(frozen=True)
class Segment:
    """A stretch of assistant audio and the text it speaks."""

    start_ms: float
    end_ms: float
    text: str


@dataclass
class Entry:
    item: dict[str, Any]
    audio_ms: float = 0.0
    segments: list[Segment] = field(default_factory=list)
    transcript: asyncio.Future[str] | None = None

    @property
    def id(self) -> str:
        item_id: str = self.item["id"]
        return item_id

    @property
    def type(self) -> str:
        kind: str = self.item["type"]
        return kind

    @property
    def role(self) -> str | None:
        return self.item.get("role")

    def text(self) -> str:
        """What the item says: typed text, or the transcript of its audio."""
        if self.type == "function_call_output":
            return str(self.item.get("output", ""))
        parts = self.item.get("content") or []
        return " ".join(p.get("text") or p.get("transcript") or "" for p in parts).strip()


class Conversation:
    def __init__(self) -> None:
        self.id = new_id("conv")
        self._entries: dict[str, Entry] = {}

    def created_event(self) -> dict[str, Any]:
        return {
            "event_id": new_id("event"),
            "type": "conversation.created",
            "conversation": {"id": self.id, "object": "realtime.conversation"},
        }

    def add(self, item: dict[str, Any], *, previous_item_id: str | None = None) -> tuple[Entry, str | None]:
        """Append (or insert after `previous_item_id`); returns the entry and the id of the item before it."""
        item = {"id": item.get("id") or new_id("item"), "object": "realtime.item", **item}
        item.setdefault("status", "completed")
        if item["id"] in self._entries:
            raise ProtocolError(f"Item with id '{item['id']}' already exists.", param="item.id")
        entry = Entry(item)
        ids = list(self._entries)
        if previous_item_id is None or previous_item_id == (ids[-1] if ids else None):
            before = ids[-1] if ids else None
            self._entries[entry.id] = entry
            return entry, before
        if previous_item_id not in self._entries:
            raise ProtocolError(
                f"Previous item with id '{previous_item_id}' does not exist.", param="previous_item_id"
            )
        position = ids.index(previous_item_id) + 1
        entries = list(self._entries.values())
        entries.insert(position, entry)
        self._entries = {e.id: e for e in entries}
        return entry, previous_item_id

    def get(self, item_id: str, *, param: str = "item_id") -> Entry:
        entry = self._entries.get(item_id)
        if entry is None:
            raise ProtocolError(f"Item with item_id '{item_id}' not found.", param=param)
        return entry

    def delete(self, item_id: str) -> None:
        self.get(item_id)
        del self._entries[item_id]

    def entries(self) -> list[Entry]:
        return list(self._entries.values())

    def function_call(self, call_id: str) -> Entry | None:
        for entry in self._entries.values():
            if entry.type == "function_call" and entry.item.get("call_id") == call_id:
                return entry
        return None

    def truncate(self, item_id: str, content_index: int, audio_end_ms: int) -> None:
        """Cut an assistant item's audio at `audio_end_ms`, dropping the transcript no one heard."""
        entry = self.get(item_id)
        content = entry.item.get("content") or []
        if (
            entry.role != "assistant"
            or content_index >= len(content)
            or content[content_index]["type"] != "audio"
        ):
            raise ProtocolError(
                f"Item '{item_id}' has no assistant audio at content_index {content_index}.",
                param="content_index",
            )
        if audio_end_ms > entry.audio_ms + 0.5:
            raise ProtocolError(
                f"Audio content of {entry.audio_ms:.0f}ms is already shorter than {audio_end_ms}ms",
                param="audio_end_ms",
            )
        content[content_index]["transcript"] = _heard(entry.segments, audio_end_ms)
        entry.segments = [s for s in entry.segments if s.start_ms < audio_end_ms]
        entry.audio_ms = float(audio_end_ms)


def _heard(segments: list[Segment], audio_end_ms: float) -> str:
    words: list[str] = []
    for segment in segments:
        if segment.end_ms <= audio_end_ms:
            words.extend(segment.text.split())
            continue
        if segment.start_ms < audio_end_ms:
            spoken = segment.text.split()
            fraction = (audio_end_ms - segment.start_ms) / max(segment.end_ms - segment.start_ms, 1.0)
            words.extend(spoken[: int(len(spoken) * fraction)])
        break
    return " ".join(words)

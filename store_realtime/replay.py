"""The conversation so far, as text, so a new upstream session can be given it after a reconnect."""

from __future__ import annotations

from typing import Any

__all__ = ["ConversationLog"]

_MAX_ENTRIES = 200


class ConversationLog:
    """User and assistant turns and tool results in order, keyed by item id so transcripts can arrive late."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[str, str]] = {}

    def said(self, item_id: str, role: str, text: str) -> None:
        if text:
            self._entries[item_id] = (role, text)
            self._trim()

    def placeholder(self, item_id: str, role: str) -> None:
        """Keep a turn's place in the order before its transcript is known."""
        self._entries.setdefault(item_id, (role, ""))

    def tool_result(self, call_id: str, name: str, arguments: str, output: str) -> None:
        self._entries[call_id] = ("system", f"Result of {name}({arguments}): {output}")
        self._trim()

    def truncated(self, item_id: str, text: str) -> None:
        if item_id in self._entries:
            role, _ = self._entries[item_id]
            self._entries[item_id] = (role, text)

    def items(self) -> list[dict[str, Any]]:
        """`conversation.item.create` items (beta shape) that replay the conversation as text."""
        replay: list[dict[str, Any]] = []
        for role, text in self._entries.values():
            if not text:
                continue
            kind = "text" if role == "assistant" else "input_text"
            replay.append({"type": "message", "role": role, "content": [{"type": kind, "text": text}]})
        return replay

    def _trim(self) -> None:
        while len(self._entries) > _MAX_ENTRIES:
            del self._entries[next(iter(self._entries))]

"""Each service's output in the terminal, prefixed and coloured, and kept (bounded) for the dashboard."""

from __future__ import annotations

import os
import sys
import time
from collections import deque
from typing import Any, TextIO

__all__ = ["Console"]

_COLOURS = ["\033[36m", "\033[35m", "\033[33m", "\033[32m", "\033[34m", "\033[31m"]
_RESET = "\033[0m"
_KEEP = 500


class Console:
    def __init__(self, names: list[str], *, out: TextIO | None = None, colour: bool | None = None) -> None:
        self._out = out or sys.stdout
        if colour is None:
            colour = bool(os.environ.get("FORCE_COLOR")) or (
                self._out.isatty() and not os.environ.get("NO_COLOR")
            )
        self._colour = colour
        self._width = max([len(n) for n in names] + [len("orchestrator")])
        self._colours = {name: _COLOURS[i % len(_COLOURS)] for i, name in enumerate(names)}
        self._lines: dict[str, deque[dict[str, Any]]] = {name: deque(maxlen=_KEEP) for name in names}

    def line(self, name: str, text: str, *, stream: str = "stdout") -> None:
        self._lines.setdefault(name, deque(maxlen=_KEEP)).append(
            {"ts": time.time(), "stream": stream, "line": text}
        )
        self._write(name, text)

    def say(self, text: str) -> None:
        """The orchestrator's own messages."""
        self._write("orchestrator", text, bold=True)

    def recent(self, name: str, limit: int) -> list[dict[str, Any]]:
        lines = list(self._lines.get(name, ()))
        return lines[-limit:]

    def _write(self, name: str, text: str, *, bold: bool = False) -> None:
        prefix = f"{name:<{self._width}} │ "
        if self._colour:
            colour = "\033[1m" if bold else self._colours.get(name, "")
            prefix = f"{colour}{prefix}{_RESET}"
        self._out.write(prefix + text + "\n")
        self._out.flush()

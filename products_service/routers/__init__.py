"""One router per resource."""

from typing import Any

__all__ = ["Responses"]

Responses = dict[int | str, dict[str, Any]]

"""Product attributes as readable phrases, and the one-sentence reason given for a pick."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import JsonValue

__all__ = ["Feature", "content_words", "features_of", "format_reason", "render_attribute"]

_UNITS = {
    "mm": "mm", "cm": "cm", "m": "m", "km": "km", "in": "in", "ft": "ft",
    "g": "g", "kg": "kg", "oz": "oz", "lb": "lb", "lbs": "lb",
    "ml": "mL", "l": "L", "c": "°C", "f": "°F", "w": "W", "wh": "Wh", "mah": "mAh", "v": "V",
    "h": "h", "hr": "h", "hours": "h", "min": "min", "s": "s", "kcal": "kcal",
    "pct": "%", "percent": "%", "usd": "USD",
}  # fmt: skip
_NO_SPACE_UNITS = {"%"}
_EXPANSIONS = {
    "temp": "temperature", "qty": "quantity", "num": "number", "dims": "dimensions",
    "max": "maximum",
}  # fmt: skip
_STOPWORDS = frozenset(
    {
        "a", "an", "the", "and", "or", "of", "for", "to", "in", "on", "at", "by", "with", "from",
        "into", "my", "me", "i", "we", "our", "you", "your", "it", "its", "is", "are", "be",
        "need", "needs", "want", "wants", "looking", "look", "something", "some", "that", "this",
        "these", "those", "good", "best", "great", "very", "really", "please", "can", "could",
        "would", "should", "will", "get", "buy", "find", "show", "recommend", "which", "what",
    }
)  # fmt: skip
_MAX_NEED_CHARS = 60


@dataclass(frozen=True)
class Feature:
    """Something a product has that a reason can name: an attribute phrase or a tag."""

    phrase: str
    is_tag: bool = False


def _key_words(key: str) -> list[str]:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", key)
    return [_EXPANSIONS.get(w, w) for w in re.split(r"[\s_\-]+", spaced.lower()) if w]


def _number(value: float) -> str:
    if isinstance(value, int) or value.is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _as_number(value: JsonValue) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value.strip()):
        return float(value) if "." in value else int(value)
    return None


def render_attribute(key: str, value: JsonValue) -> str | None:
    """`waterproof_rating_mm`, 20000 → "20,000 mm waterproof rating"; None when not worth saying."""
    words = _key_words(key)
    if not words or value is None or value is False or isinstance(value, dict):
        return None
    if value is True:
        if words[0] == "has" and len(words) > 1:
            return " ".join(words[1:])
        return " ".join(words[1:] if words[0] == "is" and len(words) > 1 else words) + " design"
    number = _as_number(value)
    if number is not None:
        unit = _UNITS.get(words[-1]) if len(words) > 1 else None
        if unit is None and len(words) > 1 and re.fullmatch(r"\w+[^s]s", words[-1]):
            return f"{' '.join(words[:-1])} of {_number(number)} {words[-1]}"
        if unit is None:
            return f"{_number(number)} {' '.join(words)}"
        sep = "" if unit in _NO_SPACE_UNITS else " "
        return f"{_number(number)}{sep}{unit} {' '.join(words[:-1])}"
    if isinstance(value, list):
        items = [str(v) for v in value if v not in (None, "", False)]
        if not items:
            return None
        text = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    else:
        text = str(value).strip()
    name = " ".join(words)
    if not text:
        return None
    if content_words(name) <= content_words(text):
        return text
    return f"{name} ({text})" if len(text.split()) > 4 else f"{text} {name}"


def features_of(tags: Sequence[str], attributes: dict[str, JsonValue]) -> list[Feature]:
    """The attributes worth naming, then the tags; a tag that repeats an attribute is dropped."""
    rendered = (render_attribute(k, v) for k, v in attributes.items())
    features = [Feature(p) for p in rendered if p]
    seen = {f.phrase.lower() for f in features}
    for tag in tags:
        phrase = re.sub(r"[_\-]+", " ", tag).strip()
        if phrase and phrase.lower() not in seen:
            seen.add(phrase.lower())
            features.append(Feature(phrase, is_tag=True))
    return features


def _stem(word: str) -> str:
    if word.endswith("ss"):
        return word
    for suffix in ("ing", "ed", "es", "s", "y", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> set[str]:
    """Lower-cased, stemmed words that carry meaning (no stop words, no bare numbers)."""
    words = re.findall(r"[a-z][a-z0-9]*", text.lower())
    return {_stem(w) for w in words if w not in _STOPWORDS}


def _quote_need(need: str) -> str:
    text = re.sub(r"[.!?]+(\s+|$)", ", ", " ".join(need.split())).strip(" ,;")
    if len(text) > _MAX_NEED_CHARS:
        text = text[:_MAX_NEED_CHARS].rsplit(" ", 1)[0].rstrip(" ,;") + "…"
    return f"“{text}”"


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def format_reason(need: str, features: Sequence[Feature]) -> str:
    """One sentence naming the features that match the need, or an honest generic one."""
    attributes = [f.phrase for f in features if not f.is_tag]
    tags = [f"“{f.phrase}”" for f in features if f.is_tag]
    parts = attributes.copy()
    if tags:
        parts.append(f"{'its ' if attributes else ''}{_join(tags)} tag{'s' if len(tags) > 1 else ''}")
    if not parts:
        return (
            f"Picked for its overall similarity to {_quote_need(need)}; none of its listed"
            " attributes or tags mention the need directly."
        )
    return f"Suits {_quote_need(need)} thanks to its {_join(parts)}."

"""Spoken numbers and prices: number words to digits, price limits in a request, amounts read aloud."""

from __future__ import annotations

import re
from dataclasses import dataclass

from orchestrator.emulators.azure_openai.realtime.vocab import FUNCTION_WORDS, NUMBER_WORDS

__all__ = ["PriceLimits", "format_price", "numerals", "parse_amount", "price_limits"]

_SCALES = {"hundred": 100, "thousand": 1000}
_NUMBER_WORD = "|".join(sorted([*NUMBER_WORDS, *_SCALES], key=len, reverse=True))
_NUMBER_RUN = re.compile(rf"\b(?:{_NUMBER_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_NUMBER_WORD}))*\b", re.IGNORECASE)
_A_SCALE = re.compile(r"\ban?\s+(?=(?:hundred|thousand)\b)", re.IGNORECASE)

_CURRENCY_WORD = r"dollars?|bucks|usd|euros?|eur|pounds?|gbp|quid"
_AMOUNT = (
    r"(?P<{g}cur>[$€£]\s?)?(?P<{g}num>\d[\d,]*(?:\.\d+)?)(?P<{g}k>k\b)?"
    rf"(?P<{{g}}word>\s*(?:{_CURRENCY_WORD})\b)?"
)
_MAX_BEFORE = (
    r"under|below|less\s+than|cheaper\s+than|no\s+more\s+than|not\s+more\s+than|no\s+higher\s+than|"
    r"at\s+most|at\s+the\s+most|max(?:imum)?(?:\s+of)?|up\s+to|within|tops|"
    r"(?:my\s+|a\s+)?budget(?:\s+is|\s+of)?(?:\s+about|\s+around)?"
)
_MIN_BEFORE = (
    r"over|above|more\s+than|at\s+least|min(?:imum)?(?:\s+of)?|starting\s+at|upwards\s+of|no\s+less\s+than"
)
_MAX_AFTER = r"or\s+less|or\s+under|or\s+cheaper|or\s+below|max(?:imum)?|tops|at\s+most"
_MIN_AFTER = r"or\s+more|and\s+up|and\s+above|or\s+above|plus"
_PRICE = re.compile(
    rf"\b(?:between|from)\s+{_AMOUNT.format(g='a')}\s+(?:and|to|-)\s+{_AMOUNT.format(g='b')}"
    rf"|\b(?P<max>{_MAX_BEFORE})\s+(?:(?:about|around|roughly)\s+)?{_AMOUNT.format(g='c')}"
    rf"|\b(?P<min>{_MIN_BEFORE})\s+{_AMOUNT.format(g='d')}"
    rf"|{_AMOUNT.format(g='e')}\s+(?:(?P<maxafter>{_MAX_AFTER})|(?P<minafter>{_MIN_AFTER}))\b"
    rf"|(?:\b(?:for|around|about|costing|priced\s+at)\s+)?{_AMOUNT.format(g='f')}",
    re.IGNORECASE,
)
_NEXT_WORD = re.compile(r"\s*([a-z']+)?", re.IGNORECASE)


@dataclass(frozen=True)
class PriceLimits:
    """The price bounds a request states, and the character spans that stated them."""

    min_price: float | None = None
    max_price: float | None = None
    spans: tuple[tuple[int, int], ...] = ()


def numerals(text: str) -> str:
    """Number words as digits ("two hundred fifty" → "250", "a hundred" → "100"); a lone "one" stays,
    since "that one" and "the first one" are not numbers."""

    def replace(match: re.Match[str]) -> str:
        run = match.group(0)
        if run.lower() == "one":
            return run
        return str(parse_amount(run))

    return _NUMBER_RUN.sub(replace, _A_SCALE.sub("one ", text))


def parse_amount(words: str) -> int:
    """The value of a run of number words: "twenty-five" → 25, "one hundred and five" → 105."""
    total = current = 0
    for word in re.split(r"[\s-]+", words.lower()):
        if word in NUMBER_WORDS:
            current += NUMBER_WORDS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
    return total + current


def _amount(match: re.Match[str], group: str) -> float | None:
    number = match.group(f"{group}num")
    if number is None:
        return None
    value = float(number.replace(",", ""))
    return value * 1000 if match.group(f"{group}k") else value


def _is_money(match: re.Match[str], group: str, text: str) -> bool:
    """An amount without a currency sign or word counts only when no unit or noun follows it
    ("under 200" is a price, "at least 2 people" and "under 2 kg" are not)."""
    if match.group(f"{group}cur") or match.group(f"{group}word"):
        return True
    following = _NEXT_WORD.match(text, match.end())
    word = following.group(1) if following else None
    return word is None or word.lower() in FUNCTION_WORDS


def price_limits(text: str) -> PriceLimits:
    """Price bounds stated in `text`, which should already have gone through `numerals`.

    A bare amount with a currency ("a tent for $150") is read as a budget, so as a maximum."""
    low: float | None = None
    high: float | None = None
    spans: list[tuple[int, int]] = []
    for match in _PRICE.finditer(text):
        if match.group("anum") is not None:
            if not (_is_money(match, "a", text) or _is_money(match, "b", text)):
                continue
            low, high = _amount(match, "a"), _amount(match, "b")
        elif match.group("cnum") is not None and _is_money(match, "c", text):
            high = _amount(match, "c")
        elif match.group("dnum") is not None and _is_money(match, "d", text):
            low = _amount(match, "d")
        elif match.group("enum") is not None and _is_money(match, "e", text):
            if match.group("maxafter"):
                high = _amount(match, "e")
            else:
                low = _amount(match, "e")
        elif match.group("fnum") is not None and (match.group("fcur") or match.group("fword")):
            high = _amount(match, "f")
        else:
            continue
        spans.append(match.span())
    if low is not None and high is not None and low > high:
        low, high = high, low
    return PriceLimits(low, high, tuple(spans))


_CURRENCY_NAMES = {"USD": "dollars", "EUR": "euros", "GBP": "pounds"}


def format_price(amount: float, currency: str | None = None) -> str:
    """How a price is written for speech: "$129.99", "129.99 euros", "129.99 CAD"."""
    code = (currency or "USD").strip().upper()
    number = f"{amount:,.2f}"
    if code in ("USD", "$"):
        return f"${number}"
    if code in _CURRENCY_NAMES:
        return f"{number} {_CURRENCY_NAMES[code]}"
    return f"{number} {code}"

"""Reading one request: what is asked for (the query), how many, and which product it points back to."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

from orchestrator.emulators.azure_openai.realtime.specs import ProductRef, RouterContext, ToolSpec
from orchestrator.emulators.azure_openai.realtime.vocab import (
    FUNCTION_WORDS,
    content_words,
    identifier_words,
    normalize,
    stem,
    tokens,
    wordset,
)

__all__ = [
    "GREETING_PREFIX",
    "clean_query",
    "find_product",
    "find_quantity",
    "resolve_product",
    "strip_spans",
]

GREETING_PREFIX = re.compile(
    r"^(?:(?:hi|hello|hey|hiya|howdy|greetings|good\s+(?:morning|afternoon|evening|day))(?:\s+there|\s+again)?"
    r"|(?:um+|uh+|er+|so|okay|ok|well|yeah|yes|right|and|also|now|oh|please|thanks|thank\s+you|great|cool))"
    r"\b[\s,.!?;:-]*",
    re.IGNORECASE,
)
_REQUEST_PREFIX = re.compile(
    r"^(?:"
    r"(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:help\s+me\s+)?"
    r"(?:find|show|get|search\s+for|look\s+for|look\s+up|recommend|suggest|tell\s+me\s+about|give)(?:\s+me)?"
    r"|i(?:'m|\s+am)\s+(?:looking|searching|shopping|after)(?:\s+for)?"
    r"|(?:i(?:'d|\s+would)\s+like|i\s+want|i\s+wanna|i\s+need|i\s+'?m\s+after)"
    r"(?:\s+to\s+(?:buy|find|get|see|look\s+at|order))?"
    r"|do\s+you\s+(?:have|sell|carry|stock|guys\s+have)|have\s+you\s+got|got|are\s+there|is\s+there"
    r"|(?:what|which)\s+(?:kinds?|sorts?|types?)\s+of"
    r"|(?:what|which)(?:\s+else)?\s+(?:do\s+you\s+have|have\s+you\s+got|would\s+you\s+(?:recommend|suggest)"
    r"|do\s+you\s+(?:recommend|suggest)|should\s+i\s+(?:get|buy|take|bring|use|wear|pack)|is\s+(?:good|best)"
    r"|are\s+(?:good|best))(?:\s+for)?"
    r"|what(?:'s|\s+is|\s+are)\s+(?:good|best|ideal)\s+for"
    r"|(?:show|find|get|give|recommend|suggest)\s+me|search\s+for|look\s+for|look\s+up|search|find"
    r"|recommend|suggest|help\s+me\s+(?:find|choose|pick)|tell\s+me\s+(?:more\s+)?about"
    r"|any|some|a|an|the|please|just|maybe|really"
    r")\b[\s,]*",
    re.IGNORECASE,
)
_WHICH_NOUN = re.compile(
    r"^(?:what|which)\s+(?!(?:do|does|would|should|is|are|can|could|kind|sort|type|else)\b)([\w-]+)\s+"
    r"(?:is|are|would\s+be|should\s+i\s+\w+|do\s+you\s+(?:have|recommend|suggest))\s+"
    r"(?:(?:good|best|ideal|right)\s+)?",
    re.IGNORECASE,
)
_TRAILER = re.compile(
    r"[\s,]*\b(?:please|thanks|thank\s+you|for\s+me|if\s+you\s+have\s+(?:any|one|them|it)|if\s+possible"
    r"|right\s+now|today|for|with|that|which|costing|priced|that\s+costs?|at|around|about|and|or"
    r"|(?:that\s+|do\s+)?you\s+(?:have|sell|carry|stock|got|'ve\s+got)"
    r"|that\s+(?:is|are)|which\s+(?:is|are))$|[\s,.!?;:]+$",
    re.IGNORECASE,
)
_ORDINALS = {
    "first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3, "fifth": 4,
    "5th": 4, "sixth": 5, "6th": 5, "seventh": 6, "eighth": 7, "ninth": 8, "tenth": 9, "last": -1,
    "final": -1, "latter": -1, "former": 0,
}  # fmt: skip
_ORDINAL = re.compile(
    rf"(?:\b(?:the|that|this|your)\s+)(?P<word>{'|'.join(_ORDINALS)})\b"
    rf"|\b(?P<word2>{'|'.join(_ORDINALS)})\s+(?:one|ones|item|option|product|result|choice|pick)\b"
    r"|\b(?:number|option|item|#)\s*(?P<num>\d+)\b",
    re.IGNORECASE,
)
_PRONOUN = re.compile(
    r"\b(?:it|that\s+one|this\s+one|the\s+one)\b"
    r"|\b(?:that|this)(?=\s*$|\s*[,.!?]|\s+(?:to|into|in|from|out|for|please|one|now|too|as\s+well)\b)",
    re.IGNORECASE,
)
_MEASURES = wordset("""
    person persons people man men season seasons liter liters litre litres l ml degree degrees c f inch inches
    cm mm m meter meters metre metres km mile miles kg g gram grams lb lbs pound pounds oz ounce ounces watt
    watts w lumen lumens mah volt volts v hour hours hr hrs minute minutes min mins second seconds sec secs
    day days week weeks month months year years star stars percent x d k gb tb mp dollars dollar bucks euros
    """)
_NUMBER = re.compile(
    r"(?<![\w$€£#-])(?<!\d[.,])(\d{1,3})(?![\w%-]|[.,]\d)|\b(?P<couple>a\s+couple)(?:\s+of)?\b|\bone\b",
    re.IGNORECASE,
)
_INDEFINITE = wordset("a an any some another other more similar different cheaper")
_NOT_COUNT_BEFORE = wordset(
    "that this the which first second third last other another each any every no a one number option item "
    "model version size"
)


def strip_spans(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """`text` with these character spans blanked out (with spaces, so other spans stay valid)."""
    for start, end in spans:
        text = f"{text[:start]}{' ' * (end - start)}{text[end:]}"
    return text


def clean_query(text: str) -> str | None:
    """What the customer asks for: `text` without greetings, request phrases, trailing politeness or
    leading articles ("Hi, I'm looking for a tent please" → "tent")."""
    query = " ".join(text.replace("’", "'").split())
    previous = None
    while previous != query:
        previous = query
        query = GREETING_PREFIX.sub("", query, count=1)
        query = _WHICH_NOUN.sub(r"\1 ", query, count=1)
        query = _REQUEST_PREFIX.sub("", query, count=1)
        query = _TRAILER.sub("", query, count=1)
        query = query.strip(" ,.!?;:-")
    return query or None


def find_quantity(text: str, names: list[str]) -> tuple[int | None, tuple[int, int] | None]:
    """How many items `text` asks for, and where it said so. "a pair of" is not read as two: it names a
    product ("a pair of boots"); "two pairs of" is two. Numbers inside a known product name do not count."""
    name_numbers = {t for name in names for t in tokens(name) if t.isdigit()}
    for match in _NUMBER.finditer(text):
        if match.group("couple"):
            return 2, match.span()
        before = tokens(text[: match.start()])[-1:]
        after = re.match(r"\s*([\w']+)?", text[match.end() :])
        next_word = (after.group(1) or "").lower() if after else ""
        if next_word in _MEASURES or (before and before[0] in _NOT_COUNT_BEFORE):
            continue
        if match.group(1) is not None:
            if match.group(1) in name_numbers or int(match.group(1)) == 0:
                continue
            return int(match.group(1)), match.span()
        return 1, match.span()
    return None, None


def resolve_product(text: str, context: RouterContext | None) -> ProductRef | None:
    """The product `text` points to: an ordinal into the last list, a name, or a pronoun."""
    found = find_product(text, context)
    return found[0] if found else None


def find_product(text: str, context: RouterContext | None) -> tuple[ProductRef, tuple[int, int]] | None:
    """The product `text` points to, and the span that pointed (with its leading determiner)."""
    if context is None:
        return None
    if context.products and (match := _ORDINAL.search(text)):
        word = (match.group("word") or match.group("word2") or "").lower()
        index = _ORDINALS[word] if word else int(match.group("num")) - 1
        if -len(context.products) <= index < len(context.products):
            return context.products[index], _with_determiner(text, match.span())
    if named := _by_name(text, context.candidates()):
        return named
    if (match := _PRONOUN.search(text)) and (context.focus or context.products):
        return context.focus or context.products[0], _with_determiner(text, match.span())
    return None


def _with_determiner(text: str, span: tuple[int, int]) -> tuple[int, int]:
    before = re.search(r"\b(?:the|this|that|your|my)\s+$", text[: span[0]], re.IGNORECASE)
    return (before.start() if before else span[0], span[1])


def _name_words(name: str) -> set[str]:
    return {stem(t) for t in tokens(name) if t not in FUNCTION_WORDS and len(t) > 1}


def _by_name(text: str, candidates: list[ProductRef]) -> tuple[ProductRef, tuple[int, int]] | None:
    """The candidate whose distinctive name words the text shares most (rarer words weigh more). One shared
    word counts only when it is at least half of the name's words, so "a rain jacket" is not "Alpine Rain
    Shell"; a tie between candidates is no answer. Words said as a kind of thing, not that product ("a rain
    shell", "another poncho", "rain shells") are no reference either."""
    said = set(content_words(text)) | {t for t in tokens(normalize(text)) if any(c.isdigit() for c in t)}
    names = [_name_words(c.name) for c in candidates]
    counts: dict[str, int] = {}
    for words in names:
        for word in words:
            counts[word] = counts.get(word, 0) + 1
    scored: list[tuple[float, int, frozenset[str]]] = []
    for index, words in enumerate(names):
        shared = words & said
        if not shared or (len(shared) < 2 and 2 * len(shared) < len(words)):
            continue
        weight = sum(math.log(1 + len(candidates) / counts[w]) for w in shared)
        scored.append((weight, -index, frozenset(shared)))
    scored.sort(reverse=True)
    if not scored or (len(scored) > 1 and math.isclose(scored[0][0], scored[1][0])):
        return None
    product = candidates[-scored[0][1]]
    spots = [m for m in re.finditer(r"[\w']+", text) if stem(m.group(0).lower()) in scored[0][2]]
    if not spots:
        return None
    own = set(tokens(product.name))
    plural = any(m.group(0).lower().endswith("s") and m.group(0).lower() not in own for m in spots)
    before = tokens(text[: spots[0].start()])[-1:]
    if plural or (before and before[0] in _INDEFINITE):
        return None
    return product, _with_determiner(text, (spots[0].start(), spots[-1].end()))


def residue(
    text: str, tool: ToolSpec, *, others: Sequence[ToolSpec] = (), known: Iterable[str] = ()
) -> str | None:
    """The stretch of `text` that is neither function words, numbers nor the vocabulary of the tool (and of
    `others`, and the `known` words): what the request is about ("what's the weather in Paris" for a weather
    tool → "Paris"). When some of it is capitalised and some not, the capitalised stretch is the name."""
    vocabulary = set(known)
    for spec in (tool, *others):
        vocabulary |= set(identifier_words(spec.name)) | set(tokens(spec.description))
    stems = {stem(w) for w in vocabulary}
    kept = [
        m
        for m in re.finditer(r"[\w'$.-]+", text)
        if (w := m.group(0).lower().strip(".")) not in FUNCTION_WORDS
        and not w.isdigit()
        and w not in vocabulary
        and stem(w) not in stems
    ]
    capitalised = [m for m in kept if m.group(0)[:1].isupper() and m.start() > 0]
    if capitalised and len(capitalised) < len(kept):
        kept = capitalised
    if not kept:
        return None
    return text[kept[0].start() : kept[-1].end()].strip(" .,!?") or None

"""Word-level helpers shared by the router, the slot filler and the composer: tokens, stems, identifiers."""

from __future__ import annotations

import re

__all__ = [
    "FUNCTION_WORDS",
    "NUMBER_WORDS",
    "content_words",
    "identifier_words",
    "normalize",
    "stem",
    "tokens",
    "wordset",
]


def wordset(words: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated string."""
    return frozenset(words.split())


_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip

FUNCTION_WORDS = wordset("""
    a an the and or but of for to in on at by with from into onto out off up about over under as than
    i me my mine we us our you your yours he she it its they them their this that these those there here
    is are was were be been being am do does did done have has had having can could would should will
    shall may might must not no yes so too very just also only then now please thanks thank okay ok
    what which who whom whose when where why how all any some each every both either neither one ones
    i'm i'd i'll i've you're it's that's what's there's don't can't won't let's let get got give
    need needs want wants wanna like would'd something anything thing things more most much many lot
    tell say said know see look looking go going make made take put show find use used using e g eg
    customer customers user users one's own if else via per etc yourself myself ourselves
    """)


def normalize(text: str) -> str:
    """Lowercase, curly apostrophes made straight, whitespace collapsed."""
    return " ".join(text.replace("’", "'").replace("‘", "'").lower().split())


def tokens(text: str) -> list[str]:
    """Lowercase word tokens; apostrophe contractions stay one token ("what's")."""
    return _TOKEN.findall(normalize(text))


def stem(word: str) -> str:
    """A light stem so word forms meet: "tents" → "tent", "hiking"/"hike" → "hik", "added" → "add"."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith(("ches", "shes", "xes", "sses")):
        word = word[:-2]
    elif len(word) > 5 and word.endswith("ing"):
        word = _undouble(word[:-3])
    elif len(word) > 4 and word.endswith("ed") and not word.endswith("eed"):
        word = _undouble(word[:-2])
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 3 and word.endswith("e") and not word.endswith("ee"):
        word = word[:-1]
    return word


def _undouble(base: str) -> str:
    return base[:-1] if len(base) > 3 and base[-1] == base[-2] and base[-1] in "bgmnprt" else base


def content_words(text: str) -> list[str]:
    """Stems of the words that carry meaning (no function words, no bare numbers)."""
    return [stem(t) for t in tokens(text) if t not in FUNCTION_WORDS and not t.isdigit() and len(t) > 1]


def identifier_words(name: str) -> list[str]:
    """An identifier's words: "get_productDetails" → ["get", "product", "details"]."""
    spaced = _CAMEL.sub(" ", name)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w]

"""What the router compares a request with: intent texts and word cues drawn from each tool's own name,
description and parameters, and the words that make a turn small talk."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from orchestrator.emulators.azure_openai.realtime.slots import Slots, param_role
from orchestrator.emulators.azure_openai.realtime.specs import ToolSpec
from orchestrator.emulators.azure_openai.realtime.vocab import (
    content_words,
    identifier_words,
    stem,
    tokens,
    wordset,
)

__all__ = [
    "CONVERSATION_EXAMPLES",
    "PARAPHRASE_WORDS",
    "ToolWords",
    "conversational",
    "cue_bonus",
    "intent_texts",
    "tool_words",
]

Talk = Literal["greeting", "thanks", "goodbye"]

ACTION_CUE = 0.12
SHARED_WORD_CUE = 0.04
PRODUCT_CUE = 0.08
_MAX_SENTENCES = 8
_PARAM_WEIGHT = 0.7

# Generic English: a request verb on the right counts for a tool whose own words include one on the left.
_ACTIONS: tuple[tuple[frozenset[str], re.Pattern[str]], ...] = tuple(
    (frozenset(stem(w) for w in tool.split()), re.compile(rf"\b(?:{request})\b", re.IGNORECASE))
    for tool, request in (
        ("add put insert append", r"add|put|insert|throw|stick|i'll take|i will take|i'll have|buy|purchase"),
        (
            "remove delete discard drop",
            r"remove|delete|drop|discard|get rid of|take (?:[\w']+ ){0,5}(?:out|off)"
            r"|(?:don't|do not|no longer) want",
        ),
        (
            "view show list display content",
            r"show|view|list|display|see|check|look at|what's in|what is in|review",
        ),
        (
            "recommend recommendation suggest suggestion advice advise",
            r"recommend|suggest|advice|advise|what should i|which should i|best for|good for|ideal for",
        ),
        (
            "detail describe information info spec specification",
            r"tell me more|more about|tell me about|details?|describe|info|information|specs?|is it|does it"
            r"|in stock",
        ),
        (
            "search find look lookup browse catalog",
            r"search|find|look for|looking for|look up|do you have|do you sell|do you carry|got any|have any"
            r"|i need|i want|i'm after|show me",
        ),
    )
)
# Generic English paraphrases, so a request shares a word with a tool that names the same thing.
_SAID_MEANT = (
    (r"how much|how expensive|cost|costs", ("price",)),
    (r"available|availability|in stock|left", ("stock",)),
    (r"cheap|cheaper|expensive|afford", ("price",)),
    (r"basket", ("cart",)),
)
_PARAPHRASES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(rf"\b(?:{said})\b", re.IGNORECASE), meant) for said, meant in _SAID_MEANT
)
PARAPHRASE_WORDS = frozenset(w for said, _ in _SAID_MEANT for w in said.split("|") if " " not in w)
# A question about a product the request points at ("is the poncho waterproof?") wants its details.
_QUESTION = re.compile(
    r"^(?:is|are|does|do|did|has|have|how|what|which|can|will|would)\b|\?\s*$", re.IGNORECASE
)
_DETAIL_WORDS = frozenset(
    stem(w) for w in wordset("detail details describe information info spec specification")
)
_VOICE = (
    (re.compile(r"\b(?:the\s+)?(?:customer|user|shopper)'s\b", re.IGNORECASE), "my"),
    (re.compile(r"\b(?:the\s+)?(?:customer|user|shopper)\b", re.IGNORECASE), "I"),
)
_GENERIC = frozenset(stem(w) for w in wordset("product item customer store user thing request result option"))
_TALK: dict[Talk, frozenset[str]] = {
    "greeting": wordset("hi hello hey hiya howdy greetings morning afternoon evening yo"),
    "thanks": wordset("thanks thank thx cheers appreciate appreciated ta"),
    "goodbye": wordset("bye goodbye byebye later farewell ciao night cya"),
}
_TALK_FILLER = wordset("""
    there you so much a lot very good great ok okay that's that all for now again everyone mate guys it is was
    i am i'm have nice day see then well oh and really helpful perfect awesome cool yes yeah the how are doing
    your help much it's lovely wonderful kind of very much sir madam folks all
    """)
CONVERSATION_EXAMPLES: dict[Talk, tuple[str, ...]] = {
    "greeting": ("hi", "hello", "hello there", "hey", "hi there", "good morning", "good evening",
                 "hey, how are you"),
    "thanks": ("thank you", "thanks", "thanks a lot", "thank you so much", "great, thanks", "cheers",
               "that helps"),
    "goodbye": ("bye", "goodbye", "bye bye", "see you later", "that's all, goodbye", "that's all for now",
                "I'm done"),
}  # fmt: skip
_TALK_PRIORITY: tuple[Talk, ...] = ("goodbye", "thanks", "greeting")
_DONE = re.compile(r"\b(?:that's all|that is all|i'm done|i am done|nothing else|all set|that'll be all)\b")


@dataclass(frozen=True)
class ToolWords:
    """The stems of a tool's name and description, for the word cues."""

    name: frozenset[str]
    description: frozenset[str]
    takes_product: bool


def tool_words(tool: ToolSpec) -> ToolWords:
    return ToolWords(
        name=frozenset(stem(w) for w in identifier_words(tool.name)),
        description=frozenset(content_words(tool.description)),
        takes_product=any(param_role(p, s).startswith("product") for p, s in tool.properties.items()),
    )


def intent_texts(tool: ToolSpec) -> list[tuple[str, float]]:
    """Texts a request for this tool should resemble, with weights: its name as words, the quoted example
    requests and sentences of its description (in the customer's voice: "the customer's cart" → "my cart"),
    and, weighed less, its required free-text parameters (numbers and ids describe no intent)."""
    phrase = " ".join(identifier_words(tool.name))
    texts = [(phrase, 1.0), (f"I want to {phrase}", 1.0)] if phrase else []
    description = tool.description.replace("’", "'")
    for pattern, replacement in _VOICE:
        description = pattern.sub(replacement, description)
    texts += [(q.strip(), 1.0) for q in re.findall(r"[\"“]([^\"”]{2,160})[\"”]", description)]
    unquoted = re.sub(r"[\"“][^\"”]*[\"”]", " ", description)
    sentences = [" ".join(s.split()[:30]) for s in re.split(r"(?<=[.!?;:])\s+|\n+", unquoted)]
    texts += [(s.strip(" .,;:"), 1.0) for s in sentences if len(s.split()) >= 2][:_MAX_SENTENCES]
    for name in tool.required:
        schema = tool.properties[name]
        if schema.get("type") in ("string", None) and not schema.get("enum"):
            about = " ".join(str(schema.get("description") or "").split()[:20])
            texts.append((f"{' '.join(identifier_words(name))}: {about}".strip(" :"), _PARAM_WEIGHT))
    return texts or [(tool.name, 1.0)]


def cue_bonus(request: str, words: ToolWords, slots: Slots) -> float:
    """Small additions to a tool's similarity: a request verb that matches the tool's own verb, content words
    the request shares with the tool's name and description, and a product reference for a tool taking one."""
    bonus = 0.0
    for verbs, pattern in _ACTIONS:
        if pattern.search(request):
            if words.name & verbs:
                bonus += ACTION_CUE
            elif words.description & verbs:
                bonus += ACTION_CUE / 2
    said = set(content_words(request)) | {
        stem(m) for p, meant in _PARAPHRASES if p.search(request) for m in meant
    }
    shared = said & (words.name | words.description) - _GENERIC
    bonus += SHARED_WORD_CUE * min(len(shared), 2)
    if slots.product is not None and words.takes_product:
        bonus += PRODUCT_CUE
        if _QUESTION.search(request) and (words.name | words.description) & _DETAIL_WORDS:
            bonus += ACTION_CUE
    return bonus


def conversational(text: str) -> Talk | None:
    """The small-talk kind of a turn made only of greeting, thanks or goodbye words (and filler)."""
    words = tokens(_DONE.sub(" bye ", text.replace("’", "'").lower()))
    kinds = {kind for kind, lexicon in _TALK.items() if lexicon & set(words)}
    if not kinds or any(w not in _TALK_FILLER and not any(w in lex for lex in _TALK.values()) for w in words):
        return None
    return next(k for k in _TALK_PRIORITY if k in kinds)

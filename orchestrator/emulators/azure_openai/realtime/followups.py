"""What the router says or does when a request cannot go straight to a tool: a question for a missing
argument, a look-up for a product not seen yet, or what the tools can do instead."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from orchestrator.emulators.azure_openai.realtime.cues import PARAPHRASE_WORDS
from orchestrator.emulators.azure_openai.realtime.slots import param_role, schema_types, spoken
from orchestrator.emulators.azure_openai.realtime.specs import ToolSpec
from orchestrator.emulators.azure_openai.realtime.utterance import residue
from orchestrator.emulators.azure_openai.realtime.vocab import identifier_words, wordset

__all__ = ["cannot_help", "lookup_instead", "product_noun", "question_for"]

_LISTED = 4
_NOT_NOUNS = wordset("id ids sku name title code number")
_ACTION_VERBS = wordset(
    "add remove delete drop put insert buy order purchase cancel update set play book reserve send save pay "
    "share compare rate return track apply create edit change move schedule start stop pause open close turn "
    "transfer"
)


def product_noun(tools: Sequence[ToolSpec]) -> str:
    """What the tools call the things a product parameter points to ("product_id" → "product")."""
    for tool in tools:
        for name, schema in tool.properties.items():
            if param_role(name, schema).startswith("product"):
                words = [w for w in identifier_words(name) if w not in _NOT_NOUNS]
                if words:
                    return " ".join(words)
    return "item"


def cannot_help(tools: Sequence[ToolSpec]) -> str:
    """A polite refusal that names, briefly, what the session's tools can do."""
    if not tools:
        return "Sorry, I can't help with that."
    skills = [" ".join(identifier_words(t.name)) for t in tools[:_LISTED]]
    if len(tools) > _LISTED:
        skills.append("more")
    listed = skills[0] if len(skills) == 1 else f"{', '.join(skills[:-1])} and {skills[-1]}"
    return f"Sorry, I can't help with that. I can help you {listed}."


def lookup_instead(
    tool: ToolSpec, missing: list[str], tools: Sequence[ToolSpec], request: str
) -> tuple[str, dict[str, Any]] | None:
    """A product named but not yet seen ("add the Trailhead Poncho") is looked up first with the tool that
    takes free text, as a model would, instead of asking which product. The name must be two words or more,
    or capitalised, so that a stray word ("empty my cart") is not searched for."""
    if any(not param_role(m, tool.properties[m]).startswith("product") for m in missing):
        return None
    named = residue(spoken(request), tool, others=tools, known=PARAPHRASE_WORDS)
    if not named or (len(named.split()) < 2 and not named[:1].isupper()):
        return None
    for other in tools:
        queries = [p for p, s in other.properties.items() if param_role(p, s) == "query"]
        if other is not tool and queries and set(other.required) <= set(queries):
            return other.name, {queries[0]: named}
    return None


def question_for(tool: ToolSpec, missing: list[str]) -> str:
    """Ask for the first missing parameter in plain words."""
    name = missing[0]
    role = param_role(name, tool.properties[name])
    verb = identifier_words(tool.name)[0] if identifier_words(tool.name) else ""
    noun_words = [w for w in identifier_words(name) if w not in _NOT_NOUNS]
    noun = " ".join(noun_words) or "product"
    if role == "query":
        return "What are you looking for?"
    if role == "quantity":
        return "How many would you like?"
    if role == "money":
        return f"How much would you like to {verb}?" if verb in _ACTION_VERBS else "How much?"
    if role.startswith("product"):
        noun = noun if noun_words else "product"
    elif schema_types(tool.properties[name]) & {"integer", "number"}:
        return f"How many {noun}?" if noun.endswith("s") else f"What {noun}?"
    if verb in _ACTION_VERBS and verb not in noun_words:
        return f"Which {noun} would you like to {verb}?"
    return f"Which {noun} do you mean?"

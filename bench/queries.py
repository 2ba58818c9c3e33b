"""Shopper queries as a voice assistant hears them: hand-written ones plus generated variations."""

from __future__ import annotations

import random

from bench.vocab import CATEGORIES, words

__all__ = ["shopper_queries"]

_HAND_WRITTEN = (
    "waterproof jacket for hiking",
    "warm sleeping bag for winter",
    "lightweight tent for two people",
    "something to filter water on a backpacking trip",
    "comfortable camp chair for the beach",
    "headlamp for night running",
    "boots for muddy trails",
    "gloves that work with my phone",
    "a stove to boil water fast",
    "kayak for a beginner on calm lakes",
    "what should I bring for avalanche safety",
    "merino base layer for ski touring",
    "a backpack for a weekend trip",
    "cheap rain poncho for a festival",
    "first aid kit for a family camping trip",
    "gps for hiking off trail",
    "trekking poles that fold small",
    "a harness for the climbing gym",
    "sleeping pad for cold ground",
    "sun hat for desert hiking",
    "down jacket that packs small",
    "trail running shoes with good grip",
    "lantern for the campsite",
    "cooler for a week of car camping",
    "paddle board for my kids",
    "snowshoes for deep powder",
    "a quiet rocking chair for the campfire",
    "socks that stop blisters",
    "satellite messenger for solo trips",
    "cook set for four people",
)
_WANTS = (
    "{adj} {noun}",
    "{adj} {noun} for {use}",
    "{noun} for {use}",
    "I need a {noun} for {use}",
    "do you have a {adj} {noun}",
    "looking for a {noun} under {price} dollars",
    "what's a good {noun} for {people}",
    "best {noun} for {use}",
    "recommend a {adj} {noun} for {people}",
    "{noun} with {feature}",
    "I want a {noun} with {feature} for {use}",
    "something {adj} for {use}",
    "a {noun} in {color}",
    "gift idea for {people} who love {use}",
)
_ADJ = words(
    "lightweight|warm|waterproof|cheap|durable|packable|comfortable|sturdy|ultralight|budget|premium|"
    "breathable|insulated|compact|quick-drying|easy to set up|kid-friendly|heavy-duty"
)
_PEOPLE = words(
    "beginners|my teenage son|a couple|my dad|kids|a scout troop|a first-time camper|an ultralight hiker"
)
_COLORS = words("green|blue|black|orange|red|grey")


def _one(rng: random.Random) -> str:
    cat = CATEGORIES[rng.randrange(len(CATEGORIES))]
    return rng.choice(_WANTS).format(
        adj=rng.choice(_ADJ),
        noun=rng.choice(cat.nouns),
        use=rng.choice(cat.uses),
        people=rng.choice(_PEOPLE),
        feature=rng.choice(cat.features),
        price=rng.choice((20, 30, 50, 75, 100, 150, 200, 300, 500)),
        color=rng.choice(_COLORS),
    )


def shopper_queries(count: int, seed: int = 7, *, hand_written: bool = True) -> list[str]:
    """`count` distinct queries: the hand-written ones first (when asked), then generated ones."""
    rng = random.Random(seed)
    out: list[str] = list(_HAND_WRITTEN) if hand_written else []
    seen = set(out)
    attempts = 0
    while len(out) < count and attempts < count * 50:
        attempts += 1
        query = _one(rng)
        if query not in seen:
            seen.add(query)
            out.append(query)
    return out[:count]

"""Deterministic synthetic outdoor products: varied names, 2-3 sentence descriptions, attributes."""

from __future__ import annotations

import random
from typing import Any

from bench.vocab import BRANDS, CATEGORIES, COLORS, LINES, Category, words

__all__ = ["generate_products"]

_ADJECTIVES = words(
    "ultralight|rugged|packable|weatherproof|versatile|minimalist|expedition-grade|compact|"
    "family-size|technical|everyday|breathable|durable|low-profile|trail-ready"
)
_PEOPLE = words(
    "weekend hikers|thru-hikers|families|beginners|alpinists|trail runners|scout leaders|"
    "van-lifers|solo travellers|photographers|anglers|guides"
)
_CONDITIONS = words(
    "the weather turns|the wind picks up|the trail gets muddy|temperatures drop after sunset|"
    "rain moves in|the pace picks up|you are miles from the trailhead|camp is pitched in the dark"
)
_OPENERS = (
    "A {adj} {noun} built for {use}, with {f1} and {f2}.",
    "Designed for {people} heading out on {use}, this {noun} pairs {material} with {f1}.",
    "The {line} {noun} brings {f1} to {use} without the weight penalty.",
    "{brand}'s {adj} take on the {noun}: {material}, {f1} and nothing you do not need.",
    "Meet the {line}, a {noun} for {people} who want {f2} and {f1} in one piece of kit.",
)
_MIDDLES = (
    "{F1} keeps things simple when {condition}.",
    "{material_cap} stands up to seasons of {use}, and {f2} is there when {condition}.",
    "Small touches like {f2} make a real difference when {condition}.",
    "It weighs about {weight}, so it earns its place on {use} and {use2} alike.",
    "Testers on {use2} praised {f2}, especially once {condition}.",
)
_CLOSERS = (
    "Backed by {brand}'s lifetime repair promise.",
    "Available in {color} and {color2}.",
    "A dependable choice for {people} and {people2}.",
    "Pair it with the rest of the {line} range for a complete setup.",
    "Made with recycled materials wherever performance allows.",
)
_GENDERS = {"Men's": "mens", "Women's": "womens", "Unisex": "unisex", "Kids'": "kids"}
_SIZES = ("XS", "S", "M", "L", "XL", "XXL")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _description(rng: random.Random, cat: Category, fields: dict[str, str]) -> str:
    f1, f2 = rng.sample(cat.features, 2)
    use, use2 = rng.sample(cat.uses, 2)
    people, people2 = rng.sample(_PEOPLE, 2)
    color, color2 = rng.sample(COLORS, 2)
    material = rng.choice(cat.materials)
    values = {
        **fields,
        "f1": f1,
        "f2": f2,
        "F1": _cap(f1),
        "use": use,
        "use2": use2,
        "people": people,
        "people2": people2,
        "color": color,
        "color2": color2,
        "material": material,
        "material_cap": _cap(material),
        "condition": rng.choice(_CONDITIONS),
        "adj": rng.choice(_ADJECTIVES),
    }
    parts = [rng.choice(_OPENERS), rng.choice(_MIDDLES)]
    if rng.random() < 0.6:
        parts.append(rng.choice(_CLOSERS))
    return " ".join(p.format(**values) for p in parts)


def _attributes(rng: random.Random, cat: Category, weight: int, gender: str | None) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        "weight_g": weight,
        "material": rng.choice(cat.materials),
        "color": rng.choice(COLORS),
    }
    for name, low, high in cat.extra:
        attributes[name] = rng.randint(low, high)
    if rng.random() < 0.5:
        attributes["season"] = rng.choice(("3-season", "4-season", "summer", "winter", "all-season"))
    if rng.random() < 0.4:
        attributes["skill_level"] = rng.choice(("beginner", "intermediate", "advanced"))
    if gender is not None:
        attributes["gender"] = _GENDERS[gender]
        first = rng.randint(0, 3)
        attributes["sizes"] = list(_SIZES[first : first + rng.randint(2, 3)])
    return attributes


def _product(rng: random.Random, index: int) -> dict[str, Any]:
    cat = CATEGORIES[rng.randrange(len(CATEGORIES))]
    brand, line, noun = rng.choice(BRANDS), rng.choice(LINES), rng.choice(cat.nouns)
    model = rng.choice(("", "", f" {rng.randint(2, 9) * 10}", " Pro", " Lite", " XL", " 2", " Trail", " UL"))
    gender = rng.choice(list(_GENDERS)) if cat.apparel else None
    name = f"{line}{model} {noun.title()}" + (f" - {gender}" if gender else "")
    weight = rng.randint(*cat.weight_g)
    fields = {"brand": brand, "line": line, "noun": noun, "weight": f"{weight} g"}
    low, high = cat.price
    price = round(rng.uniform(low, high)) + rng.choice((0.99, 0.95, 0.49, 0.0))
    tags = sorted(set(rng.sample(cat.tags, min(len(cat.tags), rng.randint(2, 4)))))
    return {
        "sku": f"{cat.prefix}-{index:07d}",
        "name": name,
        "description": _description(rng, cat, fields),
        "category": cat.name,
        "brand": brand,
        "price": f"{price:.2f}",
        "currency": "USD",
        "stock": rng.choice((0, rng.randint(1, 40), rng.randint(1, 300))),
        "tags": tags,
        "attributes": _attributes(rng, cat, weight, gender),
        "image_url": f"/images/products/{cat.prefix}-{index:07d}.svg",
    }


def generate_products(count: int, seed: int = 20240601) -> list[dict[str, Any]]:
    """`count` products as ProductCreate-shaped dicts; the same seed gives the same catalog."""
    rng = random.Random(seed)
    return [_product(rng, i) for i in range(1, count + 1)]

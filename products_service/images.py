"""Deterministic, self-contained SVG pictures for products (no fonts, files or network needed)."""

from __future__ import annotations

import hashlib
import re
from xml.sax.saxutils import escape

__all__ = ["render_product_svg"]

WIDTH, HEIGHT = 400, 300
LINE_CHARS = 30
INK = "#ffffff"

_PALETTE: dict[str, str] = {
    "tents": "#2f6b4f",
    "sleeping bags": "#3d4f8c",
    "sleeping pads": "#4b6f91",
    "backpacks": "#8a4b2f",
    "rain jackets": "#1f6f8b",
    "insulated jackets": "#9b3d3d",
    "hiking boots": "#6b4e31",
    "trail running shoes": "#c0582c",
    "camp kitchen": "#8c5a1e",
    "water filtration": "#1d7a99",
    "headlamps & lighting": "#5b4a8a",
    "navigation & electronics": "#2d5d7b",
    "trekking poles": "#5e6b2e",
    "climbing gear": "#b0452b",
    "base layers": "#6a4c7d",
    "hats & gloves": "#a0446b",
    "camp furniture": "#7a5c3a",
    "first aid & safety": "#b3262e",
    "kayaks & paddling": "#12708a",
    "snow sports": "#3b6ea8",
}
_FALLBACK = ("#35524a", "#4a4e69", "#6d597a", "#355070", "#7b4b2a", "#2a6f6b", "#5c4d7d", "#7a3e48")

_FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("rain", ("rain", "rainwear", "shell", "poncho")),
    ("puffer", ("insulat", "puffer", "down", "parka", "fleece")),
    ("tent", ("tent", "shelter", "tarp", "bivy")),
    ("pad", ("pad", "mattress", "mat")),
    ("bag", ("sleeping", "quilt")),
    ("backpack", ("backpack", "pack", "bag", "luggage")),
    ("jacket", ("jacket", "coat", "outerwear", "vest")),
    ("boot", ("boot", "shoe", "footwear", "sandal", "sock")),
    ("pot", ("kitchen", "stove", "cook", "cookware", "cooking", "food")),
    ("drop", ("water", "filter", "filtration", "hydration", "bottle")),
    ("lamp", ("lamp", "headlamp", "light", "lantern", "torch", "flashlight")),
    ("compass", ("navigation", "electronic", "compass", "gps")),
    ("poles", ("pole", "trekking")),
    ("carabiner", ("climb", "carabiner", "rope", "harness")),
    ("shirt", ("base", "layer", "shirt", "apparel", "clothing", "tee")),
    ("hat", ("hat", "glove", "mitt", "beanie", "cap")),
    ("chair", ("furniture", "chair", "seat", "table")),
    ("cross", ("first", "aid", "safety", "medical")),
    ("kayak", ("kayak", "paddl", "canoe", "boat")),
    ("snow", ("snow", "snowshoe", "snowboard", "ski", "skiing", "winter")),
)

_JACKET = '<polygon points="38,10 82,10 110,34 100,56 88,48 88,112 32,112 32,48 20,56 10,34" fill="{ink}"/>'
_ZIP = '<path d="M60 14v98" stroke="{bg}" stroke-width="3"/>'
_BAFFLES = '<path d="M32 62h56M32 80h56M32 98h56M20 40h14M86 40h14" stroke="{bg}" stroke-width="3"/>'
_ARM = '<path d="M60 60V6M60 24 47 13M60 24l13-11"/>'
_ICONS: dict[str, str] = {
    "tent": '<path d="M60 8l54 98H6z" fill="{ink}"/><path d="M60 46l20 60H40z" fill="{bg}"/><rect y="106" '
    'width="120" height="6" fill="{ink}"/>',
    "bag": '<rect x="30" y="4" width="60" height="112" rx="28" fill="{ink}"/><ellipse cx="60" cy="30" '
    'rx="18" ry="13" fill="{bg}"/><path d="M72 50v54" stroke="{bg}" stroke-width="3"/>',
    "pad": '<rect x="6" y="38" width="108" height="44" rx="12" fill="{ink}"/><path d="M34 44v32M60 44v32M86 '
    '44v32" stroke="{bg}" stroke-width="4"/>',
    "backpack": '<rect x="24" y="22" width="72" height="92" rx="18" fill="{ink}"/><g fill="none" '
    'stroke-width="4" stroke="{bg}"><path d="M24 44q36-22 72 0"/><rect x="38" y="70" width="44" height="30" '
    'rx="6"/></g><path d="M48 22q12-18 24 0" fill="none" stroke="{ink}" stroke-width="6"/>',
    "jacket": _JACKET + _ZIP,
    "rain": _JACKET + _ZIP + '<path d="M40 10q20-14 40 0" fill="none" stroke="{ink}" stroke-width="8"/>'
    '<path d="M108 80q6 10 0 14q-6-4 0-14zM14 84q6 10 0 14q-6-4 0-14z" fill="{ink}"/>',
    "puffer": _JACKET + _ZIP + _BAFFLES,
    "boot": '<path d="M30 8h34v54l38 16q12 5 12 18v6H20v-22q10-4 10-14z" fill="{ink}"/><rect x="18" y="104" '
    'width="98" height="10" rx="4" fill="{ink}"/><path d="M64 30H50M64 44H50" stroke="{bg}" '
    'stroke-width="4"/>',
    "pot": '<rect x="22" y="36" width="76" height="54" rx="8" fill="{ink}"/><rect x="16" y="28" width="88" '
    'height="8" rx="3" fill="{ink}"/><path d="M98 50h16M22 50H6" stroke="{ink}" stroke-width="6"/><path '
    'd="M40 114l8-16 8 16zM56 114l8-18 8 18zM72 114l8-16 8 16z" fill="{ink}"/>',
    "drop": '<path d="M60 4C60 4 18 58 18 80a42 42 0 0 0 84 0C102 58 60 4 60 4z" fill="{ink}"/><path d="M38 '
    '82a22 22 0 0 0 18 22" fill="none" stroke="{bg}" stroke-width="5"/>',
    "lamp": '<circle cx="32" cy="60" r="24" fill="{ink}"/><circle cx="32" cy="60" r="12" fill="{bg}"/><path '
    'd="M58 46l60-30v88L58 74z" fill="{ink}" fill-opacity="0.55"/>',
    "compass": '<circle cx="60" cy="60" r="52" fill="none" stroke="{ink}" stroke-width="7"/><path d="M60 '
    '16l11 44H49z" fill="{ink}"/><path d="M60 104l11-44H49z" fill="{ink}" fill-opacity="0.5"/><circle '
    'cx="60" cy="60" r="5" fill="{bg}"/>',
    "poles": '<path d="M42 10l12 104M78 10l-12 104" stroke="{ink}" stroke-width="6"/><g fill="{ink}"><rect '
    'x="34" y="4" width="14" height="26" rx="5"/><rect x="72" y="4" width="14" height="26" rx="5"/><ellipse '
    'cx="52" cy="100" rx="10" ry="3"/><ellipse cx="68" cy="100" rx="10" ry="3"/></g>',
    "carabiner": '<rect x="30" y="6" width="60" height="108" rx="30" fill="none" stroke="{ink}" '
    'stroke-width="10"/><path d="M90 38v44" stroke="{bg}" stroke-width="14"/><path d="M84 40l10 40" '
    'stroke="{ink}" stroke-width="5"/>',
    "shirt": '<path d="M36 12h48l28 24-16 18-10-8v66H34V46l-10 8-16-18z" fill="{ink}"/><path d="M46 12q14 '
    '16 28 0" fill="{bg}"/>',
    "hat": '<path d="M14 84a46 60 0 0 1 92 0z" fill="{ink}"/><circle cx="60" cy="16" r="12" fill="{ink}"/>'
    '<rect x="8" y="80" width="104" height="24" rx="8" fill="{ink}"/><path d="M20 92h80" stroke="{bg}" '
    'stroke-width="3"/>',
    "chair": '<rect x="26" y="6" width="68" height="40" rx="5" fill="{ink}"/><rect x="18" y="50" width="84" '
    'height="14" rx="4" fill="{ink}"/><path d="M24 114l72-56M96 114l-72-56" stroke="{ink}" '
    'stroke-width="6"/>',
    "cross": '<rect x="6" y="6" width="108" height="108" rx="24" fill="{ink}"/><path d="M46 '
    '22h28v24h24v28H74v24H46V74H22V46h24z" fill="{bg}"/>',
    "kayak": '<ellipse cx="60" cy="74" rx="58" ry="15" fill="{ink}"/><ellipse cx="60" cy="70" rx="16" '
    'ry="6" fill="{bg}"/><g fill="{ink}"><path d="M22 26l76 80" stroke="{ink}" stroke-width="5"/><ellipse '
    'cx="20" cy="24" rx="6" ry="14" transform="rotate(-43 20 24)"/><ellipse cx="100" cy="108" rx="6" '
    'ry="14" transform="rotate(-43 100 108)"/></g>',
    "snow": '<g fill="none" stroke="{ink}" stroke-width="6" stroke-linecap="round">'
    + "".join(f'<g transform="rotate({angle} 60 60)">{_ARM}</g>' for angle in range(0, 360, 60))
    + "</g>",
    "mountain": '<path d="M2 112l42-80 22 34 16-20 36 66z" fill="{ink}"/><path d="M44 32l12 22-8-4-8 '
    '8-6-8z" fill="{bg}"/>',
}

_INVALID_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return " ".join(_INVALID_XML.sub("", text).split())


def _xml(text: str) -> str:
    return escape(text, {'"': "&quot;", "'": "&apos;"})


def _family(category: str) -> str:
    words = re.findall(r"[a-z]+", category.lower())
    for family, stems in _FAMILIES:
        if any(w in (st, st + "s") or (len(st) >= 5 and w.startswith(st)) for w in words for st in stems):
            return family
    return "mountain"


def _background(category: str) -> str:
    key = " ".join(category.lower().split())
    if key in _PALETTE:
        return _PALETTE[key]
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return _FALLBACK[digest[0] % len(_FALLBACK)]


def _wrap(text: str, width: int = LINE_CHARS, lines: int = 2) -> list[str]:
    words = [word[:width] for word in text.split()]
    out: list[str] = []
    current = ""
    for index, word in enumerate(words):
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width:
            current = candidate
            continue
        out.append(current)
        if len(out) == lines - 1:
            rest = " ".join(words[index:])
            if len(rest) > width:
                rest = rest[: width - 1].rstrip() + "\u2026"
            return [*out, rest]
        current = word
    return [*out, current]


def render_product_svg(*, sku: str, name: str, category: str, brand: str) -> str:
    """Draw a 400x300 card: category colour and pictogram, the product name and its brand."""
    name, category, brand, sku = _clean(name), _clean(category), _clean(brand), _clean(sku)
    bg = _background(category)
    icon = _ICONS[_family(category)].format(ink=INK, bg=bg)
    lines = _wrap(name)
    first_y = 226 if len(lines) > 1 else 240
    text = "".join(
        f'<text x="200" y="{first_y + 26 * i}" font-size="20" font-weight="bold">{_xml(line)}</text>'
        for i, line in enumerate(lines)
    )
    label = _xml(f"{name} by {brand}" if brand else name)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{label}" data-sku="{_xml(sku)}">'
        f"<title>{_xml(name)}</title>"
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{bg}"/>'
        f'<rect y="196" width="{WIDTH}" height="{HEIGHT - 196}" fill="#000000" fill-opacity="0.18"/>'
        f'<g transform="translate(131 28) scale(1.15)">{icon}</g>'
        f'<g fill="{INK}" font-family="sans-serif" text-anchor="middle">{text}'
        f'<text x="200" y="286" font-size="13" fill-opacity="0.85" letter-spacing="1">'
        f"{_xml(brand.upper())}</text></g>"
        "</svg>"
    )

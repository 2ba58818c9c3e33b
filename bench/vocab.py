"""Category vocabulary for synthetic outdoor products (in the style of the default catalog)."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["BRANDS", "CATEGORIES", "COLORS", "LINES", "Category", "words"]


def words(text: str) -> tuple[str, ...]:
    """`"a|b c|d"` into `("a", "b c", "d")`: keeps the vocabulary tables compact."""
    return tuple(part.strip() for part in text.split("|"))


@dataclass(frozen=True)
class Category:
    name: str
    prefix: str
    weight_g: tuple[int, int]
    price: tuple[int, int]
    apparel: bool
    nouns: tuple[str, ...]
    features: tuple[str, ...]
    materials: tuple[str, ...]
    uses: tuple[str, ...]
    tags: tuple[str, ...]
    extra: tuple[tuple[str, int, int], ...]


_RANGE = re.compile(r"(\w+) (-?\d+)\.\.(-?\d+)")


def _span(text: str) -> tuple[int, int]:
    match = _RANGE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a range: {text!r}")
    return int(match[2]), int(match[3])


def _parse(table: str) -> tuple[Category, ...]:
    """Blocks of `Name | PREFIX | weight A..B | price A..B [| apparel]` then indented `field: a|b|c`
    lines; a line starting with `|` continues the field above."""
    blocks: list[tuple[list[str], dict[str, str]]] = []
    field = ""
    for line in table.strip("\n").splitlines():
        if not line.startswith(" "):
            blocks.append(([p.strip() for p in line.split("|")], {}))
        elif line.strip().startswith("|"):
            blocks[-1][1][field] += line.strip()
        else:
            field, _, value = line.strip().partition(": ")
            blocks[-1][1][field] = value
    out = []
    for head, fields in blocks:
        extra = tuple((m[1], int(m[2]), int(m[3])) for m in _RANGE.finditer(fields.get("extra", "")))
        lists = {k: words(v) for k, v in fields.items() if k != "extra"}
        out.append(
            Category(
                head[0], head[1], _span(head[2]), _span(head[3]), "apparel" in head, extra=extra, **lists
            )
        )
    return tuple(out)


BRANDS = words(
    "Contoso Outdoors|Northwind Gear|Woodgrove Outfitters|Fabrikam Alpine|Summit Forge|Proseware Peak|"
    "Lamna Wear|Tailspin Trail|Ridgeway|Litware Lights|Wingtip Paddle Co.|Adatum Packs"
)
LINES = words(
    "Ridgeline|Emberline|Hoarfrost|Cloudbank|Traverse|Stormbreak|Cinderpeak|Cairnfield|Skyrunner|Blaze|"
    "Clearstream|Beacon|Truenorth|Switchback|Basalt|Highland|Yukon|Lakeside|Trailside|Estuary|"
    "Powderhound|Granite|Cascade|Timberline|Aspen|Glacier|Juniper|Sierra|Driftwood|Kestrel|Osprey Bay|"
    "Talus|Meridian|Fjord|Sundown|Larchwood|Bramble|Whitecap|Nightjar|Tamarack|Saddleback|Wildfern|"
    "Ironwood|Pinecrest"
)
COLORS = words(
    "sage green|slate blue|charcoal|burnt orange|forest green|glacier white|sand|black|mustard|"
    "storm grey|deep teal|crimson|olive|navy|coyote brown|sky blue"
)

_TABLE = """
Tents | TENT | weight 900..9000 | price 89..799
  extra: persons 1..8|waterproof_rating_mm 1200..5000
  nouns: backpacking tent|dome tent|cabin tent|tunnel tent|bivy shelter|trekking pole shelter
    |family tent|mountaineering tent
  features: two doors and two vestibules|colour-coded clips and poles|a full-coverage rainfly
    |steep sidewalls for headroom|mesh panels that cut condensation|a gear loft and interior pockets
    |reflective guylines|a bathtub floor|a hubbed pole set
  materials: 20D ripstop nylon|68D polyester|silnylon|polyester taffeta|Dyneema composite fabric
  uses: thru-hiking|car camping with kids|alpine basecamps|festival weekends|bikepacking trips
    |desert treks
  tags: backpacking|3-season|4-season|freestanding|car-camping|ultralight|family|easy-setup
Sleeping Bags | SLBG | weight 400..2800 | price 49..649
  extra: temp_rating_c -29..10
  nouns: mummy bag|down sleeping bag|synthetic sleeping bag|backpacking quilt
    |rectangular sleeping bag|double sleeping bag|sleeping bag liner
  features: a draft collar and hood cinch|a full-length two-way zip|a contoured footbox
    |water-resistant treated down|an anti-snag zipper track|sewn-through baffles
    |a stash pocket for a phone
  materials: 800-fill goose down|650-fill duck down|recycled synthetic insulation|brushed polyester
    |20D nylon shell
  uses: winter camping|summer nights at the lake|alpine starts|scout trips|cold desert nights
    |hut-to-hut treks
  tags: mummy|down|3-season|cold-weather|lightweight|quilt|car-camping|expedition
Sleeping Pads | SPAD | weight 250..2200 | price 29..249
  extra: r_value 1..7
  nouns: air pad|self-inflating mat|closed-cell foam pad|insulated air mattress|camp cot pad
    |double air bed
  features: baffled chambers that stop rolling|a one-way flat valve|a reflective heat layer
    |a brushed anti-slip top|a pump sack that doubles as a dry bag|raised side rails
  materials: 30D ripstop nylon|TPU-laminated polyester|open-cell foam|XPE foam
  uses: winter camping|backpacking trips|car camping|hammock nights|side sleepers on the trail
  tags: air-pad|insulated|comfort|4-season|foam|backpacking|car-camping
Backpacks | PACK | weight 300..2600 | price 39..399
  extra: capacity_l 8..85
  nouns: backpacking pack|daypack|ultralight pack|load hauler|hydration pack|travel pack|hip pack
    |child carrier
  features: an adjustable torso length|a ventilated trampoline back panel
    |a floating lid with two pockets|hipbelt pockets big enough for a phone|a hydration sleeve
    |stretch side pockets|a U-zip front panel
  materials: 420D nylon|recycled polyester|Dyneema-ripstop|robic nylon|waxed canvas
  uses: weekend backpacking|long day hikes|commuting by bike|fastpacking|international travel
    |family hikes
  tags: backpacking|daypack|hydration|adjustable|ultralight|travel
Rain Jackets | RAIN | weight 180..650 | price 39..449 | apparel
  extra: waterproof_rating_mm 10000..28000
  nouns: 3L shell jacket|packable rain jacket|rain parka|stretch hardshell|rain poncho
    |budget rain jacket
  features: pit zips for venting|a helmet-compatible hood|taped seams|a stiffened brim
    |two-way front zip|a stow pocket it packs into|adjustable cuffs
  materials: 3-layer waterproof membrane|2.5-layer nylon|recycled polyester|stretch laminate
  uses: wet spring hikes|commuting in the rain|alpine scrambles|long days of trekking|fishing trips
  tags: shell|packable|hiking|waterproof|commuter|hardshell
Insulated Jackets | INSJ | weight 250..1200 | price 69..599 | apparel
  nouns: down jacket|synthetic insulated hoody|down parka|puffer vest|belay parka|fleece jacket
    |3-in-1 jacket
  features: baffled chambers that keep the fill in place|an insulated hood|zippered hand pockets
    |elastic cuffs|a stuff sack that hangs from a harness|a water-repellent finish
  materials: 800-fill responsibly sourced down|synthetic fill|recycled polyester fleece
    |15D ripstop nylon
  uses: winter city days|belaying at the crag|ski hut evenings|cold morning starts
  tags: down|puffy|insulated|packable|layering|expedition
Hiking Boots | BOOT | weight 700..2200 | price 59..429 | apparel
  nouns: mid hiking boot|low hiking shoe|leather backpacking boot|mountaineering boot|approach shoe
    |winter boot
  features: a waterproof breathable membrane|a gusseted tongue|a grippy lugged outsole
    |a protective rubber toe cap|a cushioned EVA midsole|speed-lace hooks
  materials: full-grain leather|suede and mesh|synthetic upper|nubuck leather
  uses: rocky trails|muddy spring hikes|multi-day treks|winter walks|scrambling approaches
  tags: hiking|mid|waterproof|leather|backpacking|day-hiking
Trail Running Shoes | TRUN | weight 220..380 | price 79..249 | apparel
  extra: drop_mm 0..10|lug_depth_mm 3..7
  nouns: trail shoe|max-cushion trail shoe|aggressive grip shoe|waterproof trail runner|racing flat
  features: deep multidirectional lugs|a rock plate|a quick-lace system
    |a breathable engineered mesh upper|a gusseted tongue that keeps grit out|a wide toe box
  materials: engineered mesh|recycled polyester|Vibram rubber|supercritical foam
  uses: mountain ultras|muddy fell runs|weekday trail loops|technical descents
  tags: running|grip|cushioned|mud|racing|long-distance
Camp Kitchen | KITCH | weight 90..6000 | price 19..299
  extra: persons 1..6
  nouns: canister stove|integrated stove system|multi-fuel stove|two-burner stove|titanium mug pot
    |nesting cook set|cast-iron skillet|camp coffee press|hard-sided cooler
  features: a piezo igniter|a windscreen and heat exchanger|folding handles|a nesting design
    |simmer control|a lid with a strainer
  materials: titanium|hard-anodised aluminium|stainless steel|cast iron
  uses: backcountry meals|family car camping|morning coffee at camp|group expeditions
  tags: cookware|stove|coffee|car-camping|backpacking|family
Water Filtration | WATR | weight 40..900 | price 15..199
  extra: filter_life_l 1000..100000
  nouns: squeeze filter|gravity filter|pump filter|filter bottle|UV purifier|purification tablets
  features: a hollow-fibre membrane that removes bacteria|a backflush syringe
    |a carbon stage that improves taste|a collapsible reservoir|a fast flow rate
  materials: BPA-free plastic|hollow fibre|TPU|stainless steel
  uses: backpacking trips|international travel|group basecamps|emergency kits
  tags: filter|hydration|purification|backpacking|emergency
Headlamps & Lighting | LITE | weight 30..600 | price 14..149
  extra: lumens 100..1500|runtime_h 4..200
  nouns: rechargeable headlamp|camp lantern|string lights|flashlight|running headlamp|kids' headlamp
  features: a red-light mode that saves night vision|a lock-out switch|USB-C charging
    |a reactive beam that dims automatically|an IPX7 waterproof body|a tilting head
  materials: anodised aluminium|polycarbonate|silicone
  uses: night hikes|reading in the tent|trail runs before dawn|power cuts at home|caving
  tags: headlamp|lantern|rechargeable|camping|emergency
Navigation & Electronics | NAV | weight 30..400 | price 19..599
  nouns: baseplate compass|handheld GPS|satellite messenger|solar charger|power bank|altimeter watch
    |two-way radio
  features: preloaded topographic maps|SOS messaging|a sighting mirror|a long-life battery
    |breadcrumb tracking|a glove-friendly touchscreen
  materials: polycarbonate|aluminium|ruggedised plastic
  uses: off-grid trekking|orienteering courses|backcountry skiing|solo hikes
  tags: navigation|gps|compass|emergency|off-grid
Trekking Poles | POLE | weight 280..600 | price 29..229
  extra: length_cm 100..140
  nouns: aluminium trekking poles|carbon trekking poles|folding poles|hiking staff
    |nordic walking poles
  features: flick-lock adjustment|cork grips that wick sweat|anti-shock springs
    |interchangeable snow baskets|tungsten carbide tips
  materials: 7075 aluminium|carbon fibre|cork and EVA foam
  uses: steep descents|long treks|snowshoe outings|nordic walking
  tags: adjustable|carbon|folding|lightweight|fitness
Climbing Gear | CLMB | weight 30..4000 | price 9..349
  extra: strength_kn 7..25
  nouns: locking carabiner|quickdraw|dynamic rope|climbing harness|climbing helmet|belay device
    |chalk bag|crash pad
  features: a keylock nose that does not snag|a dry treatment for wet days|adjustable leg loops
    |a lightweight foam shell|assisted braking
  materials: 7075 aluminium|nylon|dyneema sling|EPS foam
  uses: sport climbing|gym sessions|alpine routes|bouldering trips
  tags: climbing|belay|harness|helmet|gym|bouldering
Base Layers | BASE | weight 60..300 | price 15..129 | apparel
  extra: fabric_weight_gsm 120..320
  nouns: merino crew top|merino leggings|synthetic tee|quarter-zip top|hiking socks|sports bra
  features: flatlock seams that do not chafe|odour resistance|thumb loops|a quick-drying knit
    |a drop-tail hem
  materials: 200 gsm merino wool|recycled polyester|merino blend|bamboo viscose
  uses: multi-day treks|ski touring|summer hikes|cold commutes
  tags: merino|base-layer|quick-dry|midweight|lightweight
Hats & Gloves | HATG | weight 40..250 | price 12..129 | apparel
  nouns: merino beanie|wide-brim sun hat|trapper hat|fleece balaclava|insulated gloves
    |waterproof mittens|liner gloves
  features: a touchscreen-friendly fingertip|a chin strap|UPF 50 sun protection
    |a windproof fleece lining|a waterproof insert
  materials: merino wool|fleece|nylon|leather and softshell
  uses: winter hikes|sunny desert treks|ski days|cold fishing mornings
  tags: beanie|gloves|hat|merino|mittens
Camp Furniture | FURN | weight 500..8000 | price 29..299
  extra: max_load_kg 90..180
  nouns: ultralight camp chair|folding armchair|rocking chair|roll-top camp table|camp cot
    |camping hammock
  features: a cup holder in the armrest|a packable aluminium frame|a padded seat
    |a side pocket for a book|a carry bag with a shoulder strap
  materials: aluminium|steel|600D polyester|ripstop nylon
  uses: campfire evenings|beach days|festival weekends|backyard lounging
  tags: chair|folding|camp|comfort|car-camping
First Aid & Safety | SAFE | weight 50..1200 | price 9..149
  extra: items_count 10..200
  nouns: first aid kit|emergency bivvy|survival blanket|bear spray|fire starter|multi-tool
  features: a waterproof pouch|an organised fold-out layout|a signal whistle|a blister care pack
    |a reflective outer layer
  materials: ripstop nylon|mylar|stainless steel
  uses: day hikes|backcountry trips|family car camping|expeditions
  tags: first-aid|emergency|safety|backpacking
Kayaks & Paddling | PADL | weight 300..28000 | price 29..1899
  extra: length_cm 200..520
  nouns: recreational kayak|sit-on-top kayak|touring sea kayak|inflatable kayak
    |inflatable paddle board|kayak paddle|life jacket|dry bag
  features: a padded adjustable seat|bungee deck rigging|a tracking fin|sealed bulkheads
    |a feathering paddle shaft
  materials: rotomoulded polyethylene|drop-stitch PVC|fibreglass|carbon fibre
  uses: calm lakes|coastal touring|river fishing|family paddles
  tags: kayak|paddle-board|paddling|pfd|inflatable|fishing
Snow Sports | SNOW | weight 150..3200 | price 19..899
  nouns: snowshoes|ski touring skis|climbing skins|avalanche transceiver|avalanche probe|snow shovel
    |ski goggles|snow bib
  features: heel lifts for steep climbs|crampon-style teeth|a triple-antenna search|an anti-fog lens
    |a telescoping shaft
  materials: aluminium|carbon|nylon mohair|polycarbonate
  uses: backcountry skiing|snowshoe hikes|resort days|winter mountaineering
  tags: skiing|snowshoes|avalanche|backcountry|winter
"""

CATEGORIES = _parse(_TABLE)

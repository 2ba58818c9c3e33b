"""The shipped default catalog (products_service/data/catalog.json) and the product-image renderer."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from products_service.images import render_product_svg
from products_service.schemas import ProductCreate

CATALOG = Path(__file__).resolve().parents[2] / "products_service" / "data" / "catalog.json"
KEYS = list(ProductCreate.model_fields)
SVG_NS = "{http://www.w3.org/2000/svg}"
SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


@cache
def catalog() -> list[dict[str, Any]]:
    data = json.loads(CATALOG.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def categories() -> list[str]:
    return sorted({product["category"] for product in catalog()})


def test_catalog_is_large_and_varied() -> None:
    products = catalog()
    assert len(products) >= 300
    assert len(categories()) >= 15
    assert len({product["brand"] for product in products}) >= 8
    assert CATALOG.stat().st_size < 600_000


def test_every_product_has_exactly_the_expected_keys() -> None:
    for product in catalog():
        assert list(product) == KEYS, product.get("sku")


def test_skus_and_names_are_unique() -> None:
    skus = [product["sku"] for product in catalog()]
    names = [product["name"] for product in catalog()]
    assert len(set(skus)) == len(skus)
    assert len(set(names)) == len(names)
    for sku in skus:
        assert re.fullmatch(r"[A-Z]{3,5}-\d{4}", sku), sku


def test_prices_are_positive_two_decimal_strings() -> None:
    for product in catalog():
        price = product["price"]
        assert isinstance(price, str) and re.fullmatch(r"\d+\.\d{2}", price), product["sku"]
        assert Decimal(price) > 0, product["sku"]
        assert product["currency"] == "USD"


def test_image_url_matches_sku() -> None:
    for product in catalog():
        assert product["image_url"] == f"/images/products/{product['sku']}.svg"


def test_descriptions_have_two_to_four_sentences() -> None:
    for product in catalog():
        description = product["description"]
        assert description == description.strip() and description.endswith("."), product["sku"]
        assert 2 <= len(SENTENCE_END.findall(description)) <= 4, product["sku"]


def test_stock_tags_and_attributes() -> None:
    out_of_stock = 0
    for product in catalog():
        stock = product["stock"]
        assert isinstance(stock, int) and not isinstance(stock, bool) and stock >= 0, product["sku"]
        out_of_stock += stock == 0
        tags = product["tags"]
        assert isinstance(tags, list) and 1 <= len(tags) <= 6, product["sku"]
        assert all(isinstance(tag, str) and tag and tag == tag.lower() for tag in tags), product["sku"]
        assert isinstance(product["attributes"], dict), product["sku"]
    assert 0 < out_of_stock < len(catalog()) // 5


def test_attribute_value_types_are_consistent_across_the_catalog() -> None:
    seen: dict[str, set[type]] = {}
    for product in catalog():
        for key, value in product["attributes"].items():
            assert re.fullmatch(r"[a-z][a-z0-9_]*", key), key
            seen.setdefault(key, set()).add(bool if isinstance(value, bool) else type(value))
    for key, kinds in seen.items():
        assert kinds <= {int, float} or len(kinds) == 1, (key, kinds)
    for key in ("weight_g", "waterproof_rating_mm", "temp_rating_c", "lumens", "persons"):
        assert seen[key] == {int}, key


def test_catalog_validates_against_the_create_schema() -> None:
    from products_service.schemas import ProductCreate

    for product in catalog():
        ProductCreate.model_validate(product)


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("width") == "400" and root.get("height") == "300"
    return root


def title_of(root: ET.Element) -> str | None:
    title = root.find(f"{SVG_NS}title")
    assert title is not None
    return title.text


@pytest.mark.parametrize("category", categories())
def test_every_category_renders_valid_self_contained_svg(category: str) -> None:
    product = next(p for p in catalog() if p["category"] == category)
    svg = render_product_svg(
        sku=product["sku"], name=product["name"], category=category, brand=product["brand"]
    )
    root = parse(svg)
    assert title_of(root) == product["name"]
    shown = " ".join(el.text or "" for el in root.iter(f"{SVG_NS}text"))
    assert product["name"].split()[0] in shown
    assert product["brand"].upper() in shown
    assert "href" not in svg and "url(" not in svg and "@import" not in svg
    assert 'font-family="sans-serif"' in svg


def test_names_with_markup_characters_are_escaped() -> None:
    name = 'Tom & Jerry\'s <Camp> "Deluxe" Stove & Grill'
    svg = render_product_svg(sku="X-1", name=name, category="Camp Kitchen", brand="A&B <Outdoors>")
    assert "Tom &amp; Jerry" in svg and "&lt;Camp&gt;" in svg
    assert "<Camp>" not in svg and "A&B" not in svg
    root = parse(svg)
    assert title_of(root) == name


def test_long_names_are_wrapped_to_two_lines() -> None:
    name = "Extraordinarily Lengthy Expedition-Grade Four-Season Mountaineering Tent With Vestibules"
    root = parse(render_product_svg(sku="T-1", name=name, category="Tents", brand="Contoso Outdoors"))
    lines = [el.text or "" for el in root.iter(f"{SVG_NS}text")][:-1]
    assert len(lines) == 2
    assert lines[1].endswith("\u2026")
    assert all(len(line) <= 30 for line in lines)


def test_unknown_categories_and_odd_input_still_render() -> None:
    for category in ("Mystery Gear", "", "   ", "Ünïcödé & Co."):
        parse(render_product_svg(sku="Z-9", name="Gadget\x00\x07 Thing", category=category, brand=""))
    parse(render_product_svg(sku="Z-9", name="", category="Tents", brand="Brand"))


def test_output_is_deterministic() -> None:
    kwargs = {"sku": "TENT-0001", "name": "Ridgeline 2P", "category": "Tents", "brand": "Contoso Outdoors"}
    assert render_product_svg(**kwargs) == render_product_svg(**kwargs)
    fallback = {**kwargs, "category": "Something New"}
    assert render_product_svg(**fallback) == render_product_svg(**fallback)
    assert render_product_svg(**kwargs) != render_product_svg(**fallback)

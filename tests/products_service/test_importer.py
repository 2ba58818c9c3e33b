import json

import pytest

from products_service.errors import ImportInvalid
from products_service.importer import parse_catalog
from tests.conftest import SMALL_CATALOG


def test_json_catalog_parses() -> None:
    products = parse_catalog(json.dumps(SMALL_CATALOG).encode(), filename="c.json")
    assert [p.sku for p in products] == [p["sku"] for p in SMALL_CATALOG]
    assert str(products[0].price) == "189.00"


def test_every_bad_row_is_named() -> None:
    rows = [dict(SMALL_CATALOG[0]), dict(SMALL_CATALOG[1]), dict(SMALL_CATALOG[2]), dict(SMALL_CATALOG[0])]
    rows[1]["price"] = "-3"
    del rows[2]["name"]
    with pytest.raises(ImportInvalid) as caught:
        parse_catalog(json.dumps(rows).encode(), filename="c.json")
    report = caught.value.extra["rows"]
    assert [r["row"] for r in report] == [2, 3, 4]
    assert "price" in report[0]["errors"][0]
    assert report[1]["errors"] == ["name: Field required"]
    assert "repeats row 1" in report[2]["errors"][0]
    assert "nothing was written" in caught.value.message


def test_csv_with_tags_and_attribute_columns() -> None:
    text = (
        "sku,name,description,category,brand,price,stock,tags,attr.weight_g,attr.waterproof\n"
        "CSV-1,Test Shell,A shell for rain.,Rain Jackets,Ridgeway,99.50,3,rain|hiking,350,true\n"
    )
    [item] = parse_catalog(text.encode(), filename="c.csv")
    assert item.tags == ["rain", "hiking"]
    assert item.attributes == {"weight_g": 350, "waterproof": True}
    assert item.stock == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe\x00", "not UTF-8"),
        (b'[{"sku": ', "not valid JSON"),
        (b'{"a": 1}', "a JSON catalog is a list"),
        (b"[]", "holds no products"),
    ],
)
def test_broken_files_get_clear_errors(data: bytes, message: str) -> None:
    with pytest.raises(ImportInvalid, match=message):
        parse_catalog(data, filename="c.json")


def test_csv_row_with_extra_cells_is_reported() -> None:
    text = "sku,name\nA-1,x,unexpected\n"
    with pytest.raises(ImportInvalid) as caught:
        parse_catalog(text.encode(), filename="c.csv")
    assert "more cells than the header" in caught.value.extra["rows"][0]["errors"][0]

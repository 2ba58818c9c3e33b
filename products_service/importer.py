"""Reading a staff catalog file (JSON or CSV) and validating every row before anything is written."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from pydantic import ValidationError

from products_service.errors import ImportInvalid
from products_service.schemas import ImportRowError, ProductCreate

__all__ = ["parse_catalog", "validate_rows"]

_MAX_ROWS = 200_000


def parse_catalog(data: bytes, *, filename: str = "", content_type: str = "") -> list[ProductCreate]:
    """Validated products, or ImportInvalid naming every bad row and why."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportInvalid(f"the file is not UTF-8 text (byte {exc.start})", rows=[]) from exc
    is_csv = filename.lower().endswith(".csv") or "csv" in content_type
    is_json = filename.lower().endswith(".json") or "json" in content_type
    if not is_csv and not is_json:
        is_json = text.lstrip()[:1] in ("[", "{")
    raw = _csv_rows(text) if not is_json else _json_rows(text)
    return validate_rows(raw)


def validate_rows(raw: list[Any]) -> list[ProductCreate]:
    if not raw:
        raise ImportInvalid("the file holds no products", rows=[])
    if len(raw) > _MAX_ROWS:
        raise ImportInvalid(f"the file holds {len(raw)} products; at most {_MAX_ROWS} per import", rows=[])
    products: list[ProductCreate] = []
    errors: list[ImportRowError] = []
    first_row_of: dict[str, int] = {}
    for number, row in enumerate(raw, start=1):
        sku = row.get("sku") if isinstance(row, dict) else None
        sku_text = str(sku) if sku is not None else None
        if isinstance(row, dict) and "__error__" in row:
            errors.append(ImportRowError(row=number, sku=sku_text, errors=[row["__error__"]]))
            continue
        try:
            product = ProductCreate.model_validate(row)
        except ValidationError as exc:
            errors.append(ImportRowError(row=number, sku=sku_text, errors=_messages(exc)))
            continue
        if product.sku in first_row_of:
            errors.append(
                ImportRowError(
                    row=number,
                    sku=product.sku,
                    errors=[f"sku repeats row {first_row_of[product.sku]}"],
                )
            )
            continue
        first_row_of[product.sku] = number
        products.append(product)
    if errors:
        shown = [e.model_dump() for e in errors[:1000]]
        raise ImportInvalid(f"{len(errors)} of {len(raw)} rows are invalid; nothing was written", rows=shown)
    return products


def _messages(exc: ValidationError) -> list[str]:
    out = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(part) for part in error["loc"]) or "row"
        out.append(f"{where}: {error['msg']}")
    return out


def _json_rows(text: str) -> list[Any]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportInvalid(
            f"the file is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
            rows=[],
        ) from exc
    if isinstance(document, dict) and isinstance(document.get("products"), list):
        document = document["products"]
    if not isinstance(document, list):
        raise ImportInvalid('a JSON catalog is a list of products (or {"products": [...]})', rows=[])
    return document


def _csv_rows(text: str) -> list[Any]:
    """Columns are product fields; `tags` separated by `|` or `;`; `attributes` as JSON or `attr.NAME`."""
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows = list(reader)
    except csv.Error as exc:
        raise ImportInvalid(f"the file is not valid CSV: {exc}", rows=[]) from exc
    if reader.fieldnames is None:
        return []
    out: list[Any] = []
    for number, row in enumerate(rows, start=1):
        if None in row:
            out.append({"sku": row.get("sku"), "__error__": f"row {number} has more cells than the header"})
            continue
        out.append(_csv_row(row))
    return out


def _csv_row(row: dict[str, str]) -> dict[str, Any]:
    product: dict[str, Any] = {}
    attributes: dict[str, Any] = {}
    for column, value in row.items():
        column = column.strip()
        value = (value or "").strip()
        if column.startswith("attr."):
            if value:
                attributes[column[5:]] = _scalar(value)
        elif column == "tags":
            product["tags"] = [t.strip() for t in value.replace(";", "|").split("|") if t.strip()]
        elif column == "attributes":
            if value:
                try:
                    attributes.update(json.loads(value))
                except (json.JSONDecodeError, TypeError, ValueError):
                    product["attributes"] = value
        elif value or column in ("sku", "name", "description", "category", "brand", "price"):
            product[column] = value
    if attributes and "attributes" not in product:
        product["attributes"] = attributes
    return product


def _scalar(value: str) -> Any:
    lowered = value.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value

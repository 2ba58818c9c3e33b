"""The per-session cart: Decimal totals, quantity and stock limits, one currency, snapshots."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from store_realtime.cart import (
    MAX_LINES,
    Cart,
    CartError,
    CurrencyMismatch,
    InvalidQuantity,
    NotInCart,
    StockExceeded,
)
from store_realtime.products_client import ProductCard


def card(product_id: int = 1, price: str = "19.99", stock: int = 10, **extra: Any) -> ProductCard:
    values: dict[str, Any] = {
        "id": product_id,
        "sku": f"SKU-{product_id}",
        "name": f"Product {product_id}",
        "price": price,
        "currency": "USD",
        "stock": stock,
        "in_stock": stock > 0,
        "image_url": f"/images/products/SKU-{product_id}.svg",
        **extra,
    }
    return ProductCard.model_validate(values)


def test_totals_are_exact_decimals() -> None:
    cart = Cart()
    cart.add(card(1, "0.10"), 3)
    cart.add(card(2, "19.99"), 2)
    assert cart.total == Decimal("40.28")
    snapshot = cart.snapshot()
    assert snapshot == {
        "items": [
            {
                "product_id": 1,
                "sku": "SKU-1",
                "name": "Product 1",
                "price": "0.10",
                "currency": "USD",
                "quantity": 3,
                "line_total": "0.30",
                "image_url": "/images/products/SKU-1.svg",
            },
            {
                "product_id": 2,
                "sku": "SKU-2",
                "name": "Product 2",
                "price": "19.99",
                "currency": "USD",
                "quantity": 2,
                "line_total": "39.98",
                "image_url": "/images/products/SKU-2.svg",
            },
        ],
        "item_count": 5,
        "total": "40.28",
        "currency": "USD",
    }
    assert json.loads(json.dumps(snapshot)) == snapshot


def test_empty_cart() -> None:
    cart = Cart(default_currency="EUR")
    assert cart.snapshot() == {"items": [], "item_count": 0, "total": "0.00", "currency": "EUR"}
    assert len(cart) == 0


def test_adding_again_raises_the_quantity_and_takes_the_current_price() -> None:
    cart = Cart()
    cart.add(card(1, "10.00"), 1)
    line = cart.add(card(1, "12.50"), 2)
    assert line.quantity == 3 and line.price == Decimal("12.50")
    assert len(cart) == 1 and cart.snapshot()["total"] == "37.50"


@pytest.mark.parametrize("quantity", [0, -1, 100, True])
def test_quantity_must_be_1_to_99(quantity: int) -> None:
    with pytest.raises(InvalidQuantity, match="from 1 to 99"):
        Cart().add(card(), quantity)


def test_at_most_99_of_one_product() -> None:
    cart = Cart()
    cart.add(card(1, stock=500), 60)
    with pytest.raises(InvalidQuantity, match="at most 99 of Product 1"):
        cart.add(card(1, stock=500), 40)
    assert cart.lines[0].quantity == 60


def test_stock_limits_what_can_be_added() -> None:
    cart = Cart()
    with pytest.raises(StockExceeded, match="Only 3 of Product 1 are in stock"):
        cart.add(card(1, stock=3), 4)
    cart.add(card(1, stock=3), 2)
    with pytest.raises(StockExceeded, match="Only 3 of Product 1 are in stock, and your cart already has 2"):
        cart.add(card(1, stock=3), 2)
    with pytest.raises(StockExceeded, match="Product 2 is out of stock"):
        cart.add(card(2, stock=0), 1)
    assert cart.item_count == 2


def test_one_currency_per_cart() -> None:
    cart = Cart()
    cart.add(card(1), 1)
    with pytest.raises(CurrencyMismatch, match="priced in EUR, but your cart is in USD"):
        cart.add(card(2, currency="EUR"), 1)
    cart.remove(1)
    cart.add(card(2, currency="EUR"), 1)
    assert cart.snapshot()["currency"] == "EUR"


def test_remove_some_or_all() -> None:
    cart = Cart()
    cart.add(card(1, "5.00"), 4)
    cart.add(card(2, "7.00"), 1)
    removed = cart.remove(1, 3)
    assert removed.quantity == 3 and cart.lines[0].quantity == 1
    assert cart.remove(1, 5).quantity == 1
    assert [line.product_id for line in cart.lines] == [2]
    assert cart.remove(2).quantity == 1 and len(cart) == 0
    with pytest.raises(NotInCart, match="Product 2 is not in your cart"):
        cart.remove(2)
    cart.add(card(3), 1)
    with pytest.raises(InvalidQuantity):
        cart.remove(3, 0)


def test_set_quantity() -> None:
    cart = Cart()
    cart.add(card(1, "2.00", stock=5), 1)
    line = cart.set_quantity(1, 5)
    assert line is not None and line.quantity == 5 and cart.total == Decimal("10.00")
    with pytest.raises(StockExceeded):
        cart.set_quantity(1, 6)
    assert cart.set_quantity(1, 0) is None and len(cart) == 0
    with pytest.raises(NotInCart):
        cart.set_quantity(1, 1)


def test_lines_are_bounded() -> None:
    cart = Cart()
    for product_id in range(1, MAX_LINES + 1):
        cart.add(card(product_id), 1)
    with pytest.raises(CartError, match=f"at most {MAX_LINES} different products"):
        cart.add(card(MAX_LINES + 1), 1)
    cart.add(card(1), 1)
    assert cart.item_count == MAX_LINES + 1


def test_restore_rebuilds_a_snapshot() -> None:
    cart = Cart()
    cart.add(card(1, "0.10"), 3)
    cart.add(card(2, "19.99"), 2)
    snapshot = json.loads(json.dumps(cart.snapshot()))
    again = Cart.from_snapshot(snapshot)
    assert again.snapshot() == cart.snapshot()
    assert again.total == Decimal("40.28")
    again.remove(1, 1)
    assert again.snapshot()["item_count"] == 4


@pytest.mark.parametrize(
    "broken",
    [
        {},
        {"items": "nope"},
        {"items": [{"product_id": 1}]},
        {
            "items": [
                {"product_id": 1, "sku": "A", "name": "A", "price": "x", "currency": "USD", "quantity": 1}
            ]
        },
        {
            "items": [
                {"product_id": 1, "sku": "A", "name": "A", "price": "1", "currency": "USD", "quantity": 0}
            ]
        },
        {
            "items": [
                {"product_id": 1, "sku": "A", "name": "A", "price": "1", "currency": "USD", "quantity": 1},
                {"product_id": 2, "sku": "B", "name": "B", "price": "1", "currency": "EUR", "quantity": 1},
            ]
        },
    ],
)
def test_restore_refuses_what_is_not_a_snapshot_and_changes_nothing(broken: dict[str, Any]) -> None:
    cart = Cart()
    cart.add(card(1), 1)
    with pytest.raises(ValueError, match="not a cart snapshot"):
        cart.restore(broken)
    assert cart.item_count == 1

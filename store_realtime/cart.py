"""One customer's shopping cart: lines by product id, exact Decimal money, one currency per cart."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from store_realtime.products_client import ProductCard, money

__all__ = [
    "MAX_LINES",
    "MAX_QUANTITY",
    "Cart",
    "CartError",
    "CartLine",
    "CurrencyMismatch",
    "InvalidQuantity",
    "NotInCart",
    "StockExceeded",
]

MAX_QUANTITY = 99
MAX_LINES = 50


class CartError(Exception):
    """A refused cart change; the message is meant for the customer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidQuantity(CartError):
    pass


class StockExceeded(CartError):
    pass


class CurrencyMismatch(CartError):
    pass


class NotInCart(CartError):
    def __init__(self, product_id: int) -> None:
        super().__init__(f"Product {product_id} is not in your cart.")
        self.product_id = product_id


@dataclass(frozen=True)
class CartLine:
    """A product as it was when added, and how many. `stock` is the last stock seen (None after restore)."""

    product_id: int
    sku: str
    name: str
    price: Decimal
    currency: str
    quantity: int
    image_url: str | None = None
    stock: int | None = None

    @property
    def line_total(self) -> Decimal:
        return self.price * self.quantity

    def public(self) -> dict[str, Any]:
        return {
            "product_id": self.product_id,
            "sku": self.sku,
            "name": self.name,
            "price": money(self.price),
            "currency": self.currency,
            "quantity": self.quantity,
            "line_total": money(self.line_total),
            "image_url": self.image_url,
        }


def _check_quantity(quantity: int) -> None:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidQuantity(f"The quantity must be a whole number from 1 to {MAX_QUANTITY}.")


class Cart:
    """Lines in the order first added. `currency` is the lines' currency, or `default_currency` when empty."""

    def __init__(self, *, default_currency: str = "USD") -> None:
        self._default_currency = default_currency
        self._lines: dict[int, CartLine] = {}

    @property
    def lines(self) -> list[CartLine]:
        return list(self._lines.values())

    @property
    def currency(self) -> str:
        first = next(iter(self._lines.values()), None)
        return first.currency if first else self._default_currency

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self._lines.values())

    @property
    def total(self) -> Decimal:
        return sum((line.line_total for line in self._lines.values()), Decimal("0"))

    def __len__(self) -> int:
        return len(self._lines)

    def add(self, card: ProductCard, quantity: int = 1) -> CartLine:
        """Add `quantity` of a product (more of it if already there); the line takes the card's current
        name, price and stock. Returns the line as it now is."""
        _check_quantity(quantity)
        if self._lines and card.currency != self.currency:
            raise CurrencyMismatch(
                f"{card.name} is priced in {card.currency}, but your cart is in {self.currency}; "
                "one order can only use one currency."
            )
        existing = self._lines.get(card.id)
        if existing is None and len(self._lines) >= MAX_LINES:
            raise CartError(f"Your cart can hold at most {MAX_LINES} different products.")
        have = existing.quantity if existing else 0
        wanted = have + quantity
        if wanted > MAX_QUANTITY:
            raise InvalidQuantity(f"You can have at most {MAX_QUANTITY} of {card.name} in your cart.")
        _check_stock(card.name, card.stock, wanted, have)
        line = CartLine(
            product_id=card.id,
            sku=card.sku,
            name=card.name,
            price=card.price,
            currency=card.currency,
            quantity=wanted,
            image_url=card.image_url,
            stock=card.stock,
        )
        self._lines[card.id] = line
        return line

    def remove(self, product_id: int, quantity: int | None = None) -> CartLine:
        """Take `quantity` of a product out (all of it when None or at least the line's quantity).
        Returns what was removed: the line with the quantity taken out."""
        line = self._lines.get(product_id)
        if line is None:
            raise NotInCart(product_id)
        if quantity is not None:
            _check_quantity(quantity)
        if quantity is None or quantity >= line.quantity:
            del self._lines[product_id]
            return line
        self._lines[product_id] = replace(line, quantity=line.quantity - quantity)
        return replace(line, quantity=quantity)

    def set_quantity(self, product_id: int, quantity: int) -> CartLine | None:
        """Make a line hold exactly `quantity` (0 removes it). Returns the line, or None when removed."""
        line = self._lines.get(product_id)
        if line is None:
            raise NotInCart(product_id)
        if quantity == 0 and not isinstance(quantity, bool):
            del self._lines[product_id]
            return None
        _check_quantity(quantity)
        if line.stock is not None:
            _check_stock(line.name, line.stock, quantity, 0)
        self._lines[product_id] = replace(line, quantity=quantity)
        return self._lines[product_id]

    def clear(self) -> None:
        self._lines.clear()

    def snapshot(self) -> dict[str, Any]:
        """JSON-safe: items, item_count (units), total and currency, money as two-decimal strings."""
        return {
            "items": [line.public() for line in self._lines.values()],
            "item_count": self.item_count,
            "total": money(self.total),
            "currency": self.currency,
        }

    def restore(self, snapshot: Mapping[str, Any]) -> None:
        """Replace the lines with those of a `snapshot()`; raises ValueError (and changes nothing) when it
        is not one."""
        lines = [_line_from(item) for item in _items_of(snapshot)]
        if len({line.currency for line in lines}) > 1:
            raise ValueError("not a cart snapshot: items in more than one currency")
        if len({line.product_id for line in lines}) < len(lines):
            raise ValueError("not a cart snapshot: a product appears on two lines")
        self._lines = {line.product_id: line for line in lines}

    @classmethod
    def from_snapshot(cls, snapshot: Mapping[str, Any], *, default_currency: str = "USD") -> Cart:
        cart = cls(default_currency=default_currency)
        cart.restore(snapshot)
        return cart


def _check_stock(name: str, stock: int, wanted: int, have: int) -> None:
    if wanted <= stock:
        return
    if stock <= 0:
        raise StockExceeded(f"Sorry, {name} is out of stock.")
    already = f", and your cart already has {have}" if have else ""
    raise StockExceeded(f"Only {stock} of {name} are in stock{already}.")


def _items_of(snapshot: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    items = snapshot.get("items") if isinstance(snapshot, Mapping) else None
    if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items):
        raise ValueError("not a cart snapshot: `items` must be a list of objects")
    return items


def _line_from(item: Mapping[str, Any]) -> CartLine:
    try:
        line = CartLine(
            product_id=int(item["product_id"]),
            sku=str(item["sku"]),
            name=str(item["name"]),
            price=Decimal(str(item["price"])),
            currency=str(item["currency"]),
            quantity=int(item["quantity"]),
            image_url=None if item.get("image_url") is None else str(item["image_url"]),
        )
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise ValueError(f"not a cart snapshot: bad item {dict(item)!r}") from exc
    if not line.price.is_finite() or line.price < 0 or not 1 <= line.quantity <= MAX_QUANTITY:
        raise ValueError(f"not a cart snapshot: bad price or quantity in {dict(item)!r}")
    return line

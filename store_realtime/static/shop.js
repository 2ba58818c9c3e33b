// Product cards from store.products and the cart panel from store.cart.

import { byId, h } from "./dom.js";
import { money, stockLevel, stockText } from "./format.js";

const ADD_TIMEOUT_MS = 5000;

export class Shop {
  // send(type, fields) reaches the server; it returns false when no session is open.
  constructor(send) {
    this.send = send;
    this.list = byId("product-list");
    this.heading = byId("products-query");
    this.lines = byId("cart-lines");
    this.total = byId("cart-total");
    this.count = byId("cart-count");
    this.note = byId("cart-note");
    this.inCart = new Map(); // product id -> quantity
    this.connected = false;
  }

  setConnected(connected) {
    this.connected = connected;
    for (const button of this.list.querySelectorAll("button.add")) this.refreshAdd(button);
    for (const button of this.lines.querySelectorAll("button.remove")) button.disabled = !connected;
  }

  showProducts({ query, tool, products = [] }) {
    this.heading.textContent = query
      ? `${products.length} for “${query}”`
      : `${products.length} product${products.length === 1 ? "" : "s"}${tool ? ` (${tool})` : ""}`;
    this.list.replaceChildren(...products.map((product) => this.card(product)));
  }

  card(product) {
    const out = stockLevel(product) === "out";
    const titleId = `product-${product.id}`;
    const add = h(
      "button",
      {
        type: "button",
        class: "add",
        dataset: { productId: product.id, out: out ? "1" : "" },
        "aria-describedby": titleId,
        onclick: () => this.add(product, add),
      },
      out ? "Out of stock" : "Add to cart",
    );
    this.refreshAdd(add);
    return h(
      "li",
      { class: "card", dataset: { productId: product.id, sku: product.sku } },
      picture(product.image_url),
      h("h3", { class: "name", id: titleId }, product.name),
      product.brand ? h("p", { class: "brand" }, product.brand) : null,
      h(
        "p",
        { class: "price-line" },
        h("span", { class: "price" }, money(product.price, product.currency)),
        h("span", { class: `stock ${stockLevel(product)}` }, stockText(product)),
      ),
      product.reason ? h("p", { class: "reason" }, product.reason) : null,
      product.description ? h("p", { class: "description" }, product.description) : null,
      h(
        "div",
        { class: "card-actions" },
        add,
        h("span", { class: "in-cart", dataset: { productId: product.id } }),
      ),
    );
  }

  add(product, button) {
    if (!this.send("store.cart.add", { product_id: product.id, quantity: 1 })) return;
    button.disabled = true;
    button.textContent = "Adding…";
    setTimeout(() => this.refreshAdd(button), ADD_TIMEOUT_MS); // no store.cart came back: let them retry
  }

  refreshAdd(button) {
    const out = button.dataset.out === "1";
    button.disabled = out || !this.connected;
    if (!out) button.textContent = "Add to cart";
    const quantity = this.inCart.get(button.dataset.productId) ?? 0;
    const note = button.parentElement?.querySelector(".in-cart");
    if (note) note.textContent = quantity ? `${quantity} in cart` : "";
  }

  // The store refused a cart change (error code cart_error): say why, and let them try again.
  cartError(message) {
    this.note.textContent = message || "The cart could not be changed.";
    this.note.hidden = false;
    for (const button of this.list.querySelectorAll("button.add")) this.refreshAdd(button);
    for (const button of this.lines.querySelectorAll("button.remove")) button.disabled = !this.connected;
  }

  showCart(cart) {
    this.note.hidden = true;
    const items = cart?.items ?? [];
    this.inCart = new Map(items.map((item) => [String(item.product_id), item.quantity]));
    this.count.textContent = String(cart?.item_count ?? 0);
    this.count.setAttribute("aria-label", `${cart?.item_count ?? 0} items`);
    this.total.textContent = money(cart?.total ?? 0, cart?.currency);
    if (items.length === 0) {
      this.lines.replaceChildren(h("li", { class: "empty" }, "Your cart is empty."));
    } else {
      this.lines.replaceChildren(...items.map((item) => this.line(item)));
    }
    for (const button of this.list.querySelectorAll("button.add")) this.refreshAdd(button);
  }

  line(item) {
    const remove = h(
      "button",
      {
        type: "button",
        class: "remove",
        "aria-label": `Remove ${item.name} from cart`,
        disabled: !this.connected,
        onclick: () => {
          if (this.send("store.cart.remove", { product_id: item.product_id })) remove.disabled = true;
        },
      },
      "Remove",
    );
    return h(
      "li",
      { class: "line", dataset: { productId: item.product_id } },
      picture(item.image_url, "thumb"),
      h(
        "div",
        { class: "line-text" },
        h("span", { class: "line-name" }, item.name),
        h("span", { class: "line-qty" }, `${item.quantity} × ${money(item.price, item.currency)}`),
      ),
      h("span", { class: "line-total" }, money(item.line_total, item.currency)),
      remove,
    );
  }
}

function picture(url, extra = "") {
  const frame = h("div", { class: `picture ${extra}`.trim(), "aria-hidden": "true" });
  if (url) {
    const image = h("img", { src: url, alt: "", loading: "lazy", decoding: "async" });
    image.addEventListener("error", () => image.remove(), { once: true });
    frame.append(image);
  }
  return frame;
}

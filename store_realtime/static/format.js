// Money, stock and durations as the customer reads them.

const moneyFormats = new Map();

function moneyFormat(currency, maximumFractionDigits) {
  const key = `${currency}:${maximumFractionDigits ?? ""}`;
  if (!moneyFormats.has(key)) {
    const options = { style: "currency", currency };
    if (maximumFractionDigits !== undefined) options.maximumFractionDigits = maximumFractionDigits;
    moneyFormats.set(key, new Intl.NumberFormat(undefined, options));
  }
  return moneyFormats.get(key);
}

// price is a decimal string ("129.99") or a number; an unknown currency code still reads sensibly.
export function money(amount, currency = "USD", maximumFractionDigits) {
  const value = Number(amount);
  if (amount === null || amount === undefined || amount === "" || !Number.isFinite(value)) return "—";
  try {
    return moneyFormat(currency || "USD", maximumFractionDigits).format(value);
  } catch {
    return `${amount} ${currency}`;
  }
}

// Costs of a response are fractions of a cent: show up to four decimals.
export function cost(value) {
  if (!value) return "";
  return money(value.amount, value.currency, 4);
}

export const LOW_STOCK = 5;

export function stockText(product) {
  const stock = Number(product.stock);
  if (product.in_stock === false || (Number.isFinite(stock) && stock <= 0)) return "Out of stock";
  if (Number.isFinite(stock) && stock <= LOW_STOCK) return `Only ${stock} left`;
  return "In stock";
}

export function stockLevel(product) {
  const text = stockText(product);
  if (text === "Out of stock") return "out";
  return text === "In stock" ? "in" : "low";
}

export function ms(value) {
  return value === null || value === undefined ? "—" : `${Math.round(value)} ms`;
}

export function count(value) {
  return Number(value ?? 0).toLocaleString();
}

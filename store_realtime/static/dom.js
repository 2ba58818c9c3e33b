// h("p", {class: "x", onclick: f}, "text", child): elements without innerHTML, so server text stays text.

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") element.className = value;
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (name.startsWith("on") && typeof value === "function")
      element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element;
}

// Keeps a scrolled list at its end while new lines arrive, unless the reader scrolled up.
export function stickToEnd(element, change) {
  const atEnd = element.scrollHeight - element.scrollTop - element.clientHeight < 48;
  change();
  if (atEnd) element.scrollTop = element.scrollHeight;
}

// The talk column: the big button, the state line, alerts, the reconnect banner and the transcript.

import { byId, h, stickToEnd } from "./dom.js";
import { ms } from "./format.js";

const STATES = {
  idle: { button: "Start talking", text: "Press the button and ask for what you need." },
  connecting: { button: "Connecting…", text: "Connecting to the store assistant…" },
  ready: { button: "Start talking", text: "Connected. Type a message, or press the button to talk." },
  listening: { button: "Stop talking", text: "Listening — go ahead and ask." },
  thinking: { button: "Stop talking", text: "Thinking…" },
  speaking: { button: "Stop talking", text: "Speaking — just talk to interrupt." },
};

export class Status {
  constructor() {
    this.button = byId("talk");
    this.buttonLabel = byId("talk-label");
    this.text = byId("state-text");
    this.alertBox = byId("alert");
    this.banner = byId("banner");
    this.latency = byId("latency");
    this.state = "idle";
    this.bannerTimer = 0;
  }

  set(state, detail) {
    const shown = STATES[state];
    this.state = state;
    this.button.dataset.state = state;
    document.body.dataset.state = state;
    this.button.setAttribute("aria-pressed", String(state !== "idle" && state !== "ready"));
    this.buttonLabel.textContent = shown.button;
    this.text.textContent = detail || shown.text;
  }

  level(value) {
    this.button.style.setProperty("--level", Math.min(1, value * 6).toFixed(3));
  }

  alert(message, kind = "error") {
    this.alertBox.textContent = message;
    this.alertBox.dataset.kind = kind;
    this.alertBox.hidden = false;
  }

  clearAlert() {
    this.alertBox.hidden = true;
    this.alertBox.textContent = "";
  }

  showBanner(message, { kind = "warning", hideAfterMs = 0 } = {}) {
    clearTimeout(this.bannerTimer);
    this.banner.textContent = message;
    this.banner.dataset.kind = kind;
    this.banner.hidden = false;
    if (hideAfterMs) this.bannerTimer = setTimeout(() => this.hideBanner(), hideAfterMs);
  }

  hideBanner() {
    clearTimeout(this.bannerTimer);
    this.banner.hidden = true;
  }

  showLatency(turn) {
    this.latency.hidden = false;
    this.latency.title =
      "From the end of your speech to the first sound: as the server sent it, and as this page played it.";
    this.latency.textContent = `Last answer: ${latencyText(turn)}`;
  }
}

export function latencyText(turn) {
  return `server ${ms(turn.serverMs)} · heard after ${ms(turn.pageMs)}`;
}

// Bubbles by item id, placed after their previous item when the server says which one that is.
export class Transcript {
  constructor() {
    this.list = byId("transcript");
    this.bubbles = new Map();
    this.typed = []; // bubbles shown at once for typed text, before the server names their item
  }

  ensure(itemId, role, previousItemId) {
    let bubble = this.bubbles.get(itemId);
    if (bubble) return bubble;
    bubble = this.bubble(role);
    bubble.dataset.itemId = itemId;
    this.bubbles.set(itemId, bubble);
    const previous = previousItemId ? this.bubbles.get(previousItemId) : null;
    stickToEnd(this.list, () => {
      if (previous?.parentNode === this.list) previous.after(bubble);
      else this.list.append(bubble);
    });
    return bubble;
  }

  bubble(role) {
    const who = role === "user" ? "You" : "Assistant";
    return h(
      "li",
      { class: `bubble ${role}`, dataset: { role } },
      h("span", { class: "who" }, who),
      h("p", { class: "text" }),
      h("p", { class: "meta", hidden: true }),
    );
  }

  placeholder(itemId, previousItemId) {
    const bubble = this.ensure(itemId, "user", previousItemId);
    const text = bubble.querySelector(".text");
    if (!text.textContent) {
      text.textContent = "…";
      bubble.classList.add("pending");
      bubble.setAttribute("aria-busy", "true");
    }
  }

  append(itemId, role, delta) {
    const bubble = this.ensure(itemId, role);
    const text = bubble.querySelector(".text");
    if (bubble.classList.contains("pending")) {
      text.textContent = "";
      bubble.classList.remove("pending");
    }
    bubble.setAttribute("aria-busy", "true");
    stickToEnd(this.list, () => text.append(delta));
  }

  finish(itemId, role, fullText) {
    const bubble = this.ensure(itemId, role);
    const text = bubble.querySelector(".text");
    bubble.classList.remove("pending");
    bubble.removeAttribute("aria-busy");
    if (typeof fullText === "string" && fullText) stickToEnd(this.list, () => (text.textContent = fullText));
    else if (text.textContent === "…") text.textContent = "";
  }

  failed(itemId) {
    const bubble = this.ensure(itemId, "user");
    bubble.classList.remove("pending");
    bubble.classList.add("unheard");
    bubble.removeAttribute("aria-busy");
    bubble.querySelector(".text").textContent = "(not transcribed)";
  }

  typedNow(text) {
    const bubble = this.bubble("user");
    bubble.querySelector(".text").textContent = text;
    bubble.classList.add("sending");
    this.typed.push({ text, bubble });
    stickToEnd(this.list, () => this.list.append(bubble));
  }

  // The server's conversation.item.created for typed text: the bubble already shown takes its id.
  adoptTyped(itemId, text) {
    const index = this.typed.findIndex((entry) => entry.text === text);
    if (index < 0) return false;
    const { bubble } = this.typed.splice(index, 1)[0];
    bubble.classList.remove("sending");
    bubble.dataset.itemId = itemId;
    this.bubbles.set(itemId, bubble);
    return true;
  }

  markCut(itemId) {
    const bubble = this.bubbles.get(itemId);
    if (!bubble || bubble.classList.contains("cut")) return;
    bubble.classList.add("cut");
    bubble.removeAttribute("aria-busy");
    bubble.querySelector(".who").after(h("span", { class: "cut-label" }, "cut off"));
  }

  setMeta(itemId, text) {
    const meta = this.bubbles.get(itemId)?.querySelector(".meta");
    if (!meta) return;
    meta.textContent = text;
    meta.hidden = false;
  }
}

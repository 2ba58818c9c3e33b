// The collapsible event log: session, tool calls with arguments and timings, usage and cost, errors, latency.

import { byId, h, stickToEnd } from "./dom.js";
import { cost, count, ms } from "./format.js";

const MAX_ENTRIES = 300;

export class EventLog {
  constructor() {
    this.list = byId("log-list");
    this.summary = byId("log-summary");
    this.started = performance.now();
    this.calls = new Map(); // call_id -> entry
  }

  reset() {
    this.started = performance.now();
  }

  add(kind, text, detail) {
    const seconds = ((performance.now() - this.started) / 1000).toFixed(1);
    const entry = h(
      "li",
      { class: "entry", dataset: { kind } },
      h("span", { class: "when" }, `${seconds}s`),
      h("span", { class: "kind" }, kind),
      h("span", { class: "what" }, text),
      detail ? h("pre", { class: "detail" }, detail) : null,
    );
    stickToEnd(this.list, () => {
      this.list.append(entry);
      while (this.list.childElementCount > MAX_ENTRIES) this.list.firstElementChild.remove();
    });
    return entry;
  }

  session(text) {
    this.add("session", text);
  }

  error(error = {}) {
    this.add("error", `${error.code || error.type || "error"}: ${error.message || "no message"}`);
  }

  toolCall({ call_id: callId, name, arguments: args, status, duration_ms: durationMs, error }) {
    const timing = durationMs === undefined || durationMs === null ? "" : ` in ${ms(durationMs)}`;
    const failure = error ? ` — ${typeof error === "string" ? error : JSON.stringify(error)}` : "";
    const text = `${name} ${status.replace("_", " ")}${timing}${failure}`;
    const detail = status === "started" ? prettyArguments(args) : null;
    const entry = this.add(status === "started" || status === "completed" ? "tool" : "error", text, detail);
    if (callId) entry.dataset.callId = callId;
  }

  usage({ response_id: responseId, usage = {}, cost: spent, session }) {
    const tokens = `${count(usage.input_tokens)} in · ${count(usage.output_tokens)} out · ${count(usage.total_tokens)} total`;
    const price = spent ? ` · ${cost(spent)}` : "";
    this.add("usage", `${responseId ?? "response"}: ${tokens} tokens${price}`);
    if (session) {
      const sessionCost = session.cost ? ` · ${cost(session.cost)}` : "";
      this.summary.textContent = `— session: ${count(session.total_tokens)} tokens${sessionCost}`;
    }
  }

  latency(responseId, measure, value) {
    this.add("latency", `${responseId}: ${measure} ${ms(value)}`);
  }
}

function prettyArguments(args) {
  if (args === undefined || args === null || args === "") return null;
  if (typeof args !== "string") return JSON.stringify(args, null, 2);
  try {
    return JSON.stringify(JSON.parse(args), null, 2);
  } catch {
    return args;
  }
}

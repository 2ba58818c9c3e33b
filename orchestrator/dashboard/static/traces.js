// Traces: the newest traces (filter by service, name, errors); a row opens its waterfall.

import { byId, colorOf, fmtClock, fmtMs, fmtValue, getJSON, h } from "./dom.js";

let openTrace = null;
let openSpan = null;
let lastList = [];
let drawn = "";

function filtered(traces) {
  const name = byId("trace-name").value.trim().toLowerCase();
  const errorsOnly = byId("trace-errors").checked;
  return traces.filter((t) => (!errorsOnly || t.error) && (!name || t.root.toLowerCase().includes(name)));
}

function serviceChip(service) {
  const chip = h("span", { class: "chip" }, service);
  chip.style.borderColor = colorOf(service);
  return chip;
}

function renderList() {
  const traces = filtered(lastList);
  byId("traces-table").tBodies[0].replaceChildren(
    ...traces.map((t) =>
      h(
        "tr",
        {
          class: `trace${t.error ? " error" : ""}${t.trace_id === openTrace ? " selected" : ""}`,
          dataset: { traceId: t.trace_id },
          tabindex: 0,
          onclick: () => openWaterfall(t.trace_id),
          onkeydown: (event) => event.key === "Enter" && openWaterfall(t.trace_id),
        },
        h("td", {}, fmtClock(t.start)),
        h("td", { class: "name" }, t.error ? h("span", { class: "err-mark", title: "has an error" }, "!") : null, t.root),
        h("td", {}, t.services.map(serviceChip)),
        h("td", { class: "num" }, t.span_count),
        h("td", { class: "num" }, fmtMs(t.duration_ms)),
      ),
    ),
  );
  byId("traces-empty").hidden = lastList.length > 0;
  byId("trace-count").textContent = `${traces.length} of ${lastList.length} shown`;
}

function fillServices(services) {
  const select = byId("trace-service");
  const current = select.value;
  select.replaceChildren(h("option", { value: "" }, "all services"), ...services.map((s) => h("option", { value: s }, s)));
  select.value = services.includes(current) ? current : "";
}

function spanDetail(span) {
  const rows = Object.entries(span.attributes).map(([k, v]) => h("tr", {}, h("th", {}, k), h("td", {}, fmtValue(v))));
  return [
    h("h3", {}, span.name),
    h(
      "p",
      { class: "muted" },
      `${span.service} · ${span.kind} · starts at ${fmtMs(span.start_ms)} · lasts ${fmtMs(span.duration_ms)} · status ${span.status.code}`,
      span.status.message ? ` (${span.status.message})` : "",
    ),
    rows.length ? h("table", { class: "attrs" }, h("tbody", {}, rows)) : h("p", { class: "muted" }, "no attributes"),
    span.events.length
      ? h("ul", { class: "events" }, span.events.map((e) => h("li", {}, `${fmtMs(e.offset_ms)} · ${e.name}`)))
      : null,
  ];
}

function renderWaterfall(trace) {
  const key = `${JSON.stringify(trace)}|${openSpan}`;
  if (key === drawn && !byId("waterfall").hidden) return;
  drawn = key;
  const total = Math.max(trace.duration_ms, 0.001);
  byId("waterfall-title").textContent = `${trace.root} · ${fmtMs(trace.duration_ms)} · ${trace.span_count} spans`;
  byId("waterfall-legend").replaceChildren(...trace.services.map(serviceChip));
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const tick = h("span", { class: "tick" }, fmtMs(total * f));
    tick.style.left = `${f * 100}%`;
    return tick;
  });
  const header = h("div", { class: "wf-row wf-axis" }, h("div", { class: "wf-label" }, "span"), h("div", { class: "wf-track" }, ticks));
  const rows = trace.spans.map((span) => {
    const bar = h("div", { class: `wf-bar${span.status.code === "error" ? " error" : ""}`, title: `${span.name} ${fmtMs(span.duration_ms)}` });
    bar.style.left = `${(span.start_ms / total) * 100}%`;
    bar.style.width = `${Math.max((span.duration_ms / total) * 100, 0.4)}%`;
    bar.style.background = colorOf(span.service);
    const label = h("div", { class: "wf-label" }, h("span", { class: "wf-name" }, span.name));
    label.style.paddingLeft = `${0.4 + span.depth * 1.1}rem`;
    const rowElement = h(
      "div",
      {
        class: `wf-row span${span.span_id === openSpan ? " selected" : ""}`,
        dataset: { spanId: span.span_id, depth: span.depth },
        tabindex: 0,
        onclick: () => selectSpan(trace, span.span_id),
        onkeydown: (event) => event.key === "Enter" && selectSpan(trace, span.span_id),
      },
      label,
      h("div", { class: "wf-track" }, bar, h("span", { class: "wf-duration" }, fmtMs(span.duration_ms))),
    );
    return rowElement;
  });
  byId("waterfall-rows").replaceChildren(header, ...rows);
  const chosen = trace.spans.find((span) => span.span_id === openSpan);
  const detail = byId("span-detail");
  detail.hidden = !chosen;
  if (chosen) detail.replaceChildren(...spanDetail(chosen).filter(Boolean));
  byId("waterfall").hidden = false;
}

function selectSpan(trace, spanId) {
  openSpan = openSpan === spanId ? null : spanId;
  renderWaterfall(trace);
}

async function openWaterfall(traceId) {
  if (openTrace !== traceId) openSpan = null;
  openTrace = traceId;
  location.hash = `#traces/${traceId}`;
  renderList();
  await refreshWaterfall();
}

async function refreshWaterfall() {
  if (!openTrace) return;
  try {
    renderWaterfall(await getJSON(`api/traces/${encodeURIComponent(openTrace)}`));
  } catch {
    byId("waterfall-title").textContent = "this trace was evicted";
  }
}

export function setupTraces(onChange) {
  byId("trace-service").addEventListener("change", onChange);
  byId("trace-name").addEventListener("input", renderList);
  byId("trace-errors").addEventListener("change", renderList);
  byId("trace-filters").addEventListener("submit", (event) => event.preventDefault());
  byId("waterfall-close").addEventListener("click", () => {
    openTrace = openSpan = null;
    drawn = "";
    byId("waterfall").hidden = true;
    location.hash = "#traces";
    renderList();
  });
  const match = location.hash.match(/^#traces\/([0-9a-f]{32})$/);
  if (match) openTrace = match[1];
}

export async function refreshTraces() {
  const service = byId("trace-service").value;
  const data = await getJSON(`api/traces?limit=200${service ? `&service=${encodeURIComponent(service)}` : ""}`);
  lastList = data.traces;
  fillServices(data.services);
  renderList();
  await refreshWaterfall();
  return `${data.count} traces, ${data.span_count} spans`;
}

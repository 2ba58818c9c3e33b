// Metrics: one card per question ops ask — big numbers first, a small chart of the last minutes below.

import { barChart, legend, lineChart } from "./charts.js";
import { byId, fmtMoney, fmtMs, fmtNumber, fmtPercent, fmtRate, h } from "./dom.js";

function card(id, title, figures, chart, note) {
  return h(
    "article",
    { class: "card", id: `card-${id}` },
    h("h2", {}, title),
    h(
      "div",
      { class: "figures" },
      figures.map(([label, value, big]) =>
        h("div", { class: `figure${big ? " big" : ""}` }, h("span", { class: "value" }, value), h("span", { class: "label" }, label)),
      ),
    ),
    chart,
    note ? h("p", { class: "note" }, note) : null,
  );
}

function withLegend(series, options) {
  return h("div", { class: "chart-box" }, lineChart(series, options), series.length > 1 ? legend(series) : null);
}

function httpCard(http) {
  const routes = http.routes;
  const requests = routes.reduce((n, r) => n + r.requests, 0);
  const errors = routes.reduce((n, r) => n + r.errors, 0);
  const perSecond = routes.reduce((n, r) => n + r.requests_per_s, 0);
  return card(
    "requests",
    "HTTP requests",
    [
      ["req/s (last minute)", fmtRate(perSecond), true],
      ["5xx errors", fmtPercent(requests ? errors / requests : null)],
      ["requests (window)", fmtNumber(requests)],
    ],
    withLegend(http.rate_series, { format: (v) => `${fmtRate(v)}/s` }),
  );
}

function latencyCard(http) {
  const worst = http.routes.filter((r) => r.p95_ms !== null).sort((a, b) => b.p95_ms - a.p95_ms)[0];
  return card(
    "latency",
    "HTTP latency p95",
    [
      ["slowest route p95", fmtMs(worst?.p95_ms ?? null), true],
      ["route", worst ? `${worst.method} ${worst.route}` : "–"],
    ],
    withLegend(http.p95_series, { format: fmtMs }),
  );
}

function turnCard(server, played) {
  return card(
    "first-audio",
    "End of speech → first audio",
    [
      ["p50", fmtMs(server.p50_ms), true],
      ["p95", fmtMs(server.p95_ms), true],
      ["page-measured p50 / p95", `${fmtMs(played.p50_ms)} / ${fmtMs(played.p95_ms)}`],
      ["turns", fmtNumber(server.count)],
    ],
    withLegend(server.series, { format: fmtMs }),
  );
}

function toolsCard(tools) {
  const calls = tools.reduce((n, t) => n + t.count, 0);
  return card(
    "tools",
    "Tool latency p95 (tick: p50)",
    [
      ["tool calls (window)", fmtNumber(calls), true],
      ["failures", fmtNumber(tools.reduce((n, t) => n + t.failures, 0))],
    ],
    barChart(
      tools.map((t) => ({ label: t.tool, value: t.p95_ms, marker: t.p50_ms })),
      { format: fmtMs },
    ),
  );
}

function usageCards(m) {
  const perSession = (usage, format) => (usage.per_session === null ? "–" : format(usage.per_session));
  return [
    card(
      "sessions",
      "Voice sessions",
      [
        ["active now", fmtNumber(m.sessions.active ?? 0), true],
        ["started", fmtNumber(m.sessions.started)],
      ],
      withLegend(m.sessions.series, { format: (v) => fmtNumber(v) }),
    ),
    card(
      "tokens",
      "Tokens",
      [
        ["total", fmtNumber(m.tokens.total), true],
        ["per session", perSession(m.tokens, (v) => fmtNumber(v))],
        ["in / out", `${fmtNumber(m.tokens.by_direction.input ?? 0)} / ${fmtNumber(m.tokens.by_direction.output ?? 0)}`],
      ],
      withLegend(m.tokens.series, { format: (v) => `${fmtRate(v)}/s` }),
    ),
    card(
      "cost",
      "Model cost",
      [
        ["total", fmtMoney(m.cost.total, m.cost.currency), true],
        ["per session", perSession(m.cost, (v) => fmtMoney(v, m.cost.currency))],
      ],
      withLegend(m.cost.series, { format: (v) => fmtMoney(v) }),
    ),
    card(
      "embeddings",
      "Embeddings computed",
      [["total", fmtNumber(m.embeddings.computed), true]],
      withLegend(m.embeddings.series, { format: (v) => `${fmtRate(v)}/s` }),
    ),
    card(
      "index",
      "Vector index size",
      [
        ["vectors", fmtNumber(m.index.size), true],
        ["kind", Object.keys(m.index.by_kind).join(", ") || "–"],
      ],
      withLegend(m.index.series, { format: (v) => fmtNumber(v) }),
    ),
  ];
}

function routeRows(routes) {
  return routes.map((r) =>
    h(
      "tr",
      { class: r.errors ? "has-errors" : "" },
      h("td", {}, r.service),
      h("td", { class: "name" }, `${r.method} ${r.route}`),
      h("td", { class: "num" }, fmtRate(r.requests_per_s)),
      h("td", { class: "num" }, fmtNumber(r.requests)),
      h("td", { class: "num" }, r.errors ? `${r.errors} (${fmtPercent(r.error_rate)})` : "0"),
      h("td", { class: "num" }, fmtMs(r.p50_ms)),
      h("td", { class: "num" }, fmtMs(r.p95_ms)),
    ),
  );
}

function toolRows(tools) {
  return tools.map((t) =>
    h(
      "tr",
      {},
      h("td", { class: "name" }, t.tool),
      h("td", { class: "num" }, fmtNumber(t.count)),
      h("td", { class: "num" }, fmtNumber(t.failures)),
      h("td", { class: "num" }, fmtMs(t.p50_ms)),
      h("td", { class: "num" }, fmtMs(t.p95_ms)),
    ),
  );
}

export function renderMetrics(m) {
  byId("metric-cards").replaceChildren(
    httpCard(m.http),
    latencyCard(m.http),
    turnCard(m.first_audio, m.first_audio_played),
    toolsCard(m.tools),
    ...usageCards(m),
  );
  byId("routes-table").tBodies[0].replaceChildren(...routeRows(m.http.routes));
  byId("tools-table").tBodies[0].replaceChildren(...toolRows(m.tools));
}

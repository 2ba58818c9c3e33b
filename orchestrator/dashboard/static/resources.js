// Resources: one row per service (state, health, pid, uptime, restarts, URL); a row opens its recent logs.

import { byId, fmtClock, fmtDuration, getJSON, h } from "./dom.js";

let selected = null;

function safeUrl(url) {
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

function row(resource) {
  const url = resource.url ? safeUrl(resource.url) : null;
  return h(
    "tr",
    {
      class: `resource${resource.name === selected ? " selected" : ""}`,
      dataset: { name: resource.name, state: resource.state },
      tabindex: 0,
      onclick: () => select(resource.name),
      onkeydown: (event) => event.key === "Enter" && select(resource.name),
    },
    h("td", { class: "name" }, resource.name),
    h("td", {}, h("span", { class: `pill state-${resource.state}` }, resource.state)),
    h("td", {}, h("span", { class: `pill health-${resource.health}` }, resource.health)),
    h("td", { class: "num" }, resource.pid ?? "–"),
    h("td", { class: "num" }, fmtDuration(resource.uptime_s)),
    h("td", { class: `num${resource.restarts > 0 ? " warn" : ""}` }, resource.restarts ?? 0),
    h("td", {}, url ? h("a", { href: url, target: "_blank", rel: "noopener" }, resource.url) : "–"),
    h("td", { class: "detail" }, resource.detail || ""),
  );
}

async function showLogs() {
  const panel = byId("resource-logs");
  if (!selected) {
    panel.hidden = true;
    return;
  }
  const data = await getJSON(`api/resources/${encodeURIComponent(selected)}/logs?limit=200`);
  byId("logs-name").textContent = selected;
  const box = byId("logs-lines");
  const atEnd = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  box.replaceChildren(
    ...(data.logs.length
      ? data.logs.map((line) =>
          h(
            "div",
            { class: `log-line ${line.stream === "stderr" ? "stderr" : "stdout"}` },
            h("time", {}, line.ts ? fmtClock(line.ts) : ""),
            h("span", { class: "text" }, line.line),
          ),
        )
      : [h("p", { class: "empty" }, "no output yet")]),
  );
  panel.hidden = false;
  if (atEnd) box.scrollTop = box.scrollHeight;
}

async function select(name) {
  selected = selected === name ? null : name;
  for (const tr of byId("resources-table").tBodies[0].rows) tr.classList.toggle("selected", tr.dataset.name === selected);
  await showLogs();
}

export async function refreshResources() {
  const data = await getJSON("api/resources");
  byId("resources-table").tBodies[0].replaceChildren(...data.resources.map(row));
  byId("resources-empty").hidden = data.resources.length > 0;
  if (selected && !data.resources.some((r) => r.name === selected)) selected = null;
  await showLogs();
  const down = data.resources.filter((r) => r.state === "failed" || r.health === "unhealthy").length;
  return `${data.resources.length} resources${down ? `, ${down} unhealthy` : ""}`;
}

// The dashboard page: three tabs (Resources, Traces, Metrics), the open one refreshed every few seconds.

import { byId, getJSON } from "./dom.js";
import { renderMetrics } from "./metrics.js";
import { refreshResources } from "./resources.js";
import { refreshTraces, setupTraces } from "./traces.js";

const TABS = ["resources", "traces", "metrics"];
let refreshMs = 3000;
let timer = null;
let busy = false;

async function refreshMetrics() {
  const data = await getJSON("api/metrics/summary");
  renderMetrics(data);
  return `metrics over the last ${Math.round(data.window_s / 60)} min`;
}

const REFRESH = { resources: refreshResources, traces: refreshTraces, metrics: refreshMetrics };

function currentTab() {
  const name = location.hash.slice(1).split("/")[0];
  return TABS.includes(name) ? name : "resources";
}

async function refresh() {
  if (busy) return;
  busy = true;
  const tab = currentTab();
  const status = byId("status");
  try {
    const summary = await REFRESH[tab]();
    status.textContent = `${summary} · updated ${new Date().toLocaleTimeString("en-GB", { hour12: false })}`;
    status.classList.remove("failing");
    document.body.dataset.loaded = tab;
  } catch (error) {
    status.textContent = `cannot refresh: ${error.message}`;
    status.classList.add("failing");
  } finally {
    busy = false;
  }
}

function show() {
  const tab = currentTab();
  for (const name of TABS) {
    byId(`panel-${name}`).hidden = name !== tab;
    document.querySelector(`.tabs a[data-tab="${name}"]`).classList.toggle("active", name === tab);
  }
  document.body.dataset.view = tab;
  refresh();
}

async function start() {
  try {
    refreshMs = (await getJSON("api/stats")).refresh_ms ?? refreshMs;
  } catch {
    // keep the default
  }
  setupTraces(refresh);
  window.addEventListener("hashchange", show);
  show();
  timer = setInterval(refresh, refreshMs);
}

document.addEventListener("visibilitychange", () => {
  if (document.hidden) {
    clearInterval(timer);
    timer = null;
  } else if (timer === null) {
    refresh();
    timer = setInterval(refresh, refreshMs);
  }
});

start();

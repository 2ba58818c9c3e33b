// Small inline SVG charts: lines over time (gaps where nothing was recorded) and horizontal bars.

const SVG = "http://www.w3.org/2000/svg";

function s(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children) element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return element;
}

function niceMax(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * power >= value) ?? 10;
  return step * power;
}

const LINE_COLORS = ["#2a6fdb", "#d9822b", "#2f9e6b", "#b54fc4", "#c9404a", "#1d9aa8"];

// series: [{name, points: [[epochSeconds, value | null], ...]}]; format: value → label.
export function lineChart(series, { width = 320, height = 110, format = String, colors = LINE_COLORS } = {}) {
  const pad = { left: 4, right: 4, top: 16, bottom: 16 };
  const all = series.flatMap((one) => one.points);
  const values = all.map(([, v]) => v).filter((v) => v !== null && v !== undefined);
  const times = all.map(([t]) => t);
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const top = niceMax(Math.max(0, ...values));
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const x = (t) => pad.left + (t1 > t0 ? ((t - t0) / (t1 - t0)) * plotW : plotW);
  const y = (v) => pad.top + plotH - (v / top) * plotH;
  const svg = s("svg", {
    class: "chart line-chart",
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": series.map((one) => one.name).join(", "),
  });
  svg.append(
    s("line", { class: "axis", x1: pad.left, x2: width - pad.right, y1: y(0), y2: y(0) }),
    s("line", { class: "grid-line", x1: pad.left, x2: width - pad.right, y1: y(top), y2: y(top) }),
    s("text", { class: "tick", x: pad.left, y: pad.top - 4 }, format(top)),
  );
  if (times.length) {
    const minutes = Math.round((t1 - t0) / 60);
    svg.append(
      s("text", { class: "tick", x: pad.left, y: height - 3 }, `−${minutes} min`),
      s("text", { class: "tick", x: width - pad.right, y: height - 3, "text-anchor": "end" }, "now"),
    );
  }
  if (!values.length) {
    svg.append(s("text", { class: "no-data", x: width / 2, y: pad.top + plotH / 2, "text-anchor": "middle" }, "no data yet"));
    return svg;
  }
  series.forEach((one, index) => {
    const color = colors[index % colors.length];
    let path = "";
    let run = 0;
    one.points.forEach(([t, v], i) => {
      if (v === null || v === undefined) {
        run = 0;
        return;
      }
      path += `${run === 0 ? "M" : "L"}${x(t).toFixed(1)},${y(v).toFixed(1)}`;
      run += 1;
      const next = one.points[i + 1];
      if (run === 1 && (!next || next[1] === null || next[1] === undefined)) {
        svg.append(s("circle", { class: "dot", cx: x(t).toFixed(1), cy: y(v).toFixed(1), r: 2.2, fill: color }));
      }
    });
    if (path) svg.append(s("path", { class: "series", d: path, stroke: color, fill: "none" }, s("title", {}, one.name)));
  });
  return svg;
}

export function legend(series, colors = LINE_COLORS) {
  const box = document.createElement("div");
  box.className = "chart-legend";
  series.forEach((one, index) => {
    const item = document.createElement("span");
    const swatch = document.createElement("i");
    swatch.style.background = colors[index % colors.length];
    item.append(swatch, one.name);
    box.append(item);
  });
  return box;
}

// items: [{label, value, marker?}]: a bar per item up to `value`, a tick at `marker` (e.g. p50 in a p95 bar).
export function barChart(items, { width = 320, format = String } = {}) {
  const row = 20;
  const labelW = 110;
  const valueW = 64;
  const height = Math.max(items.length, 1) * row + 4;
  const top = niceMax(Math.max(0, ...items.map((item) => item.value ?? 0)));
  const plotW = width - labelW - valueW;
  const svg = s("svg", { class: "chart bar-chart", viewBox: `0 0 ${width} ${height}`, role: "img" });
  if (!items.length) {
    svg.append(s("text", { class: "no-data", x: width / 2, y: 14, "text-anchor": "middle" }, "no data yet"));
    return svg;
  }
  items.forEach((item, index) => {
    const yTop = 2 + index * row;
    const barW = item.value ? Math.max((item.value / top) * plotW, 1.5) : 0;
    svg.append(
      s("text", { class: "bar-label", x: labelW - 6, y: yTop + 14, "text-anchor": "end" }, item.label),
      s("rect", { class: "bar", x: labelW, y: yTop + 3, width: barW.toFixed(1), height: row - 6, rx: 2 }),
      s("text", { class: "bar-value", x: width - 2, y: yTop + 14, "text-anchor": "end" }, format(item.value)),
    );
    if (item.marker) {
      const mx = labelW + (item.marker / top) * plotW;
      svg.append(s("line", { class: "bar-marker", x1: mx, x2: mx, y1: yTop + 1, y2: yTop + row - 1 }));
    }
  });
  return svg;
}

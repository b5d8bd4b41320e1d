// SPDX-License-Identifier: GPL-3.0-or-later
// A chart of one figure per work block over the last weeks, as SVG: axes
// with units, one dot per block, a line through the mean of each day.
// Written by hand: two small charts do not need a library, and SVG text
// stays readable and scales with the page. Each chart has a table of the
// same values next to it for screen readers and for exact reading.
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";

function svgElement(name, attrs = {}, text) {
  const el = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

// 1, 2, 2.5 or 5 times a power of ten, at least @v: a step of the scale.
function niceStep(v) {
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((c) => c >= v);
}

function localDay(iso) {
  const d = new Date(iso);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}

// @blocks: the server's blocks; @value(block) a number or null; @format a
// number as text; @max the top of the scale or null to fit the data.
function blockChart(blocks, { value, format, max = null, unit, label, maxDays = 28 }) {
  const width = 760, height = 280, left = 64, right = 16, top = 30, bottom = 48;
  const svg = svgElement("svg", { viewBox: `0 0 ${width} ${height}`, role: "img" });
  const points = blocks.filter((b) => value(b) !== null && value(b) !== undefined);
  const today = localDay(Date.now());
  // From the first block on, two weeks at least: no empty weeks before it.
  const since = blocks.length ? Math.round((today - localDay(blocks[0].start)) / 86400000) + 1 : 14;
  const days = Math.min(maxDays, Math.max(14, since));
  const first = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (days - 1));
  const dayIndex = (iso) => Math.round((localDay(iso) - first) / 86400000);
  const slot = (width - left - right) / days;
  const top_ = max ?? 4 * niceStep((Math.max(1, ...points.map(value)) * 1.1) / 4);
  const x = (day, k, n) => left + (day + (k + 0.5) / n) * slot;
  const y = (v) => top + (1 - Math.min(v, top_) / top_) * (height - top - bottom);

  if (points.length) {
    const values = points.map(value);
    const summary = t("chart_summary", label, points.length, shortDate(points[0].start),
      shortDate(points.at(-1).start), format(Math.min(...values)), format(Math.max(...values)), format(values.at(-1)));
    svg.setAttribute("aria-label", summary);
    svg.appendChild(svgElement("title", {}, summary));
  } else {
    svg.setAttribute("aria-label", `${label}: ${t("no_data")}`);
  }

  // The value axis: five steps from zero to the top, with grid lines.
  for (let i = 0; i <= 4; i++) {
    const v = (top_ * i) / 4;
    svg.appendChild(svgElement("line", { x1: left, x2: width - right, y1: y(v), y2: y(v), class: i ? "grid-line" : "axis" }));
    svg.appendChild(svgElement("text", { x: left - 8, y: y(v) + 4, "text-anchor": "end", class: "tick" }, format(v)));
  }
  svg.appendChild(svgElement("line", { x1: left, x2: left, y1: top - 6, y2: height - bottom, class: "axis" }));
  svg.appendChild(svgElement("text", { x: left - 56, y: 16, class: "unit" }, unit));
  // The time axis: a tick for each day, a date on the first day, on each
  // Monday not too close to it or to today, and on today.
  for (let d = 0; d < days; d++) {
    const day = new Date(first.getFullYear(), first.getMonth(), first.getDate() + d);
    const cx = left + (d + 0.5) * slot;
    svg.appendChild(svgElement("line", { x1: cx, x2: cx, y1: height - bottom, y2: height - bottom + 5, class: "axis" }));
    if (d === 0 || d === days - 1 || (day.getDay() === 1 && d >= 3 && d < days - 3))
      svg.appendChild(svgElement("text", { x: cx, y: height - bottom + 22, "text-anchor": "middle", class: "tick" },
        shortDate(day)));
  }
  svg.appendChild(svgElement("text", { x: width - right, y: height - 6, "text-anchor": "end", class: "unit" }, t("axis_day")));

  if (!points.length) {
    svg.appendChild(svgElement("text", { x: left + 12, y: top + 40, class: "none" }, t("no_data")));
    return svg;
  }
  // One dot per block, spread over its day; a line through the day means.
  const byDay = new Map();
  for (const b of points) {
    const d = dayIndex(b.start);
    if (!byDay.has(d)) byDay.set(d, []);
    byDay.get(d).push(b);
  }
  const means = [];
  for (const [d, list] of [...byDay].sort((a, b) => a[0] - b[0])) {
    list.forEach((b, k) => {
      const dot = svgElement("circle", { cx: x(d, k, list.length), cy: y(value(b)), r: 5, class: "dot" });
      dot.appendChild(svgElement("title", {}, `${shortDate(b.start)} ${clock(b.start)}: ${format(value(b))}`));
      svg.appendChild(dot);
    });
    const mean = list.reduce((s, b) => s + value(b), 0) / list.length;
    means.push(`${left + (d + 0.5) * slot},${y(mean)}`);
  }
  if (means.length > 1) svg.appendChild(svgElement("polyline", { points: means.join(" "), class: "mean" }));
  return svg;
}

// A table of the same blocks: @columns are [heading, block → text, numeric].
function blockTable(blocks, caption, columns) {
  const table = document.createElement("table");
  const cap = document.createElement("caption");
  cap.textContent = caption;
  const head = document.createElement("tr");
  for (const [name, , numeric] of columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = name;
    if (numeric) th.className = "number";
    head.appendChild(th);
  }
  const thead = document.createElement("thead");
  thead.appendChild(head);
  const tbody = document.createElement("tbody");
  for (const b of blocks) {
    const tr = document.createElement("tr");
    for (const [, cell, numeric] of columns) {
      const td = document.createElement("td");
      td.textContent = cell(b);
      if (numeric) td.className = "number";
      tr.appendChild(td);
    }
    tbody.appendChild(tr);
  }
  table.append(cap, thead, tbody);
  return table;
}

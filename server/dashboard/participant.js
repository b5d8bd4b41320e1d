// SPDX-License-Identifier: GPL-3.0-or-later
// One participant: today, this block next to their own last weeks,
// progress over days and blocks, the plan editor.
"use strict";

const id = new URLSearchParams(location.search).get("id");
let person = null;
let history = null;
let signals = null;

function say(elementId, text) {
  document.getElementById(elementId).textContent = text;
}

function renderToday() {
  const dl = document.getElementById("today");
  const rows = [
    [t("name"), person.name],
    [t("state"), t(`state_${person.state}`) || person.state],
    [t("blocks"), person.block && person.blocks ? t("block_of", person.block, person.blocks) : "–"],
    [t("tasks"), String(person.tasks_today || 0)],
    [t("breaks"), String(person.breaks_today || 0)],
    [t("extra_pauses"), String(person.pauses_today || 0)],
    [t("refused"), String(person.refusals_today || 0)],
  ];
  dl.replaceChildren(...rows.flatMap(([k, v]) => {
    const dt = document.createElement("dt"); dt.textContent = k;
    const dd = document.createElement("dd"); dd.textContent = v;
    return [dt, dd];
  }));
  const state = document.getElementById("state");
  state.textContent = t(`state_${person.state}`) || person.state;
  state.dataset.state = person.state;
  document.getElementById("end-break").hidden = person.state !== "break";
  document.getElementById("ack-help").hidden = person.state !== "help";
}

// This block and the person's own usual, side by side; never other people.
function renderSignals() {
  const b = signals.block || {};
  const u = signals.usual || {};
  const show = (v, f) => (v === null || v === undefined ? "–" : f(v));
  const rows = [
    [t("tasks_per_hour_label"), show(b.tasks_per_hour, num), show(u.tasks_per_hour, num)],
    [t("quality_label"), show(b.quality, pct), show(u.quality, pct)],
    [t("task_time_label"), show(b.recent_task_seconds, taskTime), show(u.task_seconds, taskTime)],
    [t("pauses_label"), num(signals.pauses_today, 0), show(u.pauses_per_day, (v) => t("pauses_usual", num(v)))],
    [t("passes_label"), passesText(signals) || num(0, 0), "–"],
  ];
  document.querySelector("#now tbody").replaceChildren(...rows.map(([name, now, usual]) => {
    const tr = document.createElement("tr");
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = name;
    tr.appendChild(th);
    for (const v of [now, usual]) {
      const td = document.createElement("td");
      td.className = "number";
      td.textContent = v;
      tr.appendChild(td);
    }
    return tr;
  }));
  const hints = signals.hints.map(hintText).filter(Boolean);
  if (!hints.length) hints.push((u.days || 0) < 2 ? t("too_little") : t("no_hints"));
  document.getElementById("hints").replaceChildren(...hints.map((text) => {
    const li = document.createElement("li");
    li.textContent = text;
    return li;
  }));
}

function renderHistory() {
  const blocks = signals.blocks || [];
  const when = [t("date"), (b) => shortDate(b.start)];
  const start = [t("block_start"), (b) => clock(b.start)];
  const dash = (v, f) => (v === null ? "–" : f(v));
  document.getElementById("tph-chart").replaceChildren(blockChart(blocks, {
    value: (b) => b.tasks_per_hour, format: (v) => num(v, 0), unit: t("axis_tph"), label: t("tph_chart") }));
  document.getElementById("tph-table").replaceChildren(blockTable(blocks, t("tph_chart"), [when, start,
    [t("minutes_col"), (b) => num(b.minutes, 0), true], [t("tasks"), (b) => num(b.tasks, 0), true],
    [t("tasks_per_hour_short"), (b) => dash(b.tasks_per_hour, num), true]]));
  document.getElementById("quality-chart").replaceChildren(blockChart(blocks, {
    value: (b) => b.quality, format: pct, max: 1, unit: t("axis_quality"), label: t("quality_chart") }));
  document.getElementById("quality-table").replaceChildren(blockTable(blocks, t("quality_chart"), [when, start,
    [t("quality"), (b) => dash(b.quality, pct), true]]));

  const days = history.days || [];
  const body = document.querySelector("#days tbody");
  body.replaceChildren(...days.map((d) => {
    const tr = document.createElement("tr");
    // Under three minutes of recorded work is too little for a rate.
    const cells = [shortDate(d.date), num(d.tasks, 0), num(d.hours, 2), d.hours >= 0.05 ? num(d.tasks / d.hours) : "–",
      d.quality === null ? "–" : pct(d.quality), num(d.breaks, 0), num(d.pauses, 0)];
    cells.forEach((c, i) => {
      const td = document.createElement("td");
      td.textContent = c;
      if (i) td.className = "number";
      tr.appendChild(td);
    });
    return tr;
  }));
}

function renderRefusals() {
  const refusals = history.refusals || [];
  document.querySelector("#refusals tbody").replaceChildren(...refusals.map((r) => {
    const tr = document.createElement("tr");
    for (const c of [`${shortDate(r.at)} ${clock(r.at)}`, r.code, r.message]) {
      const td = document.createElement("td"); td.textContent = c; tr.appendChild(td);
    }
    return tr;
  }));
  document.getElementById("refusals").hidden = refusals.length === 0;
  document.getElementById("refusals-none").hidden = refusals.length > 0;
}

function fillPlan() {
  const s = person.settings || {};
  applyLimits(person.limits, { work_minutes: "plan-work", break_minutes: "plan-break", blocks: "plan-blocks" });
  const plan = s.plan || {};
  document.getElementById("plan-work").value = plan.work_minutes || 45;
  document.getElementById("plan-break").value = plan.break_minutes || 15;
  document.getElementById("plan-blocks").value = plan.blocks || 4;
  document.getElementById("plan-gold").value = Math.round(100 * (s.gold_share ?? 0.1));
  for (const r of document.querySelectorAll("input[name=rhythm]")) r.checked = r.value === (plan.rhythm || "personal");
  const kinds = s.kinds || ["bbox", "transcribe", "classify", "subtitle-review", "video-boxes"];
  for (const k of document.querySelectorAll("input[name=kinds]")) k.checked = kinds.includes(k.value);
  document.getElementById("plan-voice").checked = !!s.voice;
  document.getElementById("plan-voice-images").checked = !!s.voice_images;
  for (const r of document.querySelectorAll("input[name=verbosity]")) r.checked = r.value === (s.verbosity || "beginner");
}

async function load() {
  person = await api("GET", `/api/v1/participants/${encodeURIComponent(id)}`);
  history = await api("GET", `/api/v1/participants/${encodeURIComponent(id)}/history`);
  signals = await api("GET", `/api/v1/participants/${encodeURIComponent(id)}/signals`);
  document.getElementById("name").textContent = person.name;
  document.title = `annolab – ${person.name}`;
  document.getElementById("record-html").href = `/api/v1/participants/${encodeURIComponent(id)}/record?format=html`;
  document.getElementById("record-json").href = `/api/v1/participants/${encodeURIComponent(id)}/record`;
  renderToday();
  renderSignals();
  renderHistory();
  renderRefusals();
}

async function start() {
  applyLanguage();
  for (const b of document.querySelectorAll(".lang")) b.addEventListener("click", toggleLanguage);
  document.addEventListener("languagechange", () => person && (renderToday(), renderSignals(), renderHistory(), renderRefusals()));
  document.getElementById("end-break").addEventListener("click", async () => {
    try {
      await api("POST", `/api/v1/participants/${encodeURIComponent(id)}/end-break`);
      say("action-result", t("end_break_done"));
    } catch (e) { say("action-result", t("error", e.message)); }
  });
  document.getElementById("ack-help").addEventListener("click", async () => {
    try {
      await api("POST", `/api/v1/participants/${encodeURIComponent(id)}/help/ack`);
      say("action-result", t("ack_done"));
    } catch (e) { say("action-result", t("error", e.message)); }
  });
  document.getElementById("plan-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const settings = {
      plan: {
        work_minutes: Number(document.getElementById("plan-work").value),
        break_minutes: Number(document.getElementById("plan-break").value),
        blocks: Number(document.getElementById("plan-blocks").value),
        rhythm: document.querySelector("input[name=rhythm]:checked")?.value || "personal",
      },
      gold_share: Number(document.getElementById("plan-gold").value) / 100,
      kinds: [...document.querySelectorAll("input[name=kinds]:checked")].map((k) => k.value),
      voice: document.getElementById("plan-voice").checked,
      voice_images: document.getElementById("plan-voice-images").checked,
      verbosity: document.querySelector("input[name=verbosity]:checked")?.value || "beginner",
    };
    try {
      await api("PUT", `/api/v1/participants/${encodeURIComponent(id)}/settings`, settings);
      say("plan-result", t("plan_saved"));
    } catch (e) { say("plan-result", t("error", e.message)); }
  });
  document.getElementById("delete").addEventListener("click", async () => {
    if (!confirm(t("delete_confirm", person.name))) return;
    try {
      await api("DELETE", `/api/v1/participants/${encodeURIComponent(id)}`);
      say("delete-result", t("deleted"));
    } catch (e) { say("delete-result", t("error", e.message)); }
  });
  try {
    await load();
    fillPlan();
  } catch (e) {
    if (e.status === 401) location.href = "/coach/";
    else say("action-result", t("error", e.message));
  }
  setInterval(() => load().catch(() => {}), 5000);
}

document.addEventListener("DOMContentLoaded", start);

// SPDX-License-Identifier: GPL-3.0-or-later
// One participant: today, progress over days and blocks, the plan editor.
"use strict";

const id = new URLSearchParams(location.search).get("id");
let person = null;
let history = null;

function say(elementId, text) {
  document.getElementById(elementId).textContent = text;
}

function renderToday() {
  const dl = document.getElementById("today");
  const rows = [
    [t("name"), person.name],
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

function renderHistory() {
  const days = history.days || [];
  // Under three minutes of recorded work is too little for a rate.
  const tph = days.map((d) => (d.hours >= 0.05 ? d.tasks / d.hours : null));
  const maxTph = Math.max(10, ...tph.filter((v) => v !== null));
  document.getElementById("tph-chart").replaceChildren(
    lineChart(tph, { max: maxTph, label: t("tasks_per_hour"), percent: false }));
  document.getElementById("quality-chart").replaceChildren(
    lineChart((history.blocks || []).map((b) => b.quality), { label: t("quality_per_block") }));
  const body = document.querySelector("#days tbody");
  body.replaceChildren(...days.map((d) => {
    const tr = document.createElement("tr");
    const cells = [d.date, d.tasks, d.hours.toFixed(2), d.hours >= 0.05 ? (d.tasks / d.hours).toFixed(1) : "–",
      d.quality === null ? "–" : Math.round(d.quality * 100), d.breaks, d.pauses];
    for (const c of cells) {
      const td = document.createElement("td"); td.textContent = String(c); tr.appendChild(td);
    }
    return tr;
  }));
}

function renderRefusals() {
  const refusals = history.refusals || [];
  document.querySelector("#refusals tbody").replaceChildren(...refusals.map((r) => {
    const tr = document.createElement("tr");
    for (const c of [new Date(r.at).toLocaleString(LANG), r.code, r.message]) {
      const td = document.createElement("td"); td.textContent = c; tr.appendChild(td);
    }
    return tr;
  }));
  document.getElementById("refusals").hidden = refusals.length === 0;
  document.getElementById("refusals-none").hidden = refusals.length > 0;
}

function fillPlan() {
  const s = person.settings || {};
  const plan = s.plan || {};
  document.getElementById("plan-work").value = plan.work_minutes || 45;
  document.getElementById("plan-break").value = plan.break_minutes || 15;
  document.getElementById("plan-blocks").value = plan.blocks || 4;
  document.getElementById("plan-gold").value = Math.round(100 * (s.gold_share ?? 0.1));
  for (const r of document.querySelectorAll("input[name=rhythm]")) r.checked = r.value === (plan.rhythm || "personal");
  const kinds = s.kinds || ["bbox", "transcribe"];
  for (const k of document.querySelectorAll("input[name=kinds]")) k.checked = kinds.includes(k.value);
  document.getElementById("plan-voice").checked = !!s.voice;
}

async function load() {
  person = await api("GET", `/api/v1/participants/${encodeURIComponent(id)}`);
  history = await api("GET", `/api/v1/participants/${encodeURIComponent(id)}/history`);
  document.getElementById("name").textContent = person.name;
  document.title = `annolab – ${person.name}`;
  document.getElementById("record-html").href = `/api/v1/participants/${encodeURIComponent(id)}/record?format=html`;
  document.getElementById("record-json").href = `/api/v1/participants/${encodeURIComponent(id)}/record`;
  renderToday();
  renderHistory();
  renderRefusals();
  fillPlan();
}

async function start() {
  applyLanguage();
  document.getElementById("lang").addEventListener("click", toggleLanguage);
  document.addEventListener("languagechange", () => person && (renderToday(), renderHistory(), renderRefusals()));
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
  } catch (e) {
    if (e.status === 401) location.href = "/coach/";
    else say("action-result", t("error", e.message));
  }
  setInterval(() => load().catch(() => {}), 5000);
}

document.addEventListener("DOMContentLoaded", start);

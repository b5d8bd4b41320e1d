// SPDX-License-Identifier: GPL-3.0-or-later
// Dutch first, English on request; the choice is remembered in this browser.
"use strict";
const STRINGS = {
  nl: {
    skip: "Naar de inhoud", title: "Deelnemers", other_language: "English", logout: "Afmelden",
    login_title: "Aanmelden als coach", token_label: "Je coachcode", login: "Aanmelden",
    login_failed: "Die code klopt niet. Probeer het opnieuw.",
    room_title: "Ritme van de groep", room_start: "Start", work_minutes: "Werkminuten",
    break_minutes: "Pauzeminuten", blocks: "Blokken", room_apply: "Voor de hele groep instellen",
    room_done: "Het groepsritme is ingesteld.", empty: "Er zijn nog geen deelnemers in jouw groep.",
    live: "Live", reconnecting: "Verbinding wordt hersteld…",
    state_working: "Aan het werk", state_break: "Pauze", state_pause: "Extra pauze",
    state_help: "Vraagt hulp", state_idle: "Stil", state_offline: "Niet verbonden",
    state_ended: "Klaar voor vandaag",
    block_of: (n, m) => `Blok ${n} van ${m}`, left: (t) => `nog ${t}`,
    tasks_today: (n) => `${n} ${n === 1 ? "taak" : "taken"} vandaag`,
    last_seen: (t) => `laatst actief ${t}`, ack_help: "Ik kom eraan", ack_done: "Doorgegeven: je komt eraan.",
    open: "Details", quality_trend: "Kwaliteit, laatste taken",
    back: "← Alle deelnemers", today: "Vandaag", end_break: "Pauze nu beëindigen",
    end_break_done: "De pauze is beëindigd.", progress: "Voortgang",
    tasks_per_hour: "Taken per uur, per dag", quality_per_block: "Kwaliteit per blok",
    per_day: "Per dag", date: "Datum", tasks: "Taken", hours: "Uren", tasks_per_hour_short: "Taken/uur",
    quality: "Kwaliteit", breaks: "Pauzes", extra_pauses: "Extra pauzes", plan: "Werkschema",
    gold_share: "Aandeel controletaken (%)", rhythm: "Ritme", personal: "Persoonlijk", room: "Met de groep",
    kinds: "Soorten taken", kind_bbox: "Boxen tekenen", kind_transcribe: "Uitschrijven",
    voice: "Spraakmodus", save_plan: "Schema bewaren",
    plan_saved: "Bewaard. Het nieuwe schema geldt vanaf het volgende blok.",
    record: "Werkoverzicht", record_html: "Werkoverzicht om te printen", record_json: "als JSON",
    delete: "Alle gegevens van deze deelnemer wissen",
    delete_confirm: (n) => `Alle gegevens van ${n} wissen? Dit kan niet ongedaan worden.`,
    deleted: "De gegevens zijn gewist.", error: (m) => `Dat lukte niet: ${m}`,
    no_data: "Nog geen gegevens.", minutes: (m) => `${m} min`, name: "Naam",
    broken_title: "Kapotte taken", broken_none: "Geen taken gemeld als kapot.",
    broken_item: (id, why, who) => `Taak ${id}: ${why}${who ? ` (gemeld door ${who})` : ""}`,
    restore: "Terugzetten", restore_task: (id) => `Taak ${id} terugzetten`,
    restored: (id) => `Taak ${id} doet weer mee.`, refused: "Geweigerd",
    refusals: "Geweigerd werk", refusals_none: "Niets geweigerd.", time: "Tijd", code: "Code",
    reason: "Reden",
  },
  en: {
    skip: "Skip to content", title: "Participants", other_language: "Nederlands", logout: "Sign out",
    login_title: "Sign in as a coach", token_label: "Your coach code", login: "Sign in",
    login_failed: "That code is not right. Please try again.",
    room_title: "Group rhythm", room_start: "Start", work_minutes: "Work minutes",
    break_minutes: "Break minutes", blocks: "Blocks", room_apply: "Set for the whole group",
    room_done: "The group rhythm is set.", empty: "There are no participants in your group yet.",
    live: "Live", reconnecting: "Reconnecting…",
    state_working: "Working", state_break: "Break", state_pause: "Extra pause",
    state_help: "Asks for help", state_idle: "Idle", state_offline: "Offline",
    state_ended: "Done for today",
    block_of: (n, m) => `Block ${n} of ${m}`, left: (t) => `${t} left`,
    tasks_today: (n) => `${n} ${n === 1 ? "task" : "tasks"} today`,
    last_seen: (t) => `last active ${t}`, ack_help: "I am coming", ack_done: "Sent: you are on your way.",
    open: "Details", quality_trend: "Quality, latest tasks",
    back: "← All participants", today: "Today", end_break: "End the break now",
    end_break_done: "The break has ended.", progress: "Progress",
    tasks_per_hour: "Tasks per hour, per day", quality_per_block: "Quality per block",
    per_day: "Per day", date: "Date", tasks: "Tasks", hours: "Hours", tasks_per_hour_short: "Tasks/hour",
    quality: "Quality", breaks: "Breaks", extra_pauses: "Extra pauses", plan: "Work plan",
    gold_share: "Share of check tasks (%)", rhythm: "Rhythm", personal: "Personal", room: "With the group",
    kinds: "Kinds of task", kind_bbox: "Drawing boxes", kind_transcribe: "Transcription",
    voice: "Voice mode", save_plan: "Save plan",
    plan_saved: "Saved. The new plan applies from the next block.",
    record: "Work record", record_html: "Printable work record", record_json: "as JSON",
    delete: "Delete all data of this participant",
    delete_confirm: (n) => `Delete all data of ${n}? This cannot be undone.`,
    deleted: "The data has been deleted.", error: (m) => `That did not work: ${m}`,
    no_data: "No data yet.", minutes: (m) => `${m} min`, name: "Name",
    broken_title: "Broken tasks", broken_none: "No tasks reported as broken.",
    broken_item: (id, why, who) => `Task ${id}: ${why}${who ? ` (reported by ${who})` : ""}`,
    restore: "Put back", restore_task: (id) => `Put task ${id} back`,
    restored: (id) => `Task ${id} is back in the queue.`, refused: "Refused",
    refusals: "Refused work", refusals_none: "Nothing refused.", time: "Time", code: "Code",
    reason: "Reason",
  },
};

let LANG = localStorage.getItem("annolab-lang") || "nl";

function t(key, ...args) {
  const v = STRINGS[LANG][key];
  return typeof v === "function" ? v(...args) : v;
}

function applyLanguage() {
  document.documentElement.lang = LANG;
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  const button = document.getElementById("lang");
  if (button) button.setAttribute("lang", LANG === "nl" ? "en" : "nl");
}

function toggleLanguage() {
  LANG = LANG === "nl" ? "en" : "nl";
  localStorage.setItem("annolab-lang", LANG);
  applyLanguage();
  document.dispatchEvent(new Event("languagechange"));
}

// Every change carries a JSON body: the server takes no other kind of
// change with the cookie, so no form on another site can make one.
async function api(method, path, body) {
  const send = body !== undefined || method !== "GET";
  const res = await fetch(path, {
    method, credentials: "same-origin",
    headers: send ? { "Content-Type": "application/json" } : {},
    body: send ? JSON.stringify(body ?? {}) : undefined,
  });
  if (res.status === 204) return null;
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new Error(data.error ? data.error.message : res.statusText);
    err.status = res.status;
    throw err;
  }
  return data;
}

function duration(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

function ago(iso) {
  if (!iso) return "–";
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return LANG === "nl" ? `${s} s geleden` : `${s} s ago`;
  return LANG === "nl" ? `${Math.round(s / 60)} min geleden` : `${Math.round(s / 60)} min ago`;
}

// A small bar chart as inline SVG: no library; every bar carries its value
// as text, so nothing depends on colour or on seeing the shape.
function lineChart(values, { max = 1, label = "", width = 320, height = 90, percent = true } = {}) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  const shown = (v) => (percent ? `${Math.round((v / max) * 100)}` : `${Math.round(v * 10) / 10}`);
  const pts = values.map((v) => (v === null || v === undefined ? null : v));
  const real = pts.filter((v) => v !== null);
  const summary = real.length ? `${label}: ${real.map(shown).join(", ")}` : `${label}: ${t("no_data")}`;
  svg.setAttribute("aria-label", summary);
  const title = document.createElementNS(ns, "title");
  title.textContent = summary;
  svg.appendChild(title);
  const add = (name, attrs, text) => {
    const el = document.createElementNS(ns, name);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    if (text !== undefined) el.textContent = text;
    svg.appendChild(el);
  };
  add("line", { x1: 0, y1: height - 1, x2: width, y2: height - 1, class: "axis" });
  if (!real.length) {
    add("text", { x: 4, y: height / 2, class: "value" }, t("no_data"));
    return svg;
  }
  const n = Math.max(pts.length, 4);
  const slot = width / n;
  pts.forEach((v, i) => {
    if (v === null) return;
    const h = Math.max(2, (Math.min(v, max) / max) * (height - 20));
    add("rect", { x: i * slot + slot * 0.15, y: height - 1 - h, width: slot * 0.7, height: h, class: "bar" });
    add("text", { x: i * slot + slot / 2, y: height - 4 - h, class: "value", "text-anchor": "middle" }, shown(v));
  });
  return svg;
}

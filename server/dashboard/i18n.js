// SPDX-License-Identifier: GPL-3.0-or-later
// Dutch first, English on request; the choice is remembered in this browser.
// Numbers, times and dates are written the way the page's language writes
// them (a decimal comma in Dutch), through Intl.
"use strict";
const STRINGS = {
  nl: {
    skip: "Naar de inhoud", title: "Deelnemers", other_language: "English", logout: "Afmelden",
    app_name: "annolab – coach",
    login_title: "Aanmelden als coach", token_label: "Je coachcode", login: "Aanmelden",
    login_failed: "Die code klopt niet. Probeer het opnieuw.",
    room_title: "Ritme van de groep", room_start: "Start", work_minutes: "Werkminuten",
    break_minutes: "Pauzeminuten", blocks: "Blokken", room_apply: "Voor de hele groep instellen",
    room_done: "Het groepsritme is ingesteld.", room_none: "Er is nog geen groepsritme ingesteld.",
    room_intro: "Dit ritme geldt voor iedereen die in zijn schema ‘Met de groep’ heeft. Het gaat in bij het volgende blok.",
    room_link: "Groepsritme", empty: "Er zijn nog geen deelnemers in jouw groep.",
    live: "Live", reconnecting: "Verbinding wordt hersteld…",
    state_working: "Aan het werk", state_break: "Pauze", state_pause: "Extra pauze",
    state_help: "Vraagt hulp", state_idle: "Stil", state_offline: "Niet verbonden",
    state_ended: "Klaar voor vandaag",
    block_of: (n, m) => `Blok ${n} van ${m}`, left: (t) => `nog ${t}`,
    tasks_today: (n) => `${n} ${n === 1 ? "taak" : "taken"} vandaag`,
    from_proposals: (n, pct) => `${n} vanuit een voorstel van een model, ${pct}% overgenomen`,
    since: (t) => `sinds ${t}`, waiting: (t) => `wacht ${t}`, quiet_since: (t) => `geen invoer sinds ${t}`,
    last_seen: (t) => `laatst actief ${t}`, ack_help: "Ik kom eraan", ack_done: "Doorgegeven: je komt eraan.",
    ack_for: (n) => `Ik kom eraan (${n})`,
    ack_key: "Toets K: ‘ik kom eraan’ voor wie het langst wacht.",
    sound: "Geluid bij hulpvraag", sound_on: "aan", sound_off: "uit",
    help_title: (n) => `${n === 1 ? "1 vraagt" : `${n} vragen`} hulp – annolab`,
    summary: (parts) => parts.join(" · "),
    count_state: (n, s) => `${n} ${s.toLowerCase()}`,
    back: "← Alle deelnemers", today: "Vandaag", end_break: "Pauze nu beëindigen",
    end_break_done: "De pauze is beëindigd.", progress: "Voortgang over de weken",
    now_title: "Dit blok, naast de eigen laatste twee weken",
    now_block: "Dit blok", now_usual: "Gewoonlijk", now_measure: "Meting",
    tasks_per_hour_label: "Taken per uur", quality_label: "Kwaliteit",
    task_time_label: "Tijd per taak, laatste 15 minuten", pauses_label: "Extra pauzes vandaag",
    pauses_usual: (v) => `${v} per dag`,
    too_little: "Nog te weinig eerdere dagen om mee te vergelijken.",
    no_hints: "Niets bijzonders: dit blok gaat zoals gewoonlijk.",
    hints_title: "Wat opvalt",
    hint_pace_lower: (a, b) => `Minder taken dan gewoonlijk: ${a} per uur, meestal ${b}.`,
    hint_pace_higher: (a, b) => `Sneller dan gewoonlijk: ${a} taken per uur, meestal ${b}.`,
    hint_quality_lower: (a, b) => `Kwaliteit lager dan gewoonlijk: ${a}, meestal ${b}.`,
    hint_quality_higher: (a, b) => `Kwaliteit hoger dan gewoonlijk: ${a}, meestal ${b}.`,
    hint_slower_recent: (a, b) => `Trager dan gewoonlijk in de laatste 15 minuten: ${a} per taak, meestal ${b}.`,
    hint_slowing: (a, b) => `Trager geworden in dit blok: nu ${a} per taak, eerder ${b}.`,
    hint_more_pauses: (a, b) => `Meer extra pauzes dan gewoonlijk: ${a} vandaag, meestal ${b} per dag.`,
    tph_chart: "Taken per uur, per blok",
    tph_caption: "Taken per uur in elk blok, tot vier weken terug. Elke stip is een blok, de lijn volgt het gemiddelde per dag.",
    quality_chart: "Kwaliteit per blok",
    quality_caption: "Kwaliteit op de controletaken (taken met een bekend antwoord), in procent, in elk blok, tot vier weken terug. Elke stip is een blok, de lijn volgt het gemiddelde per dag.",
    axis_tph: "taken per uur", axis_quality: "kwaliteit (%)", axis_day: "dag",
    chart_summary: (label, n, from, to, low, high, last) =>
      `${label}: ${n} blokken van ${from} tot ${to}; laagste ${low}, hoogste ${high}, laatste ${last}.`,
    show_table: "Toon de waarden als tabel", block_start: "Begin van het blok", minutes_col: "Minuten",
    per_day: "Per dag", date: "Datum", tasks: "Taken", hours: "Uren", tasks_per_hour_short: "Taken/uur",
    quality: "Kwaliteit", breaks: "Pauzes", extra_pauses: "Extra pauzes", plan: "Werkschema",
    gold_share: "Aandeel controletaken (%)", rhythm: "Ritme", personal: "Persoonlijk", room: "Met de groep",
    kinds: "Soorten taken", kind_bbox: "Boxen tekenen", kind_transcribe: "Uitschrijven", kind_classify: "Indelen", kind_review: "Ondertitels nakijken", kind_video: "Boxen op video",
    voice: "Spraakmodus", save_plan: "Schema bewaren",
    verbosity: "Hoeveel de spraakmodus zegt", verbosity_beginner: "Beginner: hele zinnen",
    verbosity_experienced: "Ervaren: korte woorden en tonen",
    plan_saved: "Bewaard. Het nieuwe schema geldt vanaf het volgende blok.",
    record: "Werkoverzicht", record_html: "Werkoverzicht om te printen", record_json: "als JSON",
    delete: "Alle gegevens van deze deelnemer wissen",
    delete_confirm: (n) => `Alle gegevens van ${n} wissen? Dit kan niet ongedaan worden.`,
    deleted: "De gegevens zijn gewist.", error: (m) => `Dat lukte niet: ${m}`,
    unavailable: "de server kan zijn database nu niet bereiken. Probeer het zo opnieuw.",
    no_data: "Nog geen gegevens.", minutes: (m) => `${m} min`, seconds: (s) => `${s} s`, name: "Naam",
    state: "Nu",
    broken_title: "Kapotte taken", broken_none: "Geen taken gemeld als kapot.",
    broken_count: (n) => `Kapotte taken: ${n}`,
    broken_item: (id, why, who) => `Taak ${id}: ${why}${who ? ` (gemeld door ${who})` : ""}`,
    restore: "Terugzetten", restore_task: (id) => `Taak ${id} terugzetten`,
    restored: (id) => `Taak ${id} doet weer mee.`, refused: "Geweigerd",
    refusals: "Geweigerd werk", refusals_none: "Niets geweigerd.", time: "Tijd", code: "Code",
    reason: "Reden",
    voice_images: "Mag in spraakmodus ook beeldtaken krijgen",
    passes_label: "Overgeslagen vandaag",
    pass_noisy: "te veel lawaai", pass_language: "verkeerde taal", pass_not_for_me: "niet voor mij",
    pass_other: "iets anders",
    passes_line: (n, why) => `${n} ${n === 1 ? "taak" : "taken"} overgeslagen vandaag (${why})`,
  },
  en: {
    skip: "Skip to content", title: "Participants", other_language: "Nederlands", logout: "Sign out",
    app_name: "annolab – coach",
    login_title: "Sign in as a coach", token_label: "Your coach code", login: "Sign in",
    login_failed: "That code is not right. Please try again.",
    room_title: "Group rhythm", room_start: "Start", work_minutes: "Work minutes",
    break_minutes: "Break minutes", blocks: "Blocks", room_apply: "Set for the whole group",
    room_done: "The group rhythm is set.", room_none: "No group rhythm has been set yet.",
    room_intro: "This rhythm holds for everyone whose plan says ‘With the group’. It starts at the next block.",
    room_link: "Group rhythm", empty: "There are no participants in your group yet.",
    live: "Live", reconnecting: "Reconnecting…",
    state_working: "Working", state_break: "Break", state_pause: "Extra pause",
    state_help: "Asks for help", state_idle: "Idle", state_offline: "Offline",
    state_ended: "Done for today",
    block_of: (n, m) => `Block ${n} of ${m}`, left: (t) => `${t} left`,
    tasks_today: (n) => `${n} ${n === 1 ? "task" : "tasks"} today`,
    from_proposals: (n, pct) => `${n} from a model's proposal, ${pct}% kept as proposed`,
    since: (t) => `since ${t}`, waiting: (t) => `waiting ${t}`, quiet_since: (t) => `no input since ${t}`,
    last_seen: (t) => `last active ${t}`, ack_help: "I am coming", ack_done: "Sent: you are on your way.",
    ack_for: (n) => `I am coming (${n})`,
    ack_key: "Key K: ‘I am coming’ for whoever has waited longest.",
    sound: "Sound on a help request", sound_on: "on", sound_off: "off",
    help_title: (n) => `${n === 1 ? "1 asks" : `${n} ask`} for help – annolab`,
    summary: (parts) => parts.join(" · "),
    count_state: (n, s) => `${n} ${s.toLowerCase()}`,
    back: "← All participants", today: "Today", end_break: "End the break now",
    end_break_done: "The break has ended.", progress: "Progress over the weeks",
    now_title: "This block, next to their own last two weeks",
    now_block: "This block", now_usual: "Usually", now_measure: "Measure",
    tasks_per_hour_label: "Tasks per hour", quality_label: "Quality",
    task_time_label: "Time per task, last 15 minutes", pauses_label: "Extra pauses today",
    pauses_usual: (v) => `${v} a day`,
    too_little: "Too few earlier days to compare with yet.",
    no_hints: "Nothing stands out: this block goes as usual.",
    hints_title: "What stands out",
    hint_pace_lower: (a, b) => `Fewer tasks than usual: ${a} an hour, usually ${b}.`,
    hint_pace_higher: (a, b) => `Faster than usual: ${a} tasks an hour, usually ${b}.`,
    hint_quality_lower: (a, b) => `Quality lower than usual: ${a}, usually ${b}.`,
    hint_quality_higher: (a, b) => `Quality higher than usual: ${a}, usually ${b}.`,
    hint_slower_recent: (a, b) => `Slower than usual in the last 15 minutes: ${a} a task, usually ${b}.`,
    hint_slowing: (a, b) => `Slowed down in this block: now ${a} a task, earlier ${b}.`,
    hint_more_pauses: (a, b) => `More extra pauses than usual: ${a} today, usually ${b} a day.`,
    tph_chart: "Tasks per hour, per block",
    tph_caption: "Tasks per hour in each block, up to four weeks back. Each dot is a block, the line follows the mean of each day.",
    quality_chart: "Quality per block",
    quality_caption: "Quality on the check tasks (tasks with a known answer), in percent, in each block, up to four weeks back. Each dot is a block, the line follows the mean of each day.",
    axis_tph: "tasks per hour", axis_quality: "quality (%)", axis_day: "day",
    chart_summary: (label, n, from, to, low, high, last) =>
      `${label}: ${n} blocks from ${from} to ${to}; lowest ${low}, highest ${high}, latest ${last}.`,
    show_table: "Show the values as a table", block_start: "Start of the block", minutes_col: "Minutes",
    per_day: "Per day", date: "Date", tasks: "Tasks", hours: "Hours", tasks_per_hour_short: "Tasks/hour",
    quality: "Quality", breaks: "Breaks", extra_pauses: "Extra pauses", plan: "Work plan",
    gold_share: "Share of check tasks (%)", rhythm: "Rhythm", personal: "Personal", room: "With the group",
    kinds: "Kinds of task", kind_bbox: "Drawing boxes", kind_transcribe: "Transcription", kind_classify: "Classification", kind_review: "Subtitle review", kind_video: "Boxes on video",
    voice: "Voice mode", save_plan: "Save plan",
    verbosity: "How much voice mode says", verbosity_beginner: "Beginner: full sentences",
    verbosity_experienced: "Experienced: short words and tones",
    plan_saved: "Saved. The new plan applies from the next block.",
    record: "Work record", record_html: "Printable work record", record_json: "as JSON",
    delete: "Delete all data of this participant",
    delete_confirm: (n) => `Delete all data of ${n}? This cannot be undone.`,
    deleted: "The data has been deleted.", error: (m) => `That did not work: ${m}`,
    unavailable: "the server cannot reach its database now. Please try again in a moment.",
    no_data: "No data yet.", minutes: (m) => `${m} min`, seconds: (s) => `${s} s`, name: "Name",
    state: "Now",
    broken_title: "Broken tasks", broken_none: "No tasks reported as broken.",
    broken_count: (n) => `Broken tasks: ${n}`,
    broken_item: (id, why, who) => `Task ${id}: ${why}${who ? ` (reported by ${who})` : ""}`,
    restore: "Put back", restore_task: (id) => `Put task ${id} back`,
    restored: (id) => `Task ${id} is back in the queue.`, refused: "Refused",
    refusals: "Refused work", refusals_none: "Nothing refused.", time: "Time", code: "Code",
    reason: "Reason",
    voice_images: "May get image tasks in voice mode",
    passes_label: "Passed on today",
    pass_noisy: "too noisy", pass_language: "wrong language", pass_not_for_me: "not for me",
    pass_other: "something else",
    passes_line: (n, why) => `${n} ${n === 1 ? "task" : "tasks"} passed on today (${why})`,
  },
};

let LANG = localStorage.getItem("annolab-lang") === "en" ? "en" : "nl";
const LOCALE = { nl: "nl-NL", en: "en-GB" };

function t(key, ...args) {
  const v = STRINGS[LANG][key];
  return typeof v === "function" ? v(...args) : v;
}

function applyLanguage(root = document) {
  document.documentElement.lang = LANG;
  for (const el of root.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  for (const button of root.querySelectorAll(".lang")) button.setAttribute("lang", LANG === "nl" ? "en" : "nl");
}

function toggleLanguage() {
  LANG = LANG === "nl" ? "en" : "nl";
  localStorage.setItem("annolab-lang", LANG);
  applyLanguage();
  document.dispatchEvent(new Event("languagechange"));
}

// A number with at most @digits decimals, as the page's language writes it.
function num(v, digits = 1) {
  return new Intl.NumberFormat(LOCALE[LANG], { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(v);
}

// A share from 0 to 1 as a percentage: "90 %" in Dutch, "90%" in English.
function pct(v) {
  return new Intl.NumberFormat(LOCALE[LANG], { style: "percent", maximumFractionDigits: 0 }).format(v);
}

function clock(iso) {
  return new Intl.DateTimeFormat(LOCALE[LANG], { hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
}

function shortDate(value) {
  const d = typeof value === "string" && value.length === 10 ? new Date(`${value}T12:00:00`) : new Date(value);
  return new Intl.DateTimeFormat(LOCALE[LANG], { weekday: "short", day: "numeric", month: "short" }).format(d);
}

// Seconds a task took: under two minutes in seconds, else in minutes;
// @like puts two figures in the same unit.
function taskTime(s, like = s) {
  return Math.max(s, like) < 120 ? t("seconds", Math.round(s)) : t("minutes", num(s / 60));
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
    const code = data.error && data.error.code;
    // The server's words name its database; the coach needs to know only this.
    const err = new Error(code === "database_unavailable" ? t("unavailable")
      : data.error ? data.error.message : res.statusText);
    err.status = res.status;
    throw err;
  }
  return data;
}

// The bounds of a rhythm come from the server, which checks them; the
// form's fields take them as min and max. @fields maps a limit's key to
// the id of its field.
function applyLimits(limits, fields) {
  for (const [key, id] of Object.entries(fields)) {
    const input = document.getElementById(id);
    if (!limits || !limits[key] || !input) continue;
    input.min = limits[key].min;
    input.max = limits[key].max;
  }
}

function duration(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

// A hint from the server's signals, in words; null for a kind this page
// does not know.
function hintText(h) {
  const time = (v) => taskTime(v, Math.max(h.now, h.usual));
  const f = {
    pace_lower: num, pace_higher: num, quality_lower: pct, quality_higher: pct,
    slower_recent: time, slowing: time, more_pauses: (v) => num(v, Number.isInteger(v) ? 0 : 1),
  }[h.kind];
  return f ? t(`hint_${h.kind}`, f(h.now), f(h.usual)) : null;
}

// "2 tasks passed on today (too noisy 1, wrong language 1)", or null
// when there were none: a pass is neither right nor wrong, so it is
// shown apart from pace and quality.
function passesText(s) {
  if (!s || !s.passes_today) return null;
  const why = Object.entries(s.pass_reasons || {})
    .map(([code, n]) => `${t(`pass_${code}`) || code} ${n}`).join(", ");
  return t("passes_line", s.passes_today, why);
}

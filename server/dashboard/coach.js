// SPDX-License-Identifier: GPL-3.0-or-later
// The room view: one card per participant, who needs the coach first,
// updated by server-sent events; the load signals come once a minute.
"use strict";

let participants = [];
let signals = new Map();     // id → the server's signals of that person
const helpSince = new Map(); // id → when this page first saw the help request
let stream = null;
let audio = null;
let signalsTimer = null;
let broken = [];             // tasks reported as broken, waiting for the coach
let brokenTimer = null;

// Who needs the coach first: a help request, then someone stuck, then
// someone who dropped out; working people and breaks come last.
const RANK = { help: 0, idle: 1, offline: 2, working: 3, pause: 4, break: 5, ended: 6 };

function stateLabel(state) {
  return t(`state_${state}`) || state;
}

function sorted(list) {
  return [...list].sort((a, b) => (RANK[a.state] ?? 9) - (RANK[b.state] ?? 9) ||
    (a.state === "help" ? helpSince.get(a.id) - helpSince.get(b.id) : 0) ||
    a.name.localeCompare(b.name, LOCALE[LANG]));
}

// A shape for each state, so a state never rests on colour alone.
const SHAPES = {
  help: [["path", { d: "M12 2 L23 21 H1 Z", class: "fill" }], ["rect", { x: 10.8, y: 8, width: 2.4, height: 7, class: "cut" }],
    ["rect", { x: 10.8, y: 16.5, width: 2.4, height: 2.4, class: "cut" }]],
  idle: [["circle", { cx: 12, cy: 12, r: 10, class: "line" }], ["circle", { cx: 7, cy: 12, r: 1.6, class: "fill" }],
    ["circle", { cx: 12, cy: 12, r: 1.6, class: "fill" }], ["circle", { cx: 17, cy: 12, r: 1.6, class: "fill" }]],
  offline: [["rect", { x: 2.5, y: 2.5, width: 19, height: 19, class: "line" }], ["path", { d: "M4 20 L20 4", class: "line" }]],
  working: [["circle", { cx: 12, cy: 12, r: 10, class: "fill" }]],
  pause: [["circle", { cx: 12, cy: 12, r: 10, class: "line" }], ["rect", { x: 8, y: 7, width: 2.6, height: 10, class: "fill" }],
    ["rect", { x: 13.4, y: 7, width: 2.6, height: 10, class: "fill" }]],
  break: [["rect", { x: 5, y: 3, width: 5, height: 18, class: "fill" }], ["rect", { x: 14, y: 3, width: 5, height: 18, class: "fill" }]],
  ended: [["path", { d: "M3 13 L9 19 L21 5", class: "line thick" }]],
};

function shape(state) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", "shape");
  svg.setAttribute("aria-hidden", "true");
  for (const [name, attrs] of SHAPES[state] || SHAPES.offline) {
    const el = document.createElementNS(ns, name);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    svg.appendChild(el);
  }
  return svg;
}

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

// When: how long help has waited, since when someone is away, quiet or
// done, or the time left of the block or break. Away and done cards do not
// count down.
function whenLine(p) {
  const parts = [];
  if (p.state === "help") parts.push(t("waiting", duration(Date.now() - helpSince.get(p.id))));
  if (p.state === "offline" && p.last_seen) parts.push(t("since", clock(p.last_seen)));
  if (p.state === "ended" && (p.last_activity || p.last_seen)) parts.push(t("since", clock(p.last_activity || p.last_seen)));
  if (p.state === "idle" && p.last_activity) parts.push(t("quiet_since", clock(p.last_activity)));
  if (p.state !== "offline" && p.state !== "ended" && p.block && p.blocks) {
    parts.push(t("block_of", p.block, p.blocks));
    if (p.time_left_ms !== null && p.time_left_ms !== undefined) parts.push(t("left", duration(p.time_left_ms)));
  }
  return parts.join(" · ");
}

function card(p) {
  const li = element("li", `participant state-${p.state}`);
  li.dataset.name = p.name;
  li.dataset.state = p.state;
  li.setAttribute("aria-labelledby", `p-${p.id}-name p-${p.id}-state`);

  const head = element("div", "card-head");
  const titles = element("div", "card-titles");
  const h = element("h3");
  h.id = `p-${p.id}-name`;
  const link = element("a", null, p.name);
  link.href = `/coach/participant.html?id=${encodeURIComponent(p.id)}`;
  h.appendChild(link);
  const word = element("p", "state-word", stateLabel(p.state));
  word.id = `p-${p.id}-state`;
  titles.append(h, word);
  head.append(shape(p.state), titles);
  li.appendChild(head);

  const when = whenLine(p);
  if (when) li.appendChild(element("p", "when", when));
  li.appendChild(element("p", "facts-line", t("tasks_today", p.tasks_today || 0)));
  // How much of today's work was a model's, so the coach sees whether proposals help.
  const fp = p.proposals_today;
  if (fp && fp.tasks > 0 && fp.share_accepted !== null)
    li.appendChild(element("p", "facts-line", t("from_proposals", fp.tasks, Math.round(fp.share_accepted * 100))));

  const passes = passesText(signals.get(p.id));
  if (passes) li.appendChild(element("p", "facts-line passes", passes));

  const hints = (signals.get(p.id)?.hints || []).map(hintText).filter(Boolean);
  if (hints.length) {
    const ul = element("ul", "hints");
    for (const text of hints) ul.appendChild(element("li", null, text));
    li.appendChild(ul);
  }

  if (p.state === "help") {
    const ack = element("button", "ack", t("ack_help"));
    ack.type = "button";
    ack.appendChild(element("span", "visually-hidden", ` (${p.name})`));
    ack.addEventListener("click", () => acknowledge(p));
    li.appendChild(ack);
  }
  return li;
}

async function acknowledge(p) {
  try {
    await api("POST", `/api/v1/participants/${encodeURIComponent(p.id)}/help/ack`);
    announce(t("ack_done"));
  } catch (e) {
    announce(t("error", e.message));
  }
}

const FOCUSABLE = "a, button, input, select, textarea";

function renderSummary(list) {
  const counts = new Map();
  for (const p of list) counts.set(p.state, (counts.get(p.state) || 0) + 1);
  const parts = Object.keys(RANK).filter((s) => counts.has(s)).map((s) => `${stateLabel(s)}: ${counts.get(s)}`);
  document.getElementById("summary").textContent = t("summary", parts);
  const help = counts.get("help") || 0;
  document.title = help ? t("help_title", help) : `${t("title")} – annolab`;
}

function renderSound() {
  const button = document.getElementById("sound");
  const on = soundOn();
  button.setAttribute("aria-pressed", String(on));
  button.textContent = `${t("sound")}: ${t(on ? "sound_on" : "sound_off")}`;
}

function render() {
  const grid = document.getElementById("grid");
  if (!grid) return;
  const active = document.activeElement;
  const oldLi = active && active.closest ? active.closest("#grid li") : null;
  const focusedName = oldLi ? oldLi.dataset.name : null;
  // Which of the card's controls had focus, by position: a control may
  // have no class (the name link), so a class selector cannot find it again.
  const focusedIndex = oldLi ? [...oldLi.querySelectorAll(FOCUSABLE)].indexOf(active) : -1;
  const list = sorted(participants);
  grid.replaceChildren(...list.map(card));
  document.getElementById("empty").hidden = participants.length > 0;
  renderSummary(list);
  renderSound();
  // Keep keyboard focus where it was across live updates.
  if (focusedName) {
    const li = grid.querySelector(`li[data-name="${CSS.escape(focusedName)}"]`);
    const controls = li ? [...li.querySelectorAll(FOCUSABLE)] : [];
    const target = controls[focusedIndex] || controls[0];
    if (target) target.focus();
  }
}

function announce(text) {
  const live = document.getElementById("live");
  if (live) live.textContent = text;
}

function soundOn() {
  return localStorage.getItem("annolab-sound") !== "off";
}

// Browsers start sound only after a key or a tap; the login is one.
function wakeAudio() {
  if (!audio && window.AudioContext) audio = new AudioContext();
  if (audio && audio.state === "suspended") audio.resume().catch(() => {});
}

// Two short tones, falling: heard across a room, over in half a second.
function chime() {
  if (!soundOn()) return;
  wakeAudio();
  if (!audio) return;
  const now = audio.currentTime;
  [880, 660].forEach((freq, i) => {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.25, now + i * 0.2);
    gain.gain.exponentialRampToValueAtTime(0.001, now + i * 0.2 + 0.18);
    osc.connect(gain).connect(audio.destination);
    osc.start(now + i * 0.2);
    osc.stop(now + i * 0.2 + 0.2);
  });
}

function update(list) {
  let asked = false;
  const now = Date.now();
  const tasksChanged = list.some((p) => participants.find((o) => o.id === p.id)?.tasks_today !== p.tasks_today);
  for (const p of list) {
    if (p.state === "help" && !helpSince.has(p.id)) {
      helpSince.set(p.id, now);
      asked = true;
    } else if (p.state !== "help") {
      helpSince.delete(p.id);
    }
  }
  participants = list;
  render();
  if (asked) chime();
  if (tasksChanged) scheduleSignals(3000);
}

async function loadSignals() {
  try {
    const data = await api("GET", "/api/v1/signals");
    signals = new Map(data.signals.map((s) => [s.id, s]));
    render();
  } catch (e) {
    // The live view works without them; the next try comes in a minute.
  }
  scheduleSignals(60000);
}

function scheduleSignals(ms) {
  clearTimeout(signalsTimer);
  signalsTimer = setTimeout(loadSignals, ms);
}

function connect() {
  if (stream) stream.close();
  stream = new EventSource("/api/v1/stream", { withCredentials: true });
  // Say "live" once per connection, not on every update: a screen reader
  // would repeat it every few seconds and cut off what a click reported.
  stream.onopen = () => announce(t("live"));
  stream.addEventListener("participants", (ev) => update(JSON.parse(ev.data).participants));
  stream.onerror = () => {
    announce(t("reconnecting"));
    // A refused reconnection (a 503) ends an EventSource for good.
    if (stream.readyState === EventSource.CLOSED) setTimeout(connect, 5000);
  };
}

function fromTemplate(id) {
  const page = document.getElementById("page");
  page.replaceChildren(document.getElementById(id).content.cloneNode(true));
  applyLanguage(page);
  for (const b of page.querySelectorAll(".lang")) b.addEventListener("click", toggleLanguage);
  return page;
}

// Tasks a participant reported as broken wait below the cards until the
// coach has looked at them and puts them back; the header says how many.
async function loadBroken() {
  const data = await api("GET", "/api/v1/tasks/broken");
  broken = data.tasks;
  renderBroken();
}

function renderBroken() {
  const list = document.getElementById("broken-list");
  if (!list) return;
  const focused = document.activeElement?.closest?.("#broken-list li")?.dataset.task;
  list.replaceChildren(...broken.map((task) => {
    const li = element("li");
    li.dataset.task = task.task_id;
    const button = element("button", null, t("restore"));
    button.type = "button";
    button.setAttribute("aria-label", t("restore_task", task.task_id));
    button.addEventListener("click", () => restore(task.task_id));
    li.append(element("span", null, t("broken_item", task.task_id, task.reason, task.reported_by)), " ", button);
    return li;
  }));
  document.getElementById("broken-empty").hidden = broken.length > 0;
  const link = document.getElementById("broken-link");
  link.hidden = broken.length === 0;
  link.textContent = t("broken_count", broken.length);
  if (focused) list.querySelector(`li[data-task="${CSS.escape(String(focused))}"] button`)?.focus();
}

async function restore(taskId) {
  const result = document.getElementById("broken-result");
  try {
    await api("POST", `/api/v1/tasks/${encodeURIComponent(taskId)}/restore`);
    result.textContent = t("restored", taskId);
    const next = document.activeElement?.closest?.("#broken-list li");
    await loadBroken();
    // The button is gone with its task: keep the keyboard in the list.
    if (next && !document.activeElement?.closest?.("#broken-list"))
      (document.querySelector("#broken-list button") || document.getElementById("broken")).focus();
  } catch (e) {
    result.textContent = t("error", e.message);
  }
}

function showLogin() {
  const page = fromTemplate("login-page");
  document.title = t("app_name");
  page.querySelector("#login").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    wakeAudio();
    const error = document.getElementById("login-error");
    error.textContent = "";
    try {
      await api("POST", "/coach/login", { token: document.getElementById("token").value.trim() });
      showRoom(await api("GET", "/api/v1/participants"));
      document.getElementById("main").focus();
    } catch (e) {
      // Only a refused code is the coach's to fix; anything else is said as it is.
      error.textContent = e.status === 401 ? t("login_failed") : t("error", e.message);
      document.getElementById("token").focus();
    }
  });
  document.getElementById("token").focus();
}

function showRoom(data) {
  const page = fromTemplate("room-page");
  page.querySelector("#logout").addEventListener("click", async () => {
    await api("POST", "/coach/logout").catch(() => {});
    location.reload();
  });
  page.querySelector("#sound").addEventListener("click", () => {
    localStorage.setItem("annolab-sound", soundOn() ? "off" : "on");
    renderSound();
    if (soundOn()) chime();
  });
  update(data.participants);
  loadSignals();
  connect();
  loadBroken().catch(() => {});
  clearInterval(brokenTimer);
  brokenTimer = setInterval(() => loadBroken().catch(() => {}), 10000);
}

// K answers whoever has waited longest, from anywhere on the page but a
// text field.
function onKey(ev) {
  if (ev.key.toLowerCase() !== "k" || ev.ctrlKey || ev.altKey || ev.metaKey) return;
  if (ev.target.closest && ev.target.closest("input, textarea, select")) return;
  const first = sorted(participants)[0];
  if (!first || first.state !== "help") return;
  ev.preventDefault();
  acknowledge(first);
}

async function start() {
  applyLanguage();
  document.addEventListener("languagechange", () => {
    render();
    renderBroken();
    if (!document.getElementById("grid")) document.title = t("app_name");
  });
  document.addEventListener("keydown", onKey);
  document.addEventListener("pointerdown", wakeAudio);
  document.addEventListener("keydown", wakeAudio);
  try {
    showRoom(await api("GET", "/api/v1/participants"));
  } catch (e) {
    showLogin();
    if (e.status !== 401) waitForServer(e);
  }
}

// Signed in, but the server (or its database) cannot answer now: the
// login form says so and the room comes as soon as it can.
function waitForServer(e) {
  const error = document.getElementById("login-error");
  if (error) error.textContent = t("error", e.message);
  setTimeout(async () => {
    if (!document.getElementById("login-error")) return;
    try {
      showRoom(await api("GET", "/api/v1/participants"));
      document.getElementById("main").focus();
    } catch (again) {
      if (again.status !== 401) waitForServer(again);
      else if (document.getElementById("login-error")) error.textContent = "";
    }
  }, 5000);
}

document.addEventListener("DOMContentLoaded", start);

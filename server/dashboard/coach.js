// SPDX-License-Identifier: GPL-3.0-or-later
// The live grid: one card per participant, updated by server-sent events.
"use strict";

let participants = [];
let stream = null;

function stateLabel(state) {
  return t(`state_${state}`) || state;
}

function card(p) {
  const li = document.createElement("li");
  li.className = `participant state-${p.state}`;
  li.dataset.name = p.name;
  li.setAttribute("aria-labelledby", `p-${p.id}-name`);

  const head = document.createElement("div");
  head.className = "card-head";
  const h = document.createElement("h3");
  h.id = `p-${p.id}-name`;
  const link = document.createElement("a");
  link.href = `/coach/participant.html?id=${encodeURIComponent(p.id)}`;
  link.textContent = p.name;
  h.appendChild(link);
  const badge = document.createElement("span");
  badge.className = "badge";
  badge.dataset.state = p.state;
  badge.textContent = stateLabel(p.state);
  head.append(h, badge);
  li.appendChild(head);

  const facts = document.createElement("p");
  facts.className = "facts-line";
  const parts = [];
  if (p.block && p.blocks) parts.push(t("block_of", p.block, p.blocks));
  if (p.time_left_ms !== null && p.time_left_ms !== undefined) parts.push(t("left", duration(p.time_left_ms)));
  parts.push(t("tasks_today", p.tasks_today || 0));
  parts.push(t("last_seen", ago(p.last_seen)));
  facts.textContent = parts.join(" · ");
  li.appendChild(facts);

  const chart = document.createElement("div");
  chart.className = "chart small";
  chart.appendChild(lineChart(p.quality_trend || [], { label: t("quality_trend"), height: 40 }));
  li.appendChild(chart);

  if (p.state === "help") {
    const ack = document.createElement("button");
    ack.type = "button";
    ack.className = "ack";
    ack.textContent = `${t("ack_help")} (${p.name})`;
    ack.addEventListener("click", async () => {
      try {
        await api("POST", `/api/v1/participants/${encodeURIComponent(p.id)}/help/ack`);
        announce(t("ack_done"));
      } catch (e) {
        announce(t("error", e.message));
      }
    });
    li.appendChild(ack);
  }
  return li;
}

const FOCUSABLE = "a, button, input, select, textarea";

function render() {
  const grid = document.getElementById("grid");
  const active = document.activeElement;
  const oldLi = active && active.closest ? active.closest("#grid li") : null;
  const focusedName = oldLi ? oldLi.dataset.name : null;
  // Which of the card's controls had focus, by position: a control may
  // have no class (the name link), so a class selector cannot find it again.
  const focusedIndex = oldLi ? [...oldLi.querySelectorAll(FOCUSABLE)].indexOf(active) : -1;
  grid.replaceChildren(...participants.map(card));
  document.getElementById("empty").hidden = participants.length > 0;
  // Keep keyboard focus where it was across live updates.
  if (focusedName) {
    const li = grid.querySelector(`li[data-name="${CSS.escape(focusedName)}"]`);
    const controls = li ? [...li.querySelectorAll(FOCUSABLE)] : [];
    const target = controls[focusedIndex] || controls[0];
    if (target) target.focus();
  }
}

function announce(text) {
  document.getElementById("live").textContent = text;
}

function connect() {
  if (stream) stream.close();
  stream = new EventSource("/api/v1/stream", { withCredentials: true });
  // Say "live" once per connection, not on every update: a screen reader
  // would repeat it every few seconds and cut off what a click reported.
  stream.onopen = () => announce(t("live"));
  stream.addEventListener("participants", (ev) => {
    participants = JSON.parse(ev.data).participants;
    render();
  });
  stream.onerror = () => announce(t("reconnecting"));
}

// Tasks a participant reported as broken wait here until the coach has
// looked at them and puts them back.
async function loadBroken() {
  const data = await api("GET", "/api/v1/tasks/broken");
  const list = document.getElementById("broken-list");
  list.replaceChildren(...data.tasks.map((task) => {
    const li = document.createElement("li");
    const text = document.createElement("span");
    text.textContent = t("broken_item", task.task_id, task.reason, task.reported_by);
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = t("restore");
    button.setAttribute("aria-label", t("restore_task", task.task_id));
    button.addEventListener("click", async () => {
      try {
        await api("POST", `/api/v1/tasks/${encodeURIComponent(task.task_id)}/restore`);
        document.getElementById("broken-result").textContent = t("restored", task.task_id);
        await loadBroken();
      } catch (e) {
        document.getElementById("broken-result").textContent = t("error", e.message);
      }
    });
    li.append(text, " ", button);
    return li;
  }));
  document.getElementById("broken-empty").hidden = data.tasks.length > 0;
}

async function showDashboard() {
  document.getElementById("login").hidden = true;
  document.getElementById("logout").hidden = false;
  document.getElementById("room").hidden = false;
  document.getElementById("grid-section").hidden = false;
  document.getElementById("broken").hidden = false;
  const data = await api("GET", "/api/v1/participants");
  participants = data.participants;
  render();
  connect();
  await loadBroken();
  setInterval(() => loadBroken().catch(() => {}), 10000);
}

async function start() {
  applyLanguage();
  document.getElementById("lang").addEventListener("click", toggleLanguage);
  document.addEventListener("languagechange", render);
  document.getElementById("login").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const error = document.getElementById("login-error");
    error.textContent = "";
    try {
      await api("POST", "/coach/login", { token: document.getElementById("token").value.trim() });
      await showDashboard();
      document.getElementById("main").focus();
    } catch (e) {
      error.textContent = t("login_failed");
      document.getElementById("token").focus();
    }
  });
  document.getElementById("logout").addEventListener("click", async () => {
    await api("POST", "/coach/logout").catch(() => {});
    location.reload();
  });
  document.getElementById("room-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const result = document.getElementById("room-result");
    try {
      await api("PUT", "/api/v1/room", {
        start: document.getElementById("room-start").value,
        work_minutes: Number(document.getElementById("room-work").value),
        break_minutes: Number(document.getElementById("room-break").value),
        blocks: Number(document.getElementById("room-blocks").value),
      });
      result.textContent = t("room_done");
    } catch (e) {
      result.textContent = t("error", e.message);
    }
  });
  try {
    await showDashboard();
  } catch (e) {
    document.getElementById("login").hidden = false;
    document.getElementById("token").focus();
  }
}

document.addEventListener("DOMContentLoaded", start);
// Times shown as "ago" move on even without news.
setInterval(() => participants.length && render(), 15000);

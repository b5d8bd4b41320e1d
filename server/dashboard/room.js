// SPDX-License-Identifier: GPL-3.0-or-later
// The group's rhythm, on its own page: set once a day, not in the way of
// the room view.
"use strict";

let room = null;

function showRoom() {
  const none = document.getElementById("room-now");
  none.textContent = room ? "" : t("room_none");
  none.hidden = !!room;
  if (!room) return;
  document.getElementById("room-start").value = room.start;
  document.getElementById("room-work").value = room.work_minutes;
  document.getElementById("room-break").value = room.break_minutes;
  document.getElementById("room-blocks").value = room.blocks;
}

async function start() {
  applyLanguage();
  document.title = `${t("room_title")} – annolab`;
  for (const b of document.querySelectorAll(".lang")) b.addEventListener("click", toggleLanguage);
  document.addEventListener("languagechange", () => { document.title = `${t("room_title")} – annolab`; showRoom(); });
  document.getElementById("room-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const result = document.getElementById("room-result");
    try {
      room = await api("PUT", "/api/v1/room", {
        // The server takes HH:MM only; a time field may add seconds.
        start: document.getElementById("room-start").value.slice(0, 5),
        work_minutes: Number(document.getElementById("room-work").value),
        break_minutes: Number(document.getElementById("room-break").value),
        blocks: Number(document.getElementById("room-blocks").value),
      });
      showRoom();
      result.textContent = t("room_done");
    } catch (e) {
      result.textContent = t("error", e.message);
    }
  });
  try {
    const answer = await api("GET", "/api/v1/room");
    applyLimits(answer.limits, { work_minutes: "room-work", break_minutes: "room-break", blocks: "room-blocks" });
    room = answer.room;
    showRoom();
  } catch (e) {
    if (e.status === 401) location.href = "/coach/";
    else document.getElementById("room-result").textContent = t("error", e.message);
  }
}

document.addEventListener("DOMContentLoaded", start);

// SPDX-License-Identifier: GPL-3.0-or-later
// The coaches' dashboard in real headless Chromium, against the real
// annolab-queue; a test client plays the workstation over the HTTP API.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const build = process.env.ANNOLAB_BUILD_ROOT;
const source = process.env.ANNOLAB_SOURCE_ROOT;
const queue = join(build, "server", "annolab-queue");
const shots = join(build, "tests", "browser");
const dir = mkdtempSync(join(tmpdir(), "annolab-dashboard-"));
const db = join(dir, "lab.db");
const run = (...args) => execFileSync(queue, ["--db", db, ...args], { encoding: "utf8" }).trim();

let server, base, browser;
const tokens = {};

async function api(token, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

const event = (who, type, extra = {}) => api(tokens[who], "POST", "/api/v1/events", { type, ...extra });

before(async () => {
  const tasks = join(dir, "tasks.jsonl");
  const audio = join(source, "data", "demo", "audio", "cards-001.wav");
  writeFileSync(tasks, Array.from({ length: 12 }, (_, i) =>
    JSON.stringify({ id: `s${i}`, kind: "transcribe", audio, language: "en",
                     ...(i < 3 ? { gold: { text: "ten of clubs" } } : {}) })).join("\n") + "\n");
  run("import", tasks, "--media-root", join(source, "data", "demo"));
  run("set", "gold_share", "0.3");
  for (const [name, role, group] of [["Ann", "participant", "a"], ["Bas", "participant", "a"],
    ["Cem", "participant", "a"], ["Dana", "participant", "a"], ["Kim", "coach", "a"],
    ["Lea", "coach", "b"]])
    tokens[name] = run("user", "add", name, "--role", role, "--group", group);

  server = spawn(queue, ["--db", db, "serve", "--listen", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "inherit"] });
  const line = await new Promise((resolve) => createInterface({ input: server.stdout }).once("line", resolve));
  base = line.replace("listening on ", "");

  // Some history for the charts: a few scored tasks.
  for (const who of ["Ann", "Bas"]) {
    await event(who, "session_start");
    await event(who, "block_start", { block: 1, blocks: 4, ms_left: 2400000 });
    for (let i = 0; i < 4; i++) {
      const lease = await api(tokens[who], "POST", "/api/v1/lease");
      await api(tokens[who], "POST", "/api/v1/results", {
        lease_id: lease.json.lease.id, idempotency_key: `${who}-${i}`, lead_time_ms: 30000,
        result: { text: i % 2 ? "ten of clubs" : "ten clubs" } });
    }
  }
  await event("Cem", "block_start", { block: 2, blocks: 4, ms_left: 600000 });
  await event("Cem", "pause_start");
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
});

async function login(token) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  await page.goto(base + "/coach/");
  await page.getByLabel("Je coachcode").fill(token);
  await page.getByRole("button", { name: "Aanmelden" }).click();
  await page.getByRole("heading", { level: 3, name: "Ann" }).waitFor();
  return page;
}

const card = (page, name) => page.locator("li.participant", { has: page.getByRole("heading", { name, level: 3 }) });

test("a coach sees a participant go from working to break live", async () => {
  const page = await login(tokens.Kim);
  await assert.doesNotReject(card(page, "Ann").getByText("Aan het werk").waitFor({ timeout: 3000 }));
  const t0 = Date.now();
  await event("Ann", "break_start", { state: "break", block: 1, blocks: 4, ms_left: 900000 });
  await card(page, "Ann").getByText("Pauze", { exact: true }).waitFor({ timeout: 2500 });
  assert.ok(Date.now() - t0 < 2500, "the change shows within 2 seconds");
  await page.context().close();
});

test("keyboard focus on a name link stays there through live updates", async () => {
  const page = await login(tokens.Kim);
  const link = card(page, "Bas").getByRole("link", { name: "Bas" });
  await link.waitFor({ timeout: 3000 });
  await link.focus();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // Two live updates of the same card while its name link has focus.
  await event("Bas", "block_start", { block: 1, blocks: 4, ms_left: 2000000 });
  await card(page, "Bas").getByText("Aan het werk").waitFor({ timeout: 3000 });
  await event("Bas", "break_start", { state: "break", block: 1, blocks: 4, ms_left: 900000 });
  await card(page, "Bas").getByText("Pauze", { exact: true }).waitFor({ timeout: 3000 });
  await page.waitForTimeout(300);
  assert.deepEqual(errors, [], "no script error on a live update");
  const focused = await page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el.tagName, text: el.textContent, card: el.closest("li")?.dataset.name };
  });
  assert.deepEqual(focused, { tag: "A", text: "Bas", card: "Bas" });
  await event("Bas", "break_end", { state: "work", block: 2, blocks: 4, ms_left: 2700000 });
  await page.context().close();
});

test("a help request stands out and its acknowledgement reaches the workstation", async () => {
  const page = await login(tokens.Kim);
  await event("Dana", "block_start", { block: 1, blocks: 4, ms_left: 1200000 });
  await event("Dana", "help");
  const ack = card(page, "Dana").getByRole("button", { name: /Ik kom eraan/ });
  await ack.waitFor({ timeout: 3000 });
  await page.screenshot({ path: join(shots, "dashboard.png"), fullPage: true });
  await ack.click();
  await page.getByText("Doorgegeven: je komt eraan.").waitFor({ timeout: 3000 });
  const beat = await event("Dana", "heartbeat");
  assert.deepEqual(beat.json.notices.map((n) => n.type), ["help_ack"]);
  await page.context().close();
});

test("a plan changed on the participant page reaches the workstation", async () => {
  const page = await login(tokens.Kim);
  await card(page, "Ann").getByRole("link", { name: "Ann" }).click();
  await page.getByRole("heading", { level: 1, name: "Ann" }).waitFor();
  await page.getByLabel("Werkminuten").fill("30");
  await page.getByLabel("Pauzeminuten").fill("10");
  await page.getByLabel("Blokken").fill("3");
  await page.getByLabel("Met de groep").check();
  await page.getByLabel("Spraakmodus").check();
  await page.getByRole("button", { name: "Schema bewaren" }).click();
  await page.getByText("Bewaard. Het nieuwe schema geldt vanaf het volgende blok.").waitFor();
  await page.screenshot({ path: join(shots, "participant.png"), fullPage: true });
  const me = await api(tokens.Ann, "GET", "/api/v1/me");
  assert.equal(me.json.settings.plan.work_minutes, 30);
  assert.equal(me.json.settings.plan.rhythm, "room");
  assert.equal(me.json.settings.voice, true);
  assert.ok(me.json.notices.some((n) => n.type === "settings"));
  await page.context().close();
});

test("a coach of another group sees none of them", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + "/coach/");
  await page.getByLabel("Je coachcode").fill(tokens.Lea);
  await page.getByRole("button", { name: "Aanmelden" }).click();
  await page.getByText("Er zijn nog geen deelnemers in jouw groep.").waitFor();
  assert.equal(await page.locator("li.participant").count(), 0);
  const res = await page.evaluate(async () => (await fetch("/api/v1/participants/1")).status);
  assert.equal(res, 404);
  await context.close();
});

test("a participant token does not open the dashboard", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + "/coach/");
  await page.getByLabel("Je coachcode").fill(tokens.Ann);
  await page.getByRole("button", { name: "Aanmelden" }).click();
  await page.getByRole("alert").getByText("Die code klopt niet").waitFor();
  await context.close();
});

test("the page works in English and every control has a name", async () => {
  const page = await login(tokens.Kim);
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("heading", { level: 1, name: "Participants" }).waitFor();
  const unnamed = await page.evaluate(() => [...document.querySelectorAll("button, input, a, select")]
    .filter((el) => !(el.labels?.length || el.getAttribute("aria-label") || el.textContent.trim()))
    .map((el) => el.outerHTML));
  assert.deepEqual(unnamed, []);
  await page.reload();
  await page.getByRole("heading", { level: 1, name: "Participants" }).waitFor();
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement.textContent);
  assert.equal(focused, "Skip to content");
  await page.context().close();
});

test("a broken report reaches the coach, who puts the task back; refusals show", async () => {
  const lease = await api(tokens.Dana, "POST", "/api/v1/lease");
  const id = lease.json.task.id;
  const path = `/api/v1/leases/${lease.json.lease.id}/broken`;
  assert.equal((await api(tokens.Dana, "POST", path, { reason: "geen geluid" })).status, 204);
  const again = await api(tokens.Dana, "POST", path, { reason: "geen geluid" });
  assert.equal(again.status, 409);
  assert.equal(again.json.error.code, "lease_gone");

  const page = await login(tokens.Kim);
  await page.getByText(`Taak ${id}: geen geluid (gemeld door Dana)`).waitFor({ timeout: 3000 });
  await page.getByRole("button", { name: `Taak ${id} terugzetten` }).click();
  await page.getByText(`Taak ${id} doet weer mee.`).waitFor({ timeout: 3000 });
  await page.getByText("Geen taken gemeld als kapot.").waitFor();
  assert.deepEqual((await api(tokens.Kim, "GET", "/api/v1/tasks/broken")).json.tasks, []);

  await card(page, "Dana").getByRole("link", { name: "Dana" }).click();
  await page.getByRole("heading", { level: 1, name: "Dana" }).waitFor();
  await page.locator("#refusals").getByRole("cell", { name: "lease_gone" }).waitFor({ timeout: 3000 });
  await page.context().close();
});
// ---- Limits and the web ----

test("the printable work record shows styled, under its own policy", async () => {
  const page = await login(tokens.Kim);
  const refused = [];
  page.on("console", (m) => { if (/Content Security Policy/i.test(m.text())) refused.push(m.text()); });
  await card(page, "Ann").getByRole("link", { name: "Ann" }).click();
  await page.getByRole("heading", { level: 1, name: "Ann" }).waitFor();
  const href = await page.locator("#record-html").getAttribute("href");
  await page.goto(base + href);
  await page.getByRole("heading", { level: 1, name: /Ann/ }).waitFor();
  const style = await page.evaluate(() => ({
    collapse: getComputedStyle(document.querySelector("table")).borderCollapse,
    border: getComputedStyle(document.querySelector("td")).borderTopStyle,
    width: getComputedStyle(document.body).maxWidth,
  }));
  await page.screenshot({ path: join(shots, "record.png"), fullPage: true });
  assert.deepEqual(refused, []);
  assert.equal(style.collapse, "collapse");
  assert.equal(style.border, "solid");
  assert.notEqual(style.width, "none");
  await page.context().close();
});

test("an audio element loads media by Range, as every browser asks", async () => {
  const page = await login(tokens.Kim);
  const ranges = [];
  page.on("request", (r) => { if (r.url().includes("/api/v1/media/")) ranges.push(r.headers().range); });
  const result = await page.evaluate(() => new Promise((resolve) => {
    const audio = new Audio("/api/v1/media/1");
    audio.addEventListener("loadedmetadata", () => resolve({ duration: audio.duration }));
    audio.addEventListener("error", () => resolve({ error: audio.error?.code }));
  }));
  console.log(`# media requests with Range: ${JSON.stringify(ranges)}`);
  assert.ok(ranges.includes("bytes=0-"), `Range headers sent: ${ranges}`);
  assert.equal(result.error, undefined);
  assert.ok(result.duration > 0.5, `duration ${result.duration}`);
  await page.context().close();
});

test("the group rhythm set on the dashboard reaches the workstation", async () => {
  const page = await login(tokens.Kim);
  await page.locator("#room-start").fill("09:30");
  await page.getByRole("button", { name: "Voor de hele groep instellen" }).click();
  await page.getByText("Het groepsritme is ingesteld.").waitFor({ timeout: 3000 });
  const me = await api(tokens.Ann, "GET", "/api/v1/me");
  assert.deepEqual(me.json.room, { start: "09:30", work_minutes: 45, break_minutes: 15, blocks: 4 });
  await page.context().close();
});

test("the dashboard's pages run with no policy refusal", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const refused = [];
  page.on("console", (m) => { if (/Content Security Policy/i.test(m.text())) refused.push(m.text()); });
  await page.goto(base + "/coach/");
  await page.getByLabel("Je coachcode").fill(tokens.Kim);
  await page.getByRole("button", { name: "Aanmelden" }).click();
  await card(page, "Ann").getByRole("link", { name: "Ann" }).click();
  await page.getByRole("heading", { level: 1, name: "Ann" }).waitFor();
  await page.waitForTimeout(1500);
  assert.deepEqual(refused, []);
  await context.close();
});

// SPDX-License-Identifier: GPL-3.0-or-later
// The coaches' dashboard in real headless Chromium, against the real
// annolab-queue; a test client plays the workstations over the HTTP API.
// Accessibility is checked with axe-core inside the same browser.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { Lab, MIN } from "./lab.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const shots = join(process.env.ANNOLAB_BUILD_ROOT, "tests", "browser");
const axeSource = readFileSync(join(here, "node_modules", "axe-core", "axe.min.js"), "utf8");
const lab = new Lab(process.env.ANNOLAB_BUILD_ROOT, mkdtempSync(join(tmpdir(), "annolab-dashboard-")));
const PEOPLE = ["Ann", "Bas", "Cem", "Dana", "Eva", "Finn", "Gijs", "Hana"];
const notices = Object.fromEntries(PEOPLE.map((p) => [p, []]));
let browser, keepalive;
// Before 00:45 today's blocks would have begun yesterday.
const lateEnough = new Date().getHours() > 0 || new Date().getMinutes() >= 45;

// A heartbeat as the workstation sends it; the notices it brings back are kept.
async function beat(who, extra = {}) {
  const res = await lab.event(who, "heartbeat", extra);
  notices[who].push(...(res.json?.notices || []).map((n) => n.type));
  return res;
}

// Two weeks for four people, sent side by side, then today so far.
async function history() {
  const now = Date.now();
  await Promise.all([
    lab.weeks("Ann", (k, n) => ({ tasks: Math.round(10 + (6 * k) / (n - 1)), quality: 0.5 + (0.4 * k) / (n - 1),
      leadMs: 150000 - (60000 * k) / (n - 1) })),
    lab.weeks("Bas", () => ({ tasks: 15, quality: 0.9, leadMs: 60000 })),
    lab.weeks("Cem", () => ({ tasks: 12, quality: 0.8, leadMs: 70000 })),
    lab.weeks("Eva", (k) => ({ tasks: 12, quality: 0.85, leadMs: 80000, pauses: k % 2 })),
  ]);
  await Promise.all([
    lab.block("Ann", now - 30 * MIN, { minutes: 28, tasks: 9, quality: 1, leadMs: 70000, stop: null }),
    // Bas: at his usual pace at first, then each task takes two and a half times as long.
    (async () => {
      await lab.event("Bas", "block_start", { at: now - 40 * MIN, block: 1, blocks: 2 });
      for (let i = 0; i < 5; i++) await lab.result("Bas", { at: now - (38 - 4 * i) * MIN, leadMs: 60000 });
      for (const m of [14, 9, 4]) await lab.result("Bas", { at: now - m * MIN, leadMs: 150000 });
    })(),
    lab.block("Cem", now - 30 * MIN, { minutes: 25, tasks: 6, quality: 0.8, leadMs: 70000, stop: "pause_start" }),
    lab.block("Dana", now - 20 * MIN, { minutes: 18, tasks: 5, quality: 0.8, stop: null }),
    lab.block("Eva", now - 40 * MIN, { minutes: 35, tasks: 8, quality: 0.85, pauses: 3, stop: "break_start" }),
    lab.block("Finn", now - 50 * MIN, { minutes: 20, tasks: 5, stop: null }),
    lab.block("Hana", now - 120 * MIN, { minutes: 45, tasks: 12, stop: null }),
  ]);
}

// What each workstation says as the server under test starts.
async function live() {
  await beat("Ann", { block: 1, blocks: 2, ms_left: 17 * MIN });
  await lab.result("Ann", { leadMs: 70000 });
  await beat("Bas", { block: 1, blocks: 2, ms_left: 5 * MIN });
  await lab.result("Bas", { leadMs: 150000 });
  await beat("Cem", { state: "pause", block: 1, blocks: 2, ms_left: 15 * MIN });
  await beat("Dana", { block: 1, blocks: 2, ms_left: 27 * MIN });
  await lab.result("Dana", { leadMs: 60000 });
  await beat("Eva", { state: "break", block: 1, blocks: 2, ms_left: 10 * MIN });
  // Finn's last word came four minutes ago: he is offline.
  await beat("Finn", { at: new Date(Date.now() - 4 * MIN).toISOString(), block: 1, blocks: 2, ms_left: 20 * MIN });
  // Gijs began a block 25 minutes ago and has done nothing since.
  await lab.event("Gijs", "block_start", { at: new Date(Date.now() - 25 * MIN).toISOString(), block: 1, blocks: 2 });
  await beat("Gijs", { block: 1, blocks: 2, ms_left: 20 * MIN });
  await lab.event("Hana", "session_end", { at: new Date(Date.now() - 75 * MIN).toISOString() });
}

before(async () => {
  lab.setUp(process.env.ANNOLAB_SOURCE_ROOT, PEOPLE, [["Kim", "a"], ["Lea", "b"]]);
  await lab.start();
  await history();
  await lab.stop();
  lab.moveHistory();
  await lab.start();
  await live();
  // Workstations send a heartbeat every few seconds; Finn's stays away.
  keepalive = setInterval(() => PEOPLE.filter((p) => p !== "Finn").forEach((p) => beat(p).catch(() => {})), 10000);
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  clearInterval(keepalive);
  await browser?.close();
  await lab.stop();
});

// A page that counts the tones it plays and every Content-Security-Policy
// complaint (the dashboard has no inline script or style).
async function newPage(viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport, locale: "nl-NL" });
  await context.addInitScript(() => {
    window.__tones = 0;
    const C = window.AudioContext;
    if (C) {
      const make = C.prototype.createOscillator;
      C.prototype.createOscillator = function () { window.__tones++; return make.call(this); };
    }
  });
  const page = await context.newPage();
  page.cspErrors = [];
  page.on("console", (m) => /Content Security Policy/i.test(m.text()) && page.cspErrors.push(m.text()));
  page.on("pageerror", (e) => page.cspErrors.push(`script error: ${e.message}`));
  return page;
}

// Signing in with the keyboard only: type the code, press Enter.
async function login(token = lab.tokens.Kim, viewport) {
  const page = await newPage(viewport);
  await page.goto(lab.base + "/coach/");
  await page.getByLabel("Je coachcode").waitFor();
  await page.keyboard.type(token);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { level: 3, name: "Ann" }).waitFor();
  return page;
}

const card = (page, name) => page.locator("li.participant", { has: page.getByRole("heading", { name, level: 3 }) });
const order = (page) => page.locator("li.participant").evaluateAll((lis) => lis.map((li) => li.dataset.name));

async function axe(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  return result.violations.map((v) => `${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

// Every visible control, and the ones Tab reaches: the same set. A radio
// group is one stop, as in every browser.
async function keyboardReach(page) {
  const describe = () => {
    window.__describe = (el) => {
      const li = el.closest("li.participant");
      const name = el.type === "radio" ? `radio:${el.name}` : (el.id || el.textContent.trim().slice(0, 30));
      return `${el.tagName}|${name}|${li ? li.dataset.name : ""}`;
    };
  };
  await page.evaluate(describe);
  const controls = await page.evaluate(() => [...new Set([...document.querySelectorAll("a[href], button, input, select, summary")]
    .filter((el) => !el.disabled && el.getClientRects().length && getComputedStyle(el).visibility !== "hidden")
    .map(window.__describe))].sort());
  await page.evaluate(() => document.activeElement?.blur());
  await page.evaluate(() => window.scrollTo(0, 0));
  const reached = new Set();
  for (let i = 0; i < controls.length + 10; i++) {
    await page.keyboard.press("Tab");
    const d = await page.evaluate(() => (document.activeElement && document.activeElement !== document.body
      ? window.__describe(document.activeElement) : null));
    if (d) reached.add(d);
  }
  return { controls, missing: controls.filter((c) => !reached.has(c)) };
}

test("before login the page holds nothing but the login form", async () => {
  const page = await newPage();
  await page.goto(lab.base + "/coach/");
  await page.getByLabel("Je coachcode").waitFor();
  const outside = await page.evaluate(() => [...document.querySelectorAll("#page *")]
    .filter((el) => !el.closest("#login") && !["MAIN"].includes(el.tagName)).map((el) => el.outerHTML));
  assert.deepEqual(outside, [], "only the login form is in the page");
  const text = await page.evaluate(() => document.body.innerText);
  assert.doesNotMatch(text, /Afmelden|Ritme|Deelnemers/);
  assert.equal(await page.locator("li.participant").count(), 0);
  assert.equal(await page.evaluate(() => document.activeElement.id), "token", "the code field has focus");
  await page.screenshot({ path: join(shots, "login.png") });
  assert.deepEqual(await axe(page), []);
  const keys = await keyboardReach(page);
  assert.deepEqual(keys.missing, [], `reached by Tab: ${keys.controls}`);
  assert.deepEqual(page.cspErrors, []);
  await page.context().close();
});

test("the room view puts people first, sorted by need, each state in words", async () => {
  const page = await login();
  await card(page, "Hana").getByText("Klaar voor vandaag").waitFor({ timeout: 3000 });
  assert.deepEqual(await order(page), ["Gijs", "Finn", "Ann", "Bas", "Dana", "Cem", "Eva", "Hana"]);
  const words = await page.locator("li.participant .state-word").allTextContents();
  assert.deepEqual(words, ["Stil", "Niet verbonden", "Aan het werk", "Aan het werk", "Aan het werk", "Extra pauze",
    "Pauze", "Klaar voor vandaag"]);
  // The cards come before any form; the group rhythm has its own page.
  assert.equal(await page.locator("form").count(), 0);
  await page.getByRole("link", { name: "Groepsritme" }).waitFor();
  assert.deepEqual(page.cspErrors, []);
  await page.context().close();
});

test("an offline participant's timer stops and the card says since when", async () => {
  const page = await login();
  const finn = card(page, "Finn");
  await finn.getByText("Niet verbonden").waitFor({ timeout: 3000 });
  const first = await finn.textContent();
  assert.match(first, /sinds \d\d:\d\d/);
  assert.doesNotMatch(first, /nog \d/, "no time left is shown");
  await page.waitForTimeout(2500);
  assert.equal(await finn.textContent(), first, "the card does not count down");
  // A working card's timer does move on.
  const a1 = await card(page, "Ann").textContent();
  await page.waitForTimeout(1500);
  assert.notEqual(await card(page, "Ann").textContent(), a1);
  assert.match(await card(page, "Hana").locator(".when").textContent(), /^sinds \d\d:\d\d$/);
  assert.match(await card(page, "Gijs").locator(".when").textContent(), /^geen invoer sinds \d\d:\d\d · Blok 1 van 2/);
  await page.context().close();
});

test("a help request goes to the first card within 2 s, with the title and a sound; K acknowledges", async () => {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 768, height: 1024 }]) {
    const page = await login(lab.tokens.Kim, viewport);
    assert.doesNotMatch(await page.title(), /hulp/);
    const tones = await page.evaluate(() => window.__tones ?? 0);
    const t0 = Date.now();
    await lab.event("Dana", "help");
    await page.waitForFunction(() => document.querySelector("li.participant")?.dataset.name === "Dana", null,
      { timeout: 2000 });
    assert.ok(Date.now() - t0 < 2000, "Dana's card is first within 2 seconds");
    assert.equal(await page.title(), "1 vraagt hulp – annolab");
    assert.ok(await page.evaluate(() => window.__tones) > tones, "a sound was played");
    assert.equal(await page.getByRole("button", { name: /Geluid bij hulpvraag: aan/ }).getAttribute("aria-pressed"), "true");
    await card(page, "Dana").getByText(/^wacht \d:\d\d/).waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(shots, `room-${viewport.width}.png`), fullPage: true });
    // One key answers whoever has waited longest.
    await page.keyboard.press("k");
    await page.getByText("Doorgegeven: je komt eraan.").waitFor({ timeout: 3000 });
    await beat("Dana");
    assert.ok(notices.Dana.includes("help_ack"), "the workstation hears that the coach is coming");
    notices.Dana.length = 0;
    await page.waitForFunction(() => !document.title.includes("hulp"), null, { timeout: 3000 });
    assert.deepEqual(page.cspErrors, []);
    await page.context().close();
  }
});

test("a help request is acknowledged with one tap on its card", async () => {
  const page = await login();
  await lab.event("Gijs", "help");
  const ack = card(page, "Gijs").getByRole("button", { name: "Ik kom eraan (Gijs)" });
  await ack.waitFor({ timeout: 3000 });
  await ack.click();
  await page.getByText("Doorgegeven: je komt eraan.").waitFor({ timeout: 3000 });
  await beat("Gijs");
  assert.ok(notices.Gijs.includes("help_ack"));
  await page.context().close();
});

test("the sound can be switched off, and then a help request is silent", async () => {
  const page = await login();
  const sound = page.getByRole("button", { name: /Geluid bij hulpvraag/ });
  await sound.focus();
  await page.keyboard.press("Space");
  assert.equal(await sound.getAttribute("aria-pressed"), "false");
  assert.match(await sound.textContent(), /uit$/);
  const tones = await page.evaluate(() => window.__tones);
  await lab.event("Cem", "help");
  await card(page, "Cem").getByRole("button", { name: /Ik kom eraan/ }).waitFor({ timeout: 3000 });
  assert.equal(await page.evaluate(() => window.__tones), tones);
  await card(page, "Cem").getByRole("button", { name: /Ik kom eraan/ }).click();
  await page.context().close();
});

test("cards give plain hints of load against the person's own usual, with a decimal comma", async (t) => {
  if (!lateEnough) return t.skip("today's blocks would have begun yesterday");
  const page = await login();
  const bas = card(page, "Bas");
  await bas.getByText("Trager dan gewoonlijk in de laatste 15 minuten").waitFor({ timeout: 5000 });
  assert.match(await bas.locator(".hints").textContent(), /Minder taken dan gewoonlijk: \d+,\d per uur, meestal 20,0\./);
  await card(page, "Eva").getByText(/Meer extra pauzes dan gewoonlijk: 3 vandaag, meestal 0,5 per dag\./).waitFor();
  // Someone without earlier days gets no comparison at all.
  assert.equal(await card(page, "Dana").locator(".hints").count(), 0);
  assert.deepEqual(await axe(page), []);
  await page.context().close();
});

test("the room view passes axe and works from the keyboard alone", async () => {
  const page = await login();
  await card(page, "Hana").waitFor();
  assert.deepEqual(await axe(page), []);
  const keys = await keyboardReach(page);
  assert.deepEqual(keys.missing, [], `reached by Tab: ${keys.controls}`);
  // A name link opens the participant page from the keyboard.
  await card(page, "Ann").getByRole("link", { name: "Ann" }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { level: 1, name: "Ann" }).waitFor();
  await page.context().close();
});

test("the participant page shows weeks of blocks as charts with axes, captions and tables", async () => {
  const page = await login();
  await card(page, "Ann").getByRole("link", { name: "Ann" }).click();
  await page.getByRole("heading", { level: 1, name: "Ann" }).waitFor();
  // Ann is working: no break to end, no help to answer.
  assert.equal(await page.getByRole("button", { name: "Pauze nu beëindigen" }).isVisible(), false);
  assert.equal(await page.getByRole("button", { name: "Ik kom eraan" }).isVisible(), false);
  const chart = page.locator("#tph-chart svg[role=img]");
  await chart.waitFor();
  assert.match(await chart.getAttribute("aria-label"), /^Taken per uur, per blok: \d+ blokken van .+; laagste \d+, hoogste \d+, laatste \d+\.$/);
  assert.match(await page.locator("#quality-chart svg").getAttribute("aria-label"), /laagste \d+%, hoogste \d+%/);
  assert.ok(await page.locator("#tph-chart circle.dot").count() >= 16, "two weeks of blocks are drawn");
  assert.ok(await page.locator("#tph-chart text.tick").count() >= 7, "the axes have figures");
  await page.getByText("Taken per uur in elk blok, tot vier weken terug", { exact: false }).waitFor();
  // The table behind the chart opens from the keyboard.
  await page.locator("#tph-chart + details summary").focus();
  await page.keyboard.press("Enter");
  const rows = page.locator("#tph-table tbody tr");
  assert.ok(await rows.count() >= 16);
  const cells = await page.locator("#days tbody td.number").allTextContents();
  assert.ok(cells.some((c) => /^\d+,\d\d$/.test(c)), `hours with a decimal comma: ${cells}`);
  assert.ok(!cells.some((c) => /\d\.\d/.test(c)), "no decimal point in Dutch");
  // Two blocks of 45 minutes a day in the history: about 1,5 hours each day,
  // counted from when the server received the work.
  const hours = await page.locator("#days tbody tr").evaluateAll((rows) =>
    rows.map((r) => r.cells[2].textContent));
  // The last two rows are yesterday and today: the other tests' live work
  // lands there, and after midnight some of it in yesterday.
  const value = (h) => parseFloat(h.replace(",", "."));
  const settled = hours.slice(0, -2).filter((h) => value(h) >= 1.2 && value(h) <= 1.6);
  assert.ok(settled.length >= 7 && value(hours.at(-2)) >= 1.2, `hours per day: ${hours}`);
  assert.match(await page.locator("#now").textContent(), /\d+,\d/);
  await page.screenshot({ path: join(shots, "participant-weeks.png"), fullPage: true });
  await page.locator("section", { has: page.locator("#charts-title") }).screenshot({ path: join(shots, "participant-charts.png") });
  assert.deepEqual(await axe(page), []);
  const keys = await keyboardReach(page);
  assert.deepEqual(keys.missing, [], `reached by Tab: ${keys.controls}`);
  // In English the same figures have a decimal point.
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("heading", { level: 2, name: "Progress over the weeks" }).waitFor();
  const english = await page.locator("#days tbody td.number").allTextContents();
  assert.ok(english.some((c) => /^\d+\.\d\d$/.test(c)), `hours with a decimal point: ${english}`);
  await page.getByRole("button", { name: "Nederlands" }).click();
  assert.deepEqual(page.cspErrors, []);
  await page.context().close();
});

test("a plan changed on the participant page reaches the workstation", async () => {
  const page = await login();
  await card(page, "Ann").getByRole("link", { name: "Ann" }).click();
  await page.getByRole("heading", { level: 1, name: "Ann" }).waitFor();
  await page.waitForFunction(() => document.getElementById("plan-work").max === "240");
  assert.equal(await page.locator("#plan-break").getAttribute("max"), "120");
  assert.equal(await page.locator("#plan-blocks").getAttribute("max"), "12");
  await page.locator("#plan-work").fill("30");
  await page.locator("#plan-break").fill("10");
  await page.locator("#plan-blocks").fill("3");
  // The page reloads its figures every few seconds; what is typed stays.
  await page.waitForTimeout(5500);
  assert.equal(await page.locator("#plan-work").inputValue(), "30");
  await page.getByLabel("Met de groep").check();
  await page.getByLabel("Spraakmodus", { exact: true }).check();
  await page.getByLabel("Ervaren: korte woorden en tonen").check();
  await page.getByRole("button", { name: "Schema bewaren" }).click();
  await page.getByText("Bewaard. Het nieuwe schema geldt vanaf het volgende blok.").waitFor();
  const me = await lab.api("Ann", "GET", "/api/v1/me");
  assert.equal(me.json.settings.plan.work_minutes, 30);
  assert.equal(me.json.settings.plan.rhythm, "room");
  assert.equal(me.json.settings.voice, true);
  assert.equal(me.json.settings.verbosity, "experienced");
  assert.ok(me.json.notices.some((n) => n.type === "settings"));
  await page.context().close();
});

test("the group rhythm has its own page, shows what holds, and is set from the keyboard", async () => {
  const page = await login();
  await page.getByRole("link", { name: "Groepsritme" }).click();
  await page.getByRole("heading", { level: 1, name: "Ritme van de groep" }).waitFor();
  await page.getByText("Er is nog geen groepsritme ingesteld.").waitFor();
  // The fields hold to the limits the server checks, as the server gives them.
  assert.deepEqual(await page.evaluate(() => ["room-work", "room-break", "room-blocks"].map(
    (id) => [document.getElementById(id).min, document.getElementById(id).max])),
    [["1", "240"], ["1", "120"], ["1", "12"]]);
  await page.getByLabel("Start").fill("09:30");
  await page.getByLabel("Werkminuten").fill("40");
  await page.getByLabel("Blokken").focus();
  await page.keyboard.press("Enter");
  await page.getByText("Het groepsritme is ingesteld.").waitFor();
  // What the form sent passed the server's checks and reaches the workstation.
  const me = await lab.api("Ann", "GET", "/api/v1/me");
  assert.deepEqual(me.json.room, { start: "09:30", work_minutes: 40, break_minutes: 15, blocks: 4 });
  await page.reload();
  await page.getByRole("heading", { level: 1, name: "Ritme van de groep" }).waitFor();
  await page.waitForFunction(() => document.getElementById("room-start").value === "09:30");
  assert.equal(await page.getByLabel("Werkminuten").inputValue(), "40");
  await page.screenshot({ path: join(shots, "room-rhythm.png") });
  assert.deepEqual(await axe(page), []);
  const keys = await keyboardReach(page);
  assert.deepEqual(keys.missing, [], `reached by Tab: ${keys.controls}`);
  assert.deepEqual(page.cspErrors, []);
  await page.context().close();
});

test("keyboard focus on a name link stays there through live updates", async () => {
  const page = await login();
  const link = card(page, "Bas").getByRole("link", { name: "Bas" });
  await link.focus();
  await beat("Bas", { block: 1, blocks: 2, ms_left: 200000 });
  await beat("Bas", { block: 1, blocks: 2, ms_left: 100000 });
  await page.waitForTimeout(1500);
  const focused = await page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el.tagName, text: el.textContent, card: el.closest("li")?.dataset.name };
  });
  assert.deepEqual(focused, { tag: "A", text: "Bas", card: "Bas" });
  assert.deepEqual(page.cspErrors, []);
  await page.context().close();
});

test("a coach of another group sees none of them, nor their signals", async () => {
  const page = await newPage();
  await page.goto(lab.base + "/coach/");
  await page.getByLabel("Je coachcode").fill(lab.tokens.Lea);
  await page.getByRole("button", { name: "Aanmelden" }).click();
  await page.getByText("Er zijn nog geen deelnemers in jouw groep.").waitFor();
  assert.equal(await page.locator("li.participant").count(), 0);
  const status = await page.evaluate(async () => [(await fetch("/api/v1/participants/1")).status,
    (await fetch("/api/v1/participants/1/signals")).status, (await (await fetch("/api/v1/signals")).json()).signals.length]);
  assert.deepEqual(status, [404, 404, 0]);
  const asParticipant = await lab.api("Ann", "GET", "/api/v1/signals");
  assert.equal(asParticipant.status, 403);
  await page.context().close();
});

test("a participant token does not open the dashboard", async () => {
  const page = await newPage();
  await page.goto(lab.base + "/coach/");
  await page.getByLabel("Je coachcode").fill(lab.tokens.Ann);
  await page.getByRole("button", { name: "Aanmelden" }).click();
  await page.getByRole("alert").getByText("Die code klopt niet").waitFor();
  await page.context().close();
});

test("a signed-in coach whose server cannot reach its database is told so, and gets the room once it can", async () => {
  const page = await login();
  const unavailable = (route) => route.fulfill({
    status: 503, contentType: "application/json",
    body: JSON.stringify({ error: { code: "database_unavailable", message: "The database postgresql:///lab cannot be reached" } }),
  });
  await page.route("**/api/v1/participants", unavailable);
  await page.reload();
  // Not "that code is not right": nothing is wrong with the coach's code.
  await page.getByRole("alert").getByText("de server kan zijn database nu niet bereiken").waitFor();
  assert.equal(await page.getByText("Die code klopt niet").count(), 0);
  assert.equal(await page.getByText("postgresql").count(), 0);
  await page.unroute("**/api/v1/participants", unavailable);
  await page.getByRole("heading", { level: 3, name: "Ann" }).waitFor({ timeout: 10000 });
  await page.context().close();
});

test("the page works in English and every control has a name", async () => {
  const page = await login();
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("heading", { level: 1, name: "Participants" }).waitFor();
  await card(page, "Hana").getByText("Done for today").waitFor();
  const unnamed = await page.evaluate(() => [...document.querySelectorAll("button, input, a, select")]
    .filter((el) => !(el.labels?.length || el.getAttribute("aria-label") || el.textContent.trim()))
    .map((el) => el.outerHTML));
  assert.deepEqual(unnamed, []);
  await page.reload();
  await page.getByRole("heading", { level: 1, name: "Participants" }).waitFor();
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Skip to content");
  await page.getByRole("button", { name: "Nederlands" }).click();
  await page.context().close();
});

test("a broken report reaches the coach, who puts the task back from the keyboard; refusals show", async () => {
  const lease = await lab.api("Dana", "POST", "/api/v1/lease");
  const id = lease.json.task.id;
  const path = `/api/v1/leases/${lease.json.lease.id}/broken`;
  assert.equal((await lab.api("Dana", "POST", path, { reason: "geen geluid" })).status, 204);
  const again = await lab.api("Dana", "POST", path, { reason: "geen geluid" });
  assert.equal(again.status, 409);
  assert.equal(again.json.error.code, "lease_gone");

  const page = await login();
  await page.getByText(`Taak ${id}: geen geluid (gemeld door Dana)`).waitFor({ timeout: 3000 });
  // The header says there is one, and its link leads to the list.
  await page.getByRole("link", { name: "Kapotte taken: 1" }).click();
  const restore = page.getByRole("button", { name: `Taak ${id} terugzetten` });
  const keys = await keyboardReach(page);
  assert.deepEqual(keys.missing, [], `reached by Tab: ${keys.controls}`);
  assert.ok(keys.controls.some((c) => c.startsWith("BUTTON|Terugzetten")), `controls: ${keys.controls}`);
  await page.screenshot({ path: join(shots, "room-broken.png"), fullPage: true });
  await restore.focus();
  await page.keyboard.press("Enter");
  await page.getByText(`Taak ${id} doet weer mee.`).waitFor({ timeout: 3000 });
  await page.getByText("Geen taken gemeld als kapot.").waitFor();
  assert.equal(await page.getByRole("link", { name: /Kapotte taken/ }).count(), 0);
  assert.deepEqual((await lab.api("Kim", "GET", "/api/v1/tasks/broken")).json.tasks, []);

  await card(page, "Dana").getByRole("link", { name: "Dana" }).click();
  await page.getByRole("heading", { level: 1, name: "Dana" }).waitFor();
  await page.locator("#refusals").getByRole("cell", { name: "lease_gone" }).waitFor({ timeout: 3000 });
  assert.match(await page.locator("#today").textContent(), /Geweigerd1/);
  assert.equal(await page.locator("#refusals-none").isVisible(), false);
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(page.cspErrors, []);
  await page.context().close();
});

test("a pass reaches the coach with its reason; the coach allows image tasks in voice mode", async () => {
  // Cem, in voice mode, passes on a recording: too noisy.
  const lease = await lab.api("Cem", "POST", "/api/v1/lease", { voice: true });
  assert.equal(lease.status, 200);
  assert.equal(lease.json.task.kind, "transcribe");
  const path = `/api/v1/leases/${lease.json.lease.id}/pass`;
  assert.equal((await lab.api("Cem", "POST", path, { reason: "boring" })).status, 400);
  assert.equal((await lab.api("Cem", "POST", path, { reason: "noisy" })).status, 204);

  const page = await login();
  await card(page, "Cem").getByText("1 taak overgeslagen vandaag (te veel lawaai 1)").waitFor({ timeout: 3000 });
  await card(page, "Cem").getByRole("link", { name: "Cem" }).click();
  await page.getByRole("heading", { level: 1, name: "Cem" }).waitFor();
  await page.locator("#now").getByRole("row", { name: /Overgeslagen vandaag/ })
    .getByText("1 taak overgeslagen vandaag (te veel lawaai 1)").waitFor({ timeout: 3000 });
  // The setting, from the keyboard alone.
  const allow = page.getByLabel("Mag in spraakmodus ook beeldtaken krijgen");
  assert.equal(await allow.isChecked(), false);
  await allow.focus();
  await page.keyboard.press("Space");
  await page.getByRole("button", { name: "Schema bewaren" }).focus();
  await page.keyboard.press("Enter");
  await page.getByText("Bewaard. Het nieuwe schema geldt vanaf het volgende blok.").waitFor();
  const me = await lab.api("Cem", "GET", "/api/v1/me");
  assert.equal(me.json.settings.voice_images, true);
  await page.reload();
  await page.getByRole("heading", { level: 1, name: "Cem" }).waitFor();
  await page.waitForFunction(() => document.getElementById("plan-voice-images").checked);
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(page.cspErrors, []);
  await page.context().close();
});

// ---- Limits and the web ----

test("the printable work record shows styled, under its own policy", async () => {
  const page = await login();
  await card(page, "Ann").getByRole("link", { name: "Ann" }).click();
  await page.getByRole("heading", { level: 1, name: "Ann" }).waitFor();
  const href = await page.locator("#record-html").getAttribute("href");
  await page.goto(lab.base + href);
  await page.getByRole("heading", { level: 1, name: /Ann/ }).waitFor();
  const style = await page.evaluate(() => ({
    collapse: getComputedStyle(document.querySelector("table")).borderCollapse,
    border: getComputedStyle(document.querySelector("td")).borderTopStyle,
    width: getComputedStyle(document.body).maxWidth,
  }));
  await page.screenshot({ path: join(shots, "record.png"), fullPage: true });
  assert.deepEqual(page.cspErrors, []);
  assert.equal(style.collapse, "collapse");
  assert.equal(style.border, "solid");
  assert.notEqual(style.width, "none");
  await page.context().close();
});

test("an audio element loads media by Range, as every browser asks", async () => {
  const page = await login();
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

test("the dashboard's pages run with no policy refusal", async () => {
  const page = await login();
  await page.waitForTimeout(1500);
  await page.getByRole("link", { name: "Groepsritme" }).click();
  await page.getByRole("heading", { level: 1, name: "Ritme van de groep" }).waitFor();
  await page.goBack();
  await card(page, "Ann").getByRole("link", { name: "Ann" }).click();
  await page.getByRole("heading", { level: 1, name: "Ann" }).waitFor();
  await page.locator("#tph-chart svg").waitFor();
  await page.waitForTimeout(1500);
  assert.deepEqual(page.cspErrors, []);
  await page.context().close();
});

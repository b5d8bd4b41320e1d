// SPDX-License-Identifier: GPL-3.0-or-later
// A lab for the dashboard tests: a real annolab-queue on a real SQLite
// file, with two weeks of work made through the HTTP API.
//
// The server stamps a result with the time it arrives, so weeks of results
// cannot be sent in a minute. The history is therefore sent first to a
// server of its own; every history result carries its intended time in its
// idempotency key ("hist-<ms>"), and after that server has stopped, the
// sqlite3 CLI moves each result to that time. Events carry the time they
// describe, but hours are counted from when the server received them, so
// each history event is moved to be received at its own time. Then the
// server under test starts on the same file.
import { spawn, execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

const MIN = 60000;

export class Lab {
  constructor(build, dir) {
    this.queue = join(build, "server", "annolab-queue");
    this.dir = dir;
    this.db = join(dir, "lab.db");
    this.tokens = {};
    this.server = null;
    this.base = null;
  }

  run(...args) {
    return execFileSync(this.queue, ["--db", this.db, ...args], { encoding: "utf8" }).trim();
  }

  // Transcription tasks, all with a known answer, so every result is scored.
  setUp(source, people, coaches) {
    const tasks = join(this.dir, "tasks.jsonl");
    const audio = join(source, "data", "demo", "audio", "cards-001.wav");
    writeFileSync(tasks, Array.from({ length: 700 }, (_, i) =>
      JSON.stringify({ id: `s${i}`, kind: "transcribe", audio, language: "en", gold: { text: "ten of clubs" } }))
      .join("\n") + "\n");
    // The audio lies outside the task file's folder: name the folder it may come from.
    this.run("import", tasks, "--media-root", join(source, "data", "demo"));
    for (const name of people) this.tokens[name] = this.run("user", "add", name, "--role", "participant", "--group", "a");
    for (const [name, group] of coaches) this.tokens[name] = this.run("user", "add", name, "--role", "coach", "--group", group);
  }

  async start() {
    // A high rate limit: the history is sent as fast as the server answers.
    this.server = spawn(this.queue, ["--db", this.db, "serve", "--listen", "127.0.0.1:0", "--rate", "100000"],
      { stdio: ["ignore", "pipe", "inherit"] });
    const line = await new Promise((resolve) => createInterface({ input: this.server.stdout }).once("line", resolve));
    this.base = line.replace("listening on ", "");
  }

  async stop() {
    if (!this.server) return;
    const done = new Promise((resolve) => this.server.once("exit", resolve));
    this.server.kill("SIGTERM");
    await done;
    this.server = null;
  }

  async api(who, method, path, body) {
    const res = await fetch(this.base + path, {
      method,
      headers: { Authorization: `Bearer ${this.tokens[who]}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  }

  event(who, type, extra = {}) {
    return this.api(who, "POST", "/api/v1/events", { type, ...extra });
  }

  // One real lease and result; @at the time it is meant to have, or now.
  async result(who, { text = "ten of clubs", leadMs = 60000, at = null } = {}) {
    const lease = await this.api(who, "POST", "/api/v1/lease");
    if (!lease.json?.lease) throw new Error(`no task for ${who}: ${JSON.stringify(lease.json)}`);
    const key = at === null ? `live-${who}-${Date.now()}-${Math.random()}` : `hist-${Math.round(at)}`;
    const res = await this.api(who, "POST", "/api/v1/results", {
      lease_id: lease.json.lease.id, idempotency_key: key, lead_time_ms: Math.round(leadMs), result: { text } });
    if (res.status !== 200 && res.status !== 201) throw new Error(`result refused: ${JSON.stringify(res.json)}`);
  }

  // A block of work from @start: @tasks results spread over @minutes,
  // each taking @leadMs, with @quality of them exactly right.
  async block(who, start, { minutes = 45, tasks = 15, leadMs = 60000, quality = 0.9, first = true, stop = "break_start",
    pauses = 0, blocks = 2, number = 1 }) {
    await this.event(who, first ? "block_start" : "break_end", { at: start, block: number, blocks });
    for (let p = 0; p < pauses; p++) {
      const at = start + ((p + 1) * minutes * MIN) / (pauses + 1);
      await this.event(who, "pause_start", { at });
      await this.event(who, "pause_end", { at: at + MIN });
    }
    for (let i = 0; i < tasks; i++) {
      const right = (i + 1) / tasks <= quality || (i === 0 && quality > 0.5);
      await this.result(who, { text: right ? "ten of clubs" : "nine of hearts", leadMs,
        at: start + ((i + 1) * minutes * MIN) / (tasks + 1) });
    }
    if (stop) await this.event(who, stop, { at: start + minutes * MIN, block: number, blocks });
  }

  // Two blocks on each Monday to Thursday of the two weeks before today;
  // @profile(k, of) gives the block's figures for work day k of @of.
  async weeks(who, profile) {
    const days = [];
    for (let d = 14; d >= 1; d--) {
      const day = new Date();
      day.setDate(day.getDate() - d);
      day.setHours(9, 0, 0, 0);
      if (day.getDay() >= 1 && day.getDay() <= 4) days.push(day.getTime());
    }
    for (const [k, nine] of days.entries()) {
      const p = profile(k, days.length);
      await this.block(who, nine, { ...p, number: 1, first: true, stop: "break_start" });
      await this.block(who, nine + 60 * MIN, { ...p, pauses: 0, number: 2, first: false, stop: "session_end" });
    }
  }

  // Give every history result the time its key names.
  moveHistory() {
    execFileSync("sqlite3", [this.db, "UPDATE results SET submitted_at = CAST(substr(idempotency_key, 6) AS INTEGER)"
      + " WHERE idempotency_key LIKE 'hist-%';"
      + " UPDATE events SET received_at = at;"]);
  }
}

export { MIN };

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { EventLog } from "../../src/event-log/event-log.js";
import { FileSegments } from "../../src/event-log/segment-files.js";
import { importLogFile } from "../../src/control/import-log-files.js";
import { OneAtATime } from "../../src/control/one-at-a-time.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function openLog(): EventLog {
  const dir = mkdtempSync(join(tmpdir(), "localtrail-import-"));
  dirs.push(dir);
  const log = new EventLog(new FileSegments(dir), { retentionDays: 90, now: () => new Date(), tokenSecret: Buffer.alloc(32, 1) });
  log.open();
  return log;
}

it("adds each record once when the same log file is imported several times at once", async () => {
  const log = openLog();
  const eventTime = new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const base = { eventVersion: "1.08", userIdentity: { type: "Root" }, eventTime, awsRegion: "us-east-1", eventSource: "iam.amazonaws.com", eventName: "ListUsers", recipientAccountId: "123456789012", eventCategory: "Management" };
  // More records than one event-loop turn appends, so the imports interleave.
  const body = Buffer.from(JSON.stringify({ Records: Array.from({ length: 5000 }, (_, i) => ({ ...base, eventID: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}` })) }));
  // As the server runs them (src/app.ts): one at a time.
  const historyChanges = new OneAtATime();

  const results = await Promise.all([1, 2, 3].map(() => historyChanges.run(() => importLogFile(body, log, []))));

  expect(results.map((r) => r.imported).reduce((a, b) => a + b)).toBe(5000);
  expect(results.map((r) => r.duplicates).reduce((a, b) => a + b)).toBe(10_000);
  expect(log.size).toBe(5000);
  await log.close();
});

it("takes tasks one at a time, in order, and goes on after one that failed", async () => {
  const historyChanges = new OneAtATime();
  const log: string[] = [];
  const task = (name: string, ms: number, fail = false) => async () => {
    log.push(`${name} start`);
    await new Promise((r) => setTimeout(r, ms));
    log.push(`${name} end`);
    if (fail) throw new Error(name);
    return name;
  };
  const results = await Promise.allSettled([historyChanges.run(task("a", 30)), historyChanges.run(task("b", 5, true)), historyChanges.run(task("c", 1))]);
  expect(log).toEqual(["a start", "a end", "b start", "b end", "c start", "c end"]);
  expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
});

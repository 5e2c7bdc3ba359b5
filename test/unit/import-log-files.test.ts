import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { EventLog } from "../../src/event-log/event-log.js";
import { FileSegments } from "../../src/event-log/segment-files.js";
import { LogFileImporter } from "../../src/control/import-log-files.js";

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
  const importer = new LogFileImporter(log, []);

  const results = await Promise.all([1, 2, 3].map(() => importer.import(body)));

  expect(results.map((r) => r.imported).reduce((a, b) => a + b)).toBe(5000);
  expect(results.map((r) => r.duplicates).reduce((a, b) => a + b)).toBe(10_000);
  expect(log.size).toBe(5000);
  await log.close();
});

it("goes on importing after a file it refused", async () => {
  const log = openLog();
  const importer = new LogFileImporter(log, []);
  const [refused, empty] = await Promise.allSettled([importer.import(Buffer.from("{not json")), importer.import(Buffer.from('{"Records":[]}'))]);
  expect(refused.status).toBe("rejected");
  expect(empty).toEqual({ status: "fulfilled", value: { imported: 0, duplicates: 0, rejected: 0 } });
  await log.close();
});

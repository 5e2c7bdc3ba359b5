import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "localtrail-bench-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Row {
  operation: string;
  localtrail: { requestsPerSecond: number; errors?: number; non2xx?: number };
  ceiling: { requestsPerSecond: number };
}

// The benchmark at a small size, so CI knows it still runs and measures what it claims: every replayed
// request is a valid signed call that succeeds against both servers. Figures are not asserted.
describe("npm run bench (small)", () => {
  it("measures every operation with only successful requests", async () => {
    const out = join(dir, "bench.json");
    await run(process.execPath, ["--import", "tsx", "bench/run.ts", "--events", "5000", "--duration", "1", "--connections", "8", "--out", out], { timeout: 300_000, maxBuffer: 16 << 20 });
    const results = JSON.parse(readFileSync(out, "utf8")) as {
      rows: Row[];
      enforcement: { operation: string; requestsPerSecond: { off: number; on: number }; cpuMicrosPerRequest: { off: number; on: number } }[];
      insights: { operation: string; requestsPerSecond: { off: number; on: number }; cpuMicrosPerRequest: { off: number; on: number } }[];
      readyEphemeralMs: number;
      readyWithHistoryMs: number;
      peakRssMb: number;
      seedSeconds: number;
    };
    expect(results.rows.map((r) => r.operation)).toEqual([
      "iam GetUser",
      "s3 PutObject 1 KiB",
      "cloudtrail LookupEvents",
      "cloudtrail LookupEvents (4 connections)",
      "SDK v3 mixed (8 workers)",
    ]);
    for (const row of results.rows) {
      expect(row.localtrail.requestsPerSecond, row.operation).toBeGreaterThan(0);
      expect(row.ceiling.requestsPerSecond, row.operation).toBeGreaterThan(0);
      expect(row.localtrail.errors ?? 0, `${row.operation} errors`).toBe(0);
      expect(row.localtrail.non2xx ?? 0, `${row.operation} non-2xx answers`).toBe(0);
    }
    // The bench refuses to report enforcement figures from answers that were not 2xx.
    expect(results.enforcement.map((r) => r.operation)).toEqual(["iam GetUser as an IAM user", "s3 PutObject 1 KiB as an IAM user"]);
    for (const row of results.enforcement) expect(row.requestsPerSecond.on, row.operation).toBeGreaterThan(0);
    expect(results.insights.map((r) => r.operation)).toEqual(["iam TagUser (write, counted)"]);
    for (const row of results.insights) expect(row.requestsPerSecond.on, row.operation).toBeGreaterThan(0);
    expect(results.readyEphemeralMs).toBeGreaterThan(0);
    expect(results.peakRssMb).toBeGreaterThan(0);
  });
});

describe("npm run bench:upload (small)", () => {
  it("streams the object and reports the server's peak memory", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "bench/large-upload.ts", "--mb", "64"], { timeout: 300_000 });
    const result = JSON.parse(stdout.trim().split("\n").pop()!) as { etagMatches: boolean; storedBytes: number; peakRssMb: number };
    expect(result.etagMatches).toBe(true);
    expect(result.storedBytes).toBe(64 * 1024 * 1024);
    expect(result.peakRssMb).toBeGreaterThan(0);
  });
});

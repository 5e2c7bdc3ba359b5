import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { DuckDBInstance } from "@duckdb/node-api";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";
import { logFiles } from "../../bench/seed.js";

const run = promisify(execFile);
const BIN = join(import.meta.dirname, "../../bin/localtrail.js");
const localtrail = (...args: string[]) => run(process.execPath, [BIN, ...args], { maxBuffer: 64 * 1024 * 1024 });
const EVENTS = 100_000;
const KEY = /^AWSLogs\/000000000000\/CloudTrail\/us-east-1\/\d{4}\/\d{2}\/\d{2}\/000000000000_CloudTrail_us-east-1_\d{8}T\d{4}Z_[A-Za-z0-9]{16}\.(json\.gz|parquet)$/;

const filesUnder = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));

describe("100,000 imported events, SQL over them, and an export that imports back whole", () => {
  let server: TestServer;
  let work: string;
  const query = async (body: { sql?: string; nextToken?: string }) => {
    const res = await fetch(`${server.url}/_localtrail/query`, { method: "POST", body: JSON.stringify(body) });
    const page = (await res.json()) as { rows: unknown[][]; nextToken?: string; error?: string };
    expect(res.status, page.error).toBe(200);
    return page;
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "localtrail-sql-"));
    server = await startTestServer({ persistent: true });
    await new IAMClient(clientConfig(server.url)).send(new CreateUserCommand({ UserName: "live-user" }));
    // A trail's bucket, generated here: 10 log files of 10,000 events in AWS's key layout, and a digest to skip.
    const folder = join(work, "bucket", "AWSLogs", "000000000000", "CloudTrail", "us-east-1", "2026", "11", "30");
    mkdirSync(folder, { recursive: true });
    let n = 0;
    for (const file of logFiles(EVENTS, 10_000)) writeFileSync(join(folder, `000000000000_CloudTrail_us-east-1_20261130T00${String(n++).padStart(2, "0")}Z_abcdefghijklmnop.json.gz`), file);
    const digests = join(work, "bucket", "AWSLogs", "000000000000", "CloudTrail-Digest", "us-east-1");
    mkdirSync(digests, { recursive: true });
    writeFileSync(join(digests, "000000000000_CloudTrail-Digest_us-east-1_x.json.gz"), "not a log file");
  });
  afterAll(async () => {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("localtrail import writes the folder's log files to Parquet by account, region and day", async () => {
    const { stdout } = await localtrail("import", "--to", "columnar", "--endpoint", server.url, join(work, "bucket"));
    expect(stdout).toMatch(/^imported 100000 records from 10 of 10 files \(0 already there, 0 not CloudTrail records\)\n$/);
    const parquet = filesUnder(join(server.dataDir!, "columnar")).filter((f) => f.endsWith(".parquet"));
    expect(parquet.length).toBeGreaterThanOrEqual(1);
    for (const f of parquet) expect(f).toMatch(KEY);
    // The same files again add nothing.
    expect((await localtrail("import", "--to", "columnar", "--endpoint", server.url, join(work, "bucket"))).stdout).toMatch(/^imported 0 records from 10 of 10 files \(100000 already there/);
  });

  it("aggregates over the imported and the live history together", async () => {
    const { rows } = await query({ sql: "SELECT count(*), count(DISTINCT eventid), count(*) FILTER (WHERE eventname = 'CreateUser') FROM cloudtrail_logs" });
    expect(rows).toEqual([[EVENTS + 1, EVENTS + 1, EVENTS / 10 + 1]]);
    const perUser = await query({ sql: "SELECT useridentity.username, count(*) AS n FROM cloudtrail_logs WHERE useridentity.type = 'IAMUser' GROUP BY 1 ORDER BY n DESC, 1 LIMIT 3" });
    expect(perUser.rows).toEqual([["user-0", 2000], ["user-1", 2000], ["user-10", 2000]]);
  });

  it("pages a large result with nextToken until it ends", async () => {
    const seen = new Set<unknown>();
    let page = await query({ sql: "SELECT eventid FROM cloudtrail_logs WHERE eventname = 'GetUser'" });
    let pages = 1;
    for (;;) {
      for (const [id] of page.rows) seen.add(id);
      if (!page.nextToken) break;
      page = await query({ nextToken: page.nextToken });
      pages++;
    }
    expect(seen.size).toBe(EVENTS / 10);
    expect(pages).toBe(10);
    const res = await fetch(`${server.url}/_localtrail/query`, { method: "POST", body: JSON.stringify({ nextToken: "used-up" }) });
    expect(res.status).toBe(400);
  });
});

describe("localtrail export: the history in AWS's log layout, and back", () => {
  const SMALL = 2_000;
  let server: TestServer;
  let work: string;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "localtrail-export-"));
    server = await startTestServer({ persistent: true });
    await new IAMClient(clientConfig(server.url)).send(new CreateUserCommand({ UserName: "live-user" }));
    // One file to the event log (LookupEvents' history), one to the columnar store: the export takes both.
    const [toLog, toColumnar] = [...logFiles(SMALL, SMALL / 2)];
    expect((await fetch(`${server.url}/_localtrail/import`, { method: "POST", body: toLog })).status).toBe(200);
    expect((await fetch(`${server.url}/_localtrail/import?store=columnar`, { method: "POST", body: toColumnar })).status).toBe(200);
  });
  afterAll(async () => {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("exports json.gz in the trail layout, and a fresh server importing it has the same event ids", async () => {
    const out = join(work, "export-json");
    const { stdout } = await localtrail("export", "--data-dir", server.dataDir!, "--format", "json.gz", "--out", out);
    expect(stdout).toMatch(/^exported 2001 events in \d+ json\.gz files under /);
    const files = filesUnder(out);
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) expect(f).toMatch(KEY);

    const ids = async (url: string) => {
      const all: unknown[] = [];
      let page = await (await fetch(`${url}/_localtrail/query`, { method: "POST", body: JSON.stringify({ sql: "SELECT eventid, md5(eventjson) FROM localtrail_events ORDER BY eventid" }) })).json() as { rows: unknown[][]; nextToken?: string };
      for (;;) {
        all.push(...page.rows.map(([id, json]) => `${id}:${json}`));
        if (!page.nextToken) return all;
        page = await (await fetch(`${url}/_localtrail/query`, { method: "POST", body: JSON.stringify({ nextToken: page.nextToken }) })).json() as { rows: unknown[][]; nextToken?: string };
      }
    };
    const fresh = await startTestServer({ persistent: true });
    try {
      await localtrail("import", "--to", "columnar", "--endpoint", fresh.url, out);
      const [before, after] = await Promise.all([ids(server.url), ids(fresh.url)]);
      expect(after.length).toBe(SMALL + 1);
      // Same ids, and each record exactly as it was (its JSON's digest).
      expect(after).toEqual(before);
    } finally {
      await fresh.close();
    }
  });

  it("exports Parquet that any engine reads with Athena's columns", async () => {
    const out = join(work, "export-parquet");
    await localtrail("export", "--data-dir", server.dataDir!, "--format", "parquet", "--out", out);
    const files = filesUnder(out);
    for (const f of files) expect(f).toMatch(KEY);
    const db = await DuckDBInstance.create(":memory:", { autoinstall_known_extensions: "false", autoload_known_extensions: "false" });
    const c = await db.connect();
    const read = await c.runAndReadAll(`SELECT count(*), count(DISTINCT eventid), max(useridentity.username) FROM read_parquet('${out}/AWSLogs/**/*.parquet')`);
    expect(read.getRows()).toEqual([[BigInt(SMALL + 1), BigInt(SMALL + 1), "user-9"]]);
    c.disconnectSync();
    db.closeSync();
  });
});

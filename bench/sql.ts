/**
 * `npm run bench -- --sql [--events 10000000]`: SQL at scale. Starts localtrail on a fresh data dir, imports
 * `--events` generated CloudTrail events (log files of 50,000, made here as they are sent) into the columnar
 * store, and reports the import rate in events per second, the server's RSS after the import (it must not grow
 * with the count), and how long aggregates over all the events take. A benchmark: figures, not assertions.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { logFiles } from "./seed.js";

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

export async function sqlBench(events: number, out: string): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "localtrail-sql-bench-"));
  const proc = spawn(process.execPath, ["dist/main.js", "--port", "0", "--data-dir", dataDir], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let text = "";
      proc.stdout!.on("data", (c: Buffer) => {
        text += c.toString();
        const m = /localtrail ready on (http:\/\/\S+)/.exec(text);
        if (m) resolve(m[1]!);
      });
      proc.once("exit", (code) => reject(new Error(`localtrail exited ${code}`)));
    });
    const query = async (sql: string) => {
      const started = performance.now();
      const res = await fetch(`${url}/_localtrail/query`, { method: "POST", body: JSON.stringify({ sql }) });
      const body = (await res.json()) as { rows: unknown[][]; error?: string };
      if (!res.ok) throw new Error(body.error);
      return { ms: Math.round(performance.now() - started), rows: body.rows };
    };
    const started = performance.now();
    let imported = 0;
    for (const file of logFiles(events, 50_000)) {
      const res = await fetch(`${url}/_localtrail/import?store=columnar`, { method: "POST", body: file });
      imported += ((await res.json()) as { imported: number }).imported;
      process.stderr.write(`\rimported ${imported.toLocaleString("en-US")} events`);
    }
    const importSeconds = (performance.now() - started) / 1000;
    const rss = rssMb(proc.pid!);
    const count = await query("SELECT count(*) FROM cloudtrail_logs");
    const byName = await query("SELECT eventname, count(*) AS n FROM cloudtrail_logs GROUP BY eventname ORDER BY n DESC");
    const topUsers = await query("SELECT useridentity.username, count(*) AS n FROM cloudtrail_logs WHERE readonly = 'false' GROUP BY 1 ORDER BY n DESC LIMIT 10");
    const results = {
      events: imported,
      importEventsPerSecond: Math.round(imported / importSeconds),
      serverRssMbAfterImport: Math.round(rss),
      countMs: count.ms,
      groupByEventNameMs: byName.ms,
      topWritersMs: topUsers.ms,
    };
    console.log(`\n${JSON.stringify(results, null, 2)}`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(results, null, 2) + "\n");
  } finally {
    // The server writes its state on the way out: remove the data dir once it has exited.
    const exited = new Promise((resolve) => proc.once("exit", resolve));
    proc.kill("SIGTERM");
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

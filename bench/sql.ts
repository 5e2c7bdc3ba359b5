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

/** A process's CPU seconds (user + system, every thread): the machine is shared, so rates are also given per CPU second. */
const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
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
    let importSeconds = 0;
    let imported = 0;
    const cpuBefore = cpuSeconds(proc.pid!);
    const rssAt: Record<string, number> = {};
    // Two files of 50,000 per request, as `localtrail import --to columnar` batches them; generating the files
    // is not counted (only the time the server takes to answer).
    const files = logFiles(events, 50_000);
    for (;;) {
      const batch = [files.next(), files.next()].flatMap((r) => (r.done ? [] : [r.value]));
      if (batch.length === 0) break;
      const form = new FormData();
      batch.forEach((f, i) => form.append("file", new Blob([f]), `bench-${imported}-${i}.json.gz`));
      const started = performance.now();
      const res = await fetch(`${url}/_localtrail/import?store=columnar`, { method: "POST", body: form });
      imported += ((await res.json()) as { imported: number }).imported;
      importSeconds += (performance.now() - started) / 1000;
      if (imported === 100_000 || imported === 1_000_000 || imported % 2_000_000 === 0) rssAt[imported] = Math.round(rssMb(proc.pid!));
      process.stderr.write(`\rimported ${imported.toLocaleString("en-US")} events`);
    }
    const serverCpu = cpuSeconds(proc.pid!) - cpuBefore;
    const rss = rssMb(proc.pid!);
    const count = await query("SELECT count(*) FROM cloudtrail_logs");
    const byName = await query("SELECT eventname, count(*) AS n FROM cloudtrail_logs GROUP BY eventname ORDER BY n DESC");
    const topUsers = await query("SELECT useridentity.username, count(*) AS n FROM cloudtrail_logs WHERE readonly = 'false' GROUP BY 1 ORDER BY n DESC LIMIT 10");
    const results = {
      events: imported,
      importEventsPerSecond: Math.round(imported / importSeconds),
      importEventsPerServerCpuSecond: Math.round(imported / serverCpu),
      loadAverage: readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" "),
      serverRssMbAfterImport: Math.round(rss),
      serverRssMbAt: rssAt,
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

/**
 * What a recorded call costs each thread of the server, measured in CPU time rather than wall-clock time
 * (a shared 2-core machine makes requests per second noise): `npx tsx bench/main-thread.ts`.
 *
 *   --calls N         signed GetUser calls measured, after as many again to warm the server (default 20000)
 *   --connections C   concurrent connections of the load (default 16)
 *   --main FILE       the server's entry (default dist/main.js): another build, to compare
 *   --cpu-prof DIR    the server writes a V8 CPU profile of its main thread there
 *   --lookup N        instead: N events imported, the server restarted on them, its RSS, then LookupEvents
 *                     at 8 connections for --duration seconds (p50/p99 and main-thread CPU per call)
 *
 * Per-thread CPU comes from /proc/<pid>/task/<tid>/schedstat (nanoseconds on a CPU), grouped by thread name:
 * the main thread is the one whose tid is the pid.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { request as httpRequest } from "node:http";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { IAMClient, CreateUserCommand } from "@aws-sdk/client-iam";
import { signRequest } from "../test/helpers/signed-request.js";
import { logFiles } from "./seed.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    calls: { type: "string", default: "20000" },
    connections: { type: "string", default: "16" },
    lookup: { type: "string" },
    duration: { type: "string", default: "10" },
    "data-dir": { type: "string" },
    "cpu-prof": { type: "string" },
    main: { type: "string", default: "dist/main.js" },
  },
});

function start(dataDir: string): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, [...(values["cpu-prof"] ? ["--cpu-prof", "--cpu-prof-dir", values["cpu-prof"]] : []), values.main!, "--port", "0", "--quiet", "--data-dir", dataDir], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  return new Promise((resolve, reject) => {
    proc.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /localtrail ready on (http:\/\/\S+)\nReady\.\n/.exec(out);
      if (m) resolve({ proc, url: m[1]! });
    });
    proc.once("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

async function stop(proc: ChildProcess): Promise<void> {
  const exited = new Promise((r) => proc.once("exit", r));
  proc.kill("SIGTERM");
  await exited;
}

/** CPU nanoseconds of every thread of a process, summed by thread name; the main thread is "main". */
function threadCpu(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      const name = tid === String(pid) ? "main" : `${readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim()}:${tid}`;
      out.set(name, (out.get(name) ?? 0) + ns);
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

function rssMb(pid: number): number {
  return Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024);
}

async function load(url: string, request: { method: string; path: string; headers: Record<string, string>; body: string }, connections: number, opts: { amount?: number; duration?: number }) {
  const headers = { ...request.headers, host: new URL(url).host };
  const r = await autocannon({ url: url + request.path, connections, method: request.method as "POST", headers, body: request.body, ...opts });
  if (r.non2xx || r.errors) throw new Error(`${r.non2xx} non-2xx, ${r.errors} errors`);
  return r;
}

function perCall(before: Map<string, number>, after: Map<string, number>, calls: number): Record<string, number> {
  const rows: Record<string, number> = {};
  let total = 0;
  for (const [name, ns] of after) {
    const us = (ns - (before.get(name) ?? 0)) / 1000 / calls;
    total += us;
    if (us >= 0.05) rows[name] = Math.round(us * 10) / 10;
  }
  rows.total = Math.round(total * 10) / 10;
  return rows;
}

function importFile(url: string, body: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/_localtrail/import`, { method: "POST", agent: false, headers: { "content-length": body.length } }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`import: ${res.statusCode}`))));
    });
    req.once("error", reject);
    req.end(body);
  });
}

const dataDir = values["data-dir"] ?? mkdtempSync(join(tmpdir(), "localtrail-main-thread-"));
try {
  if (values.lookup) {
    let server = await start(dataDir);
    const events = Number(values.lookup);
    if (events > 0) {
      const t = performance.now();
      for (const file of logFiles(events)) await importFile(server.url, file);
      console.log(`imported ${events} events in ${Math.round(performance.now() - t)} ms; RSS after import ${rssMb(server.proc.pid!)} MB`);
    }
    await stop(server.proc);
    const t = performance.now();
    server = await start(dataDir);
    console.log(`restarted in ${Math.round(performance.now() - t)} ms; RSS ${rssMb(server.proc.pid!)} MB`);
    const request = await signRequest({
      url: server.url,
      service: "cloudtrail",
      body: JSON.stringify({ LookupAttributes: [{ AttributeKey: "Username", AttributeValue: "user-7" }], MaxResults: 50 }),
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "CloudTrail_20131101.LookupEvents" },
    });
    await load(server.url, request, 8, { amount: 2000 });
    const before = threadCpu(server.proc.pid!);
    const r = await load(server.url, request, 8, { duration: Number(values.duration) });
    const cpu = perCall(before, threadCpu(server.proc.pid!), r.requests.total);
    console.log(
      `LookupEvents at 8 connections: ${r.requests.total} calls, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms; RSS ${rssMb(server.proc.pid!)} MB; CPU µs per call ${JSON.stringify(cpu)}; load average ${readFileSync("/proc/loadavg", "utf8").trim()}`,
    );
    await stop(server.proc);
  } else {
    const server = await start(dataDir);
    await new IAMClient({ endpoint: server.url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } }).send(new CreateUserCommand({ UserName: "bench" }));
    const request = await signRequest({ url: server.url, service: "iam", body: "Action=GetUser&Version=2010-05-08&UserName=bench", headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" } });
    const calls = Number(values.calls);
    const connections = Number(values.connections);
    await load(server.url, request, connections, { amount: calls });
    const before = threadCpu(server.proc.pid!);
    await load(server.url, request, connections, { amount: calls });
    const cpu = perCall(before, threadCpu(server.proc.pid!), calls);
    console.log(`GetUser, ${calls} calls at ${connections} connections, CPU µs per call by thread: ${JSON.stringify(cpu)}; main thread share ${Math.round((cpu.main! / cpu.total!) * 100)}%; load average ${readFileSync("/proc/loadavg", "utf8").trim()}`);
    await stop(server.proc);
  }
} finally {
  if (!values["data-dir"]) rmSync(dataDir, { recursive: true, force: true });
}

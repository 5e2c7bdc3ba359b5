/**
 * `npm run bench`: localtrail against a bare Hono server that answers with fixed responses (the ceiling),
 * both started here as separate processes, loaded by autocannon with SigV4-signed requests, then an SDK v3
 * workload. Prints requests per second, p50/p99 latency, the ratio to the ceiling and localtrail's peak RSS,
 * and writes the same as JSON. A benchmark, not a test: it reports figures and the targets they meet.
 *
 * Each server is warmed (--warm seconds of the same load) before it is measured, so the figures hold no JIT
 * warm-up. Where the machine gives this process two cores or more, the load generator is pinned to the first
 * and the servers to the others (taskset), so they do not compete for one core.
 *
 *   npm run bench                                   full run: 1,000,000 events in the history
 *   npm run bench -- --events 20000 --duration 2    small run (what CI calls through test/bench)
 *   options: --events N --duration S --connections C --latency-connections C --warm S --no-pin --out FILE
 *   npm run bench -- --profile [--duration 5]       GetUser and PutObject 1 KiB only: ratios to the ceiling, then
 *                                                   the CPU of a warmed call stage by stage (bench/stage-profile.ts);
 *                                                   --profile-dir DIR keeps the .cpuprofile files (Chrome DevTools)
 *   npm run bench -- --sql --events 10000000      SQL at scale instead (bench/sql.ts): import rate, aggregates
 *
 * "ready" is timed from spawning the documented command (`npm start -- ...`) to its ready line.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { request as httpRequest } from "node:http";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { IAMClient, CreateUserCommand, GetUserCommand } from "@aws-sdk/client-iam";
import { STSClient, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { S3Client, CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { signRequest } from "../test/helpers/signed-request.js";
import { logFiles } from "./seed.js";
import { pageLatency, rootConsoleSession } from "./console-page.js";
import { cpuMicros, percentiles, replay, RssSampler, threadCpuMicros, type LoadResult, type ReplayRequest } from "./measure.js";
import { stageBreakdown } from "./stage-profile.js";
import { eventBridgeLatency } from "./eventbridge-latency.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    sql: { type: "boolean", default: false },
    events: { type: "string", default: "1000000" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "64" },
    "latency-connections": { type: "string", default: "4" },
    warm: { type: "string", default: "2" },
    "no-pin": { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    "profile-dir": { type: "string" },
    out: { type: "string", default: join(root, "bench/results/latest.json") },
  },
});
const EVENTS = Number(values.events);
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const LATENCY_CONNECTIONS = Number(values["latency-connections"]);
const WARM = Number(values.warm);

/** The cores of the load generator (this process) and of the servers, when there are two or more to share. */
const cores = values["no-pin"] ? undefined : pinCores();

function pinCores(): { load: string; servers: string } | undefined {
  if (availableParallelism() < 2) return undefined;
  try {
    // "pid 123's current affinity list: 0,1" (or "0-3"): the cores this process may use.
    const list = /list:\s*(\S+)/.exec(execFileSync("taskset", ["-cp", String(process.pid)], { encoding: "utf8" }))?.[1] ?? "";
    const allowed = list.split(",").flatMap((part) => {
      const [a, b] = part.split("-").map(Number) as [number, number?];
      return Array.from({ length: (b ?? a) - a + 1 }, (_, i) => a + i);
    });
    if (allowed.length < 2) return undefined;
    const pinned = { load: String(allowed[0]), servers: allowed.slice(1).join(",") };
    // -a: every thread of this process, autocannon's included.
    execFileSync("taskset", ["-a", "-cp", pinned.load, String(process.pid)], { stdio: "ignore" });
    return pinned;
  } catch {
    return undefined; // no taskset (util-linux): unpinned
  }
}

interface Started {
  proc: ChildProcess;
  /** The server's own process: under npm, the node process running dist/main.js. */
  pid: number;
  url: string;
  readyMs: number;
}

/** Servers still running: a run that fails part-way must not leave them behind, loading the machine. */
const running = new Set<ChildProcess>();

/**
 * Starts a server process (node with `command`, or npm with `npm`) on the servers' cores and resolves once it
 * printed its ready line, timing it from spawn. Its own process group, so that stop() reaches the node under npm.
 */
function startServer(command: string[], readyLine: RegExp, npm = false): Promise<Started> {
  const started = performance.now();
  const argv = npm ? [process.env.npm_execpath ?? "npm", ...command] : command;
  const [file, args] = npm && !process.env.npm_execpath ? ["npm", argv.slice(1)] : [process.execPath, argv];
  const [exe, all] = cores ? ["taskset", ["-c", cores.servers, file, ...args]] : [file, args];
  const proc = spawn(exe, all, { cwd: root, stdio: ["ignore", "pipe", "inherit"], detached: true });
  running.add(proc);
  proc.once("exit", () => running.delete(proc));
  let out = "";
  return new Promise((resolve, reject) => {
    let ready = false;
    proc.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = ready ? null : readyLine.exec(out);
      // Once: output after the ready line (a shutdown line) must not look for a server that is stopping.
      if (m) ready = true;
      if (m) resolve({ proc, pid: npm ? serverUnder(proc.pid!) : proc.pid!, url: m[1]!, readyMs: Math.round(performance.now() - started) });
    });
    proc.once("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

const LOCALTRAIL_READY = /localtrail ready on (http:\/\/\S+)\nReady\.\n/;
const startLocaltrail = (args: string[], nodeFlags: string[] = []) => startServer([...nodeFlags, "dist/main.js", "--port", "0", "--quiet", ...args], LOCALTRAIL_READY);
/** Through the documented command, as a user starts it: the ready time includes npm and the staleness check. */
const npmStart = (args: string[]) => startServer(["start", "--silent", "--", "--port", "0", "--quiet", ...args], LOCALTRAIL_READY, true);
const startCeiling = () => startServer(["--import", "tsx", "bench/ceiling-server.ts"], /ceiling ready on (http:\/\/\S+)\n/);

/** The node process running dist/main.js under npm: a descendant of npm's process (whatever group npm gave it). */
function serverUnder(npmPid: number): number {
  const parents = new Map<number, number>();
  const servers: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("dist/main.js")) servers.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  const under = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = parents.get(p) ?? 0, hops++) if (p === npmPid) return true;
    return false;
  };
  const server = servers.find(under);
  if (server === undefined) throw new Error(`no dist/main.js under npm (pid ${npmPid})`);
  return server;
}

async function stop(s: Started): Promise<void> {
  const exited = new Promise((resolve) => s.proc.once("exit", resolve));
  // The group: npm and the shell under it do not pass the signal on.
  process.kill(-s.proc.pid!, "SIGTERM");
  await exited;
  while (existsSync(`/proc/${s.pid}`)) await new Promise((r) => setTimeout(r, 20));
}

const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const sdk = (url: string) => ({ endpoint: url, region: "us-east-1", credentials, maxAttempts: 1, forcePathStyle: true });

/**
 * POSTs a log file to the import endpoint on a connection of its own. Making the next file blocks this
 * process for seconds: fetch's pooled socket could outlive the server's keep-alive timeout meanwhile, and
 * be reused after the server closed it (EPIPE).
 */
function importFile(url: string, body: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/_localtrail/import`, { method: "POST", agent: false, headers: { "content-length": body.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`import failed: ${res.statusCode} ${Buffer.concat(chunks).toString()}`))));
    });
    req.once("error", reject);
    req.end(body);
  });
}

/** The signed requests autocannon replays: valid for 15 minutes, more than a run takes. */
async function requests(url: string, signer: { accessKeyId?: string; secretAccessKey?: string } = {}): Promise<Record<string, ReplayRequest>> {
  const body = Buffer.alloc(1024, "a").toString();
  const sha = (await import("node:crypto")).createHash("sha256").update(body).digest("hex");
  return {
    "iam GetUser": await signRequest({ url, service: "iam", body: "Action=GetUser&Version=2010-05-08&UserName=bench", headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" }, ...signer }),
    "s3 PutObject 1 KiB": await signRequest({ url, service: "s3", method: "PUT", path: "/bench-bucket/object-1k", body, headers: { "content-type": "application/octet-stream", "x-amz-content-sha256": sha }, ...signer }),
    "cloudtrail LookupEvents": await signRequest({
      url,
      service: "cloudtrail",
      body: JSON.stringify({ LookupAttributes: [{ AttributeKey: "Username", AttributeValue: "user-7" }], MaxResults: 50 }),
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "CloudTrail_20131101.LookupEvents" },
    }),
  };
}

/** An SDK v3 workload: `workers` loops of GetCallerIdentity, GetUser, PutObject and LookupEvents. */
async function sdkWorkload(url: string, workers: number, seconds: number): Promise<{ requestsPerSecond: number; p50Ms: number; p99Ms: number; errors: number }> {
  const iam = new IAMClient(sdk(url));
  const sts = new STSClient(sdk(url));
  const s3 = new S3Client({ ...sdk(url), requestChecksumCalculation: "WHEN_REQUIRED" });
  const cloudtrail = new CloudTrailClient(sdk(url));
  const calls = [
    () => sts.send(new GetCallerIdentityCommand({})),
    () => iam.send(new GetUserCommand({ UserName: "bench" })),
    () => s3.send(new PutObjectCommand({ Bucket: "bench-bucket", Key: "sdk-object", Body: "x".repeat(1024) })),
    () => cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "Username", AttributeValue: "user-7" }], MaxResults: 10 })),
  ];
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = w; performance.now() < end; i++) {
        const t = performance.now();
        try {
          await calls[i % calls.length]!();
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { requestsPerSecond: Math.round(latencies.length / seconds), ...percentiles(latencies), errors };
}

interface Row {
  operation: string;
  localtrail: LoadResult | Awaited<ReturnType<typeof sdkWorkload>>;
  ceiling: LoadResult | Awaited<ReturnType<typeof sdkWorkload>>;
  ratio: number;
  /** Server CPU time per request, localtrail and ceiling, in µs. */
  cpuMicrosPerRequest?: { localtrail: number; ceiling: number };
}

/**
 * Server CPU per request and load results of one request replayed on a server, after WARM seconds of the
 * same load (the JIT has compiled the path; the figures hold no warm-up).
 */
async function measured(server: Started, request: ReplayRequest, connections: number): Promise<{ result: LoadResult; cpu: number }> {
  if (WARM > 0) await replay(server.url, request, connections, WARM);
  const before = cpuMicros(server.pid);
  const result = await replay(server.url, request, connections, DURATION);
  return { result, cpu: Math.round((cpuMicros(server.pid) - before) / Math.max(1, result.requests)) };
}

/** One operation on localtrail and on the ceiling, each warmed, one after the other. */
async function compareWith(localtrail: Started, ceiling: Started, name: string, connections = CONNECTIONS): Promise<Row> {
  const l = await measured(localtrail, (await requests(localtrail.url))[name]!, connections);
  const c = await measured(ceiling, (await requests(ceiling.url))[name]!, connections);
  return {
    operation: connections === CONNECTIONS ? name : `${name} (${connections} connections)`,
    localtrail: l.result,
    ceiling: c.result,
    ratio: Math.round((l.result.requestsPerSecond / c.result.requestsPerSecond) * 100) / 100,
    cpuMicrosPerRequest: { localtrail: l.cpu, ceiling: c.cpu },
  };
}

const build = () =>
  new Promise<void>((resolve, reject) => spawn(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "inherit" }).once("exit", (c) => (c === 0 ? resolve() : reject(new Error("build failed")))));

async function main(): Promise<void> {
  await build();
  const dataDir = mkdtempSync(join(tmpdir(), "localtrail-bench-"));
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, events: EVENTS, duration: DURATION, connections: CONNECTIONS };
  try {
    // Start-up, empty and ephemeral: the median of five.
    const starts: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = await npmStart(["--ephemeral"]);
      starts.push(s.readyMs);
      await stop(s);
    }
    results.readyEphemeralMs = starts.sort((a, b) => a - b)[2];

    const ceiling = await startCeiling();
    let localtrail = await startLocaltrail(["--data-dir", dataDir]);
    let rss = new RssSampler(localtrail.pid);
    await new IAMClient(sdk(localtrail.url)).send(new CreateUserCommand({ UserName: "bench" }));
    await new S3Client(sdk(localtrail.url)).send(new CreateBucketCommand({ Bucket: "bench-bucket" }));

    const rows: Row[] = [];
    const compare = (name: string, connections = CONNECTIONS) => compareWith(localtrail, ceiling, name, connections);
    rows.push(await compare("iam GetUser"));
    rows.push(await compare("s3 PutObject 1 KiB"));
    results.enforcement = await enforcementCost(localtrail, dataDir);
    results.insights = await insightsCost(dataDir);
    results.eventBridge = await eventBridgeLatency(sdk(localtrail.url), 50);

    // A large history, seeded through the import endpoint, then a restart on it.
    const seedStart = performance.now();
    for (const file of logFiles(EVENTS)) await importFile(localtrail.url, file);
    results.seedSeconds = Math.round((performance.now() - seedStart) / 100) / 10;
    rss.stop();
    results.peakRssBeforeRestartMb = rss.peakMb();
    await stop(localtrail);
    localtrail = await npmStart(["--data-dir", dataDir]);
    results.readyWithHistoryMs = localtrail.readyMs;
    rss = new RssSampler(localtrail.pid);

    rows.push(await compare("cloudtrail LookupEvents"));
    rows.push(await compare("cloudtrail LookupEvents", LATENCY_CONNECTIONS));
    // The console's Event history, its first page (default filter) rendered over the whole history.
    const cookie = await rootConsoleSession(localtrail.url);
    results.eventHistoryPage = await pageLatency(localtrail.url, cookie, "cloudtrail/events", 300, localtrail.pid);
    const workers = Math.min(CONNECTIONS, 32);
    const sdkOwn = await sdkWorkload(localtrail.url, workers, DURATION);
    const sdkBare = await sdkWorkload(ceiling.url, workers, DURATION);
    rows.push({ operation: `SDK v3 mixed (${workers} workers)`, localtrail: sdkOwn, ceiling: sdkBare, ratio: Math.round((sdkOwn.requestsPerSecond / sdkBare.requestsPerSecond) * 100) / 100 });
    results.peakRssMb = rss.peakMb();
    rss.stop();
    results.rows = rows;
    await stop(localtrail);
    await stop(ceiling);
  } finally {
    for (const proc of running) process.kill(-proc.pid!, "SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  }
  report(results);
  mkdirSync(dirname(values.out!), { recursive: true });
  writeFileSync(values.out!, JSON.stringify(results, null, 2) + "\n");
  console.log(`\nwritten to ${values.out}`);
}

/** What IAM policy enforcement costs a call: an IAM user's GetUser and PutObject, without and with --enforce-iam. */
interface EnforcementRow {
  operation: string;
  requestsPerSecond: { off: number; on: number };
  cpuMicrosPerRequest: { off: number; on: number };
  /** Server CPU per request added by enforcement, in percent. */
  overheadPercent: number;
}

/**
 * The same IAM user (a group, an AWS managed and a customer managed policy, an inline policy with a
 * condition) on localtrail as it runs and on one started with --enforce-iam: server CPU per request of
 * each. Both servers hold the same state, so the difference is the evaluation.
 */
async function enforcementCost(plain: Started, dataDir: string): Promise<EnforcementRow[]> {
  const enforced = await startLocaltrail(["--data-dir", join(dataDir, "enforced"), "--enforce-iam"]);
  try {
    const signers = [await benchUser(plain.url), await benchUser(enforced.url)];
    const rows: EnforcementRow[] = [];
    for (const name of ["iam GetUser", "s3 PutObject 1 KiB"]) {
      const runs = [];
      for (const [i, server] of [plain, enforced].entries()) {
        const { result, cpu } = await measured(server, (await requests(server.url, signers[i]))[name]!, CONNECTIONS);
        if (result.non2xx > 0) throw new Error(`${name}: ${result.non2xx} answers were not 2xx`);
        runs.push({ rps: result.requestsPerSecond, cpu });
      }
      const [off, on] = runs as [{ rps: number; cpu: number }, { rps: number; cpu: number }];
      rows.push({ operation: `${name} as an IAM user`, requestsPerSecond: { off: off.rps, on: on.rps }, cpuMicrosPerRequest: { off: off.cpu, on: on.cpu }, overheadPercent: Math.round(((on.cpu - off.cpu) / off.cpu) * 1000) / 10 });
    }
    return rows;
  } finally {
    await stop(enforced);
  }
}

/** What CloudTrail Insights costs a recorded call: a write (IAM TagUser), on servers without and with Insights. */
interface InsightsRow {
  operation: string;
  requestsPerSecond: { off: number; on: number };
  cpuMicrosPerRequest: { off: number; on: number };
  overheadPercent: number;
}

/**
 * Two fresh servers with a logging trail each, the second with both Insights selectors: the same write
 * management call (counted by Insights, per minute) replayed on both, alternately, twice; the best server
 * CPU per request of each. The counting runs after the answer, so it shows in CPU rather than in latency.
 */
async function insightsCost(dataDir: string): Promise<InsightsRow[]> {
  const servers: Started[] = [];
  try {
    for (const insights of [false, true]) {
      const server = await startLocaltrail(["--data-dir", join(dataDir, insights ? "insights-on" : "insights-off")]);
      servers.push(server);
      await insightsTrail(server.url, insights);
    }
    const measured = servers.map(() => ({ rps: 0, cpu: Infinity }));
    for (let round = 0; round < 2; round++) {
      for (const [i, server] of servers.entries()) {
        const m = await tagUserCost(server);
        measured[i] = { rps: Math.max(measured[i]!.rps, m.rps), cpu: Math.min(measured[i]!.cpu, m.cpu) };
      }
    }
    const [off, on] = measured as [{ rps: number; cpu: number }, { rps: number; cpu: number }];
    return [{ operation: "iam TagUser (write, counted)", requestsPerSecond: { off: off.rps, on: on.rps }, cpuMicrosPerRequest: { off: off.cpu, on: on.cpu }, overheadPercent: Math.round(((on.cpu - off.cpu) / off.cpu) * 1000) / 10 }];
  } finally {
    for (const server of servers) await stop(server);
  }
}

/** A bucket with CloudTrail's policy, a logging trail writing into it, with both Insights types or none. */
async function insightsTrail(url: string, insights: boolean): Promise<void> {
  const { CreateTrailCommand, PutInsightSelectorsCommand, StartLoggingCommand } = await import("@aws-sdk/client-cloudtrail");
  const { PutBucketPolicyCommand } = await import("@aws-sdk/client-s3");
  await new IAMClient(sdk(url)).send(new CreateUserCommand({ UserName: "bench" }));
  const s3 = new S3Client(sdk(url));
  await s3.send(new CreateBucketCommand({ Bucket: "trail-logs" }));
  const allow = (Action: string, Resource: string, Condition?: object) => ({ Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action, Resource, Condition });
  const Statement = [allow("s3:GetBucketAcl", "arn:aws:s3:::trail-logs"), allow("s3:PutObject", "arn:aws:s3:::trail-logs/AWSLogs/000000000000/*", { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } })];
  await s3.send(new PutBucketPolicyCommand({ Bucket: "trail-logs", Policy: JSON.stringify({ Version: "2012-10-17", Statement }) }));
  const ct = new CloudTrailClient(sdk(url));
  await ct.send(new CreateTrailCommand({ Name: "bench-trail", S3BucketName: "trail-logs" }));
  await ct.send(new StartLoggingCommand({ Name: "bench-trail" }));
  if (insights) await ct.send(new PutInsightSelectorsCommand({ TrailName: "bench-trail", InsightSelectors: [{ InsightType: "ApiCallRateInsight" }, { InsightType: "ApiErrorRateInsight" }] }));
}

/** One run of TagUser on a server: requests per second and server CPU per request, counting included. */
async function tagUserCost(server: Started): Promise<{ rps: number; cpu: number }> {
  const request = await signRequest({
    url: server.url,
    service: "iam",
    body: "Action=TagUser&Version=2010-05-08&UserName=bench&Tags.member.1.Key=team&Tags.member.1.Value=bench",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
  });
  const before = cpuMicros(server.pid);
  const result = await replay(server.url, request, CONNECTIONS, DURATION);
  if (result.non2xx > 0) throw new Error(`TagUser: ${result.non2xx} answers were not 2xx`);
  // Counting runs after the answers: the flush waits until Insights has taken every event (trails then deliver, on both servers alike).
  await fetch(`${server.url}/_localtrail/flush`, { method: "POST" });
  return { rps: result.requestsPerSecond, cpu: Math.round((cpuMicros(server.pid) - before) / Math.max(1, result.requests)) };
}

/** The bench's IAM user on a server: the policies a real application's user might carry. */
async function benchUser(url: string): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  const { AttachGroupPolicyCommand, AddUserToGroupCommand, CreateAccessKeyCommand, CreateGroupCommand, CreatePolicyCommand, AttachUserPolicyCommand, PutUserPolicyCommand } = await import("@aws-sdk/client-iam");
  const iam = new IAMClient(sdk(url));
  const s3 = new S3Client(sdk(url));
  await s3.send(new CreateBucketCommand({ Bucket: "bench-bucket" })).catch(() => undefined);
  await iam.send(new CreateUserCommand({ UserName: "bench" })).catch(() => undefined);
  await iam.send(new CreateUserCommand({ UserName: "app-user" }));
  const doc = (Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
  await iam.send(new PutUserPolicyCommand({ UserName: "app-user", PolicyName: "objects", PolicyDocument: doc([{ Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: "arn:aws:s3:::bench-bucket/*", Condition: { IpAddress: { "aws:SourceIp": "127.0.0.0/8" } } }, { Effect: "Deny", Action: "s3:DeleteBucket", Resource: "*" }]) }));
  const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: "read-users", PolicyDocument: doc([{ Effect: "Allow", Action: ["iam:GetUser", "iam:ListUsers"], Resource: "arn:aws:iam::000000000000:user/*" }]) }));
  await iam.send(new AttachUserPolicyCommand({ UserName: "app-user", PolicyArn: Policy!.Arn! }));
  await iam.send(new AttachUserPolicyCommand({ UserName: "app-user", PolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }));
  await iam.send(new CreateGroupCommand({ GroupName: "developers" }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: "developers", PolicyArn: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" }));
  await iam.send(new AddUserToGroupCommand({ GroupName: "developers", UserName: "app-user" }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "app-user" }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

function report(results: Record<string, unknown>): void {
  const rows = results.rows as Row[];
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  console.log(`\nlocaltrail benchmark: ${results.node}, ${EVENTS.toLocaleString("en")} events in the history, ${DURATION} s per run after ${WARM} s warm-up, ${CONNECTIONS} connections, ${cores ? `load on core ${cores.load}, servers on ${cores.servers}` : "unpinned"}\n`);
  console.log(`${"operation".padEnd(46)}${pad("req/s", 9)}${pad("p50 ms", 8)}${pad("p99 ms", 8)}${pad("ceiling", 9)}${pad("ratio", 7)}${pad("CPU µs/req", 12)}`);
  for (const r of rows) {
    const cpu = r.cpuMicrosPerRequest ? `${r.cpuMicrosPerRequest.localtrail} / ${r.cpuMicrosPerRequest.ceiling}` : "";
    console.log(`${r.operation.padEnd(46)}${pad(r.localtrail.requestsPerSecond, 9)}${pad(r.localtrail.p50Ms, 8)}${pad(r.localtrail.p99Ms, 8)}${pad(r.ceiling.requestsPerSecond, 9)}${pad(r.ratio, 7)}${pad(cpu, 12)}`);
  }
  console.log("(CPU µs/req: server CPU time per request, localtrail / ceiling)");
  const enforcement = results.enforcement as EnforcementRow[];
  console.log(`\n${"IAM policy enforcement".padEnd(46)}${pad("req/s off", 11)}${pad("req/s on", 10)}${pad("CPU µs off", 12)}${pad("CPU µs on", 11)}${pad("added", 8)}`);
  for (const r of enforcement) {
    console.log(`${r.operation.padEnd(46)}${pad(r.requestsPerSecond.off, 11)}${pad(r.requestsPerSecond.on, 10)}${pad(r.cpuMicrosPerRequest.off, 12)}${pad(r.cpuMicrosPerRequest.on, 11)}${pad(`${r.overheadPercent}%`, 8)}`);
  }
  const insights = results.insights as InsightsRow[];
  console.log(`\n${"CloudTrail Insights".padEnd(46)}${pad("req/s off", 11)}${pad("req/s on", 10)}${pad("CPU µs off", 12)}${pad("CPU µs on", 11)}${pad("added", 8)}`);
  for (const r of insights) {
    console.log(`${r.operation.padEnd(46)}${pad(r.requestsPerSecond.off, 11)}${pad(r.requestsPerSecond.on, 10)}${pad(r.cpuMicrosPerRequest.off, 12)}${pad(r.cpuMicrosPerRequest.on, 11)}${pad(`${r.overheadPercent}%`, 8)}`);
  }
  const lookupLatency = rows.find((r) => r.operation.startsWith("cloudtrail LookupEvents ("));
  const signed = rows.filter((r) => !r.operation.startsWith("SDK") && !r.operation.includes("("));
  console.log(`\nready: ${results.readyEphemeralMs} ms ephemeral, ${results.readyWithHistoryMs} ms with ${EVENTS.toLocaleString("en")} events; seeded in ${results.seedSeconds} s; peak RSS ${results.peakRssMb} MB`);
  const eb = results.eventBridge as { samples: number; p50Ms: number; p99Ms: number; maxMs: number };
  console.log(`EventBridge, CreateUser's response to its rule's Lambda target running: p50 ${eb.p50Ms} ms, p99 ${eb.p99Ms} ms, max ${eb.maxMs} ms (${eb.samples} calls)`);
  console.log("\ntargets:");
  const check = (ok: boolean, text: string) => console.log(`  ${ok ? "met    " : "NOT met"}  ${text}`);
  const ratioOf = (name: string) => signed.find((r) => r.operation === name)?.ratio ?? 0;
  check(ratioOf("iam GetUser") >= 0.4, `GetUser at 0.4 or more of the ceiling, warmed (${ratioOf("iam GetUser")}; 0.5 is the aim)`);
  check(ratioOf("s3 PutObject 1 KiB") >= 0.3, `PutObject 1 KiB at 0.3 or more of the ceiling, warmed (${ratioOf("s3 PutObject 1 KiB")})`);
  const eventHistory = results.eventHistoryPage as { p50Ms: number; p99Ms: number; cpuMicrosPerPage: number } | undefined;
  console.log(`console Event history first page: p50 ${eventHistory?.p50Ms} ms, p99 ${eventHistory?.p99Ms} ms, server CPU ${eventHistory?.cpuMicrosPerPage} µs a page`);
  check((eventHistory?.p99Ms ?? Infinity) <= 50, `Event history first page p99 <= 50 ms (${eventHistory?.p99Ms} ms) with ${EVENTS.toLocaleString("en")} events`);
  check((lookupLatency?.localtrail.p99Ms ?? Infinity) <= 10 && (results.peakRssMb as number) <= 500, `LookupEvents p99 <= 10 ms (${lookupLatency?.localtrail.p99Ms} ms) at <= 500 MB RSS (${results.peakRssMb} MB) with ${EVENTS.toLocaleString("en")} events`);
  check(enforcement.every((r) => r.overheadPercent <= 15), `--enforce-iam adds at most 15% server CPU per call (${enforcement.map((r) => `${r.overheadPercent}%`).join(", ")})`);
  check(insights.every((r) => r.overheadPercent <= 10), `Insights add at most 10% server CPU per recorded call (${insights.map((r) => `${r.overheadPercent}%`).join(", ")})`);
  check(eb.p99Ms <= 100, `a recorded call reaches its EventBridge target within 100 ms (p99 ${eb.p99Ms} ms)`);
  check((results.readyEphemeralMs as number) <= 300, `ready in <= 300 ms ephemeral (${results.readyEphemeralMs} ms)`);
  check((results.readyWithHistoryMs as number) <= 3000, `ready in <= 3 s with ${EVENTS.toLocaleString("en")} events (${results.readyWithHistoryMs} ms)`);
}

/**
 * --profile: GetUser and PutObject 1 KiB, warmed, on localtrail and the ceiling (their ratio and server CPU
 * per call), then on a localtrail started with --cpu-prof: the CPU of one call, stage by stage.
 */
async function profileMain(): Promise<void> {
  await build();
  const dataDir = mkdtempSync(join(tmpdir(), "localtrail-bench-"));
  // Kept when asked for (--profile-dir): the .cpuprofile files open in Chrome's DevTools.
  const profileDir = values["profile-dir"] ?? join(dataDir, "profiles");
  rmSync(profileDir, { recursive: true, force: true });
  const names = ["iam GetUser", "s3 PutObject 1 KiB"];
  const seed = async (url: string) => {
    await new IAMClient(sdk(url)).send(new CreateUserCommand({ UserName: "bench" }));
    await new S3Client(sdk(url)).send(new CreateBucketCommand({ Bucket: "bench-bucket" }));
  };
  try {
    const ceiling = await startCeiling();
    const plain = await startLocaltrail(["--data-dir", join(dataDir, "plain")]);
    await seed(plain.url);
    const rows: Row[] = [];
    for (const name of names) rows.push(await compareWith(plain, ceiling, name));
    await stop(plain);
    await stop(ceiling);

    // 100 µs between samples: a call of ~100 µs gets one sample on average, thousands of calls make it exact enough.
    const profiled = await startLocaltrail(["--data-dir", join(dataDir, "profiled")], ["--cpu-prof", "--cpu-prof-dir", profileDir, "--cpu-prof-interval", "100"]);
    await seed(profiled.url);
    const windows = [];
    const threads: Record<string, { main: number; other: number }> = {};
    for (const name of names) {
      const request = (await requests(profiled.url))[name]!;
      if (WARM > 0) await replay(profiled.url, request, CONNECTIONS, WARM);
      const before = threadCpuMicros(profiled.pid);
      const from = Number(process.hrtime.bigint() / 1000n);
      const result = await replay(profiled.url, request, CONNECTIONS, DURATION);
      const to = Number(process.hrtime.bigint() / 1000n);
      const after = threadCpuMicros(profiled.pid);
      const per = (us: number) => Math.round((us / Math.max(1, result.requests)) * 10) / 10;
      threads[name] = { main: per(after.main - before.main), other: per(after.other - before.other) };
      windows.push({ name, from, to, calls: result.requests, mainCpuPerCall: threads[name].main });
    }
    await stop(profiled); // the profiles are written as the server exits
    const breakdown = stageBreakdown(profileDir, windows);
    reportProfile(rows, breakdown, threads);
    const out = join(root, "bench/results/profile-latest.json");
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, duration: DURATION, connections: CONNECTIONS, warm: WARM, pinned: cores ?? null, rows, breakdown, threads }, null, 2) + "\n");
    console.log(`\nwritten to ${out}`);
  } finally {
    for (const proc of running) process.kill(-proc.pid!, "SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function reportProfile(rows: Row[], breakdown: ReturnType<typeof stageBreakdown>, threads: Record<string, { main: number; other: number }>): void {
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  console.log(`\nlocaltrail per-call profile: ${process.version}, ${DURATION} s per run after ${WARM} s warm-up, ${CONNECTIONS} connections, ${cores ? `load on core ${cores.load}, servers on ${cores.servers}` : "unpinned"}\n`);
  console.log(`${"operation".padEnd(24)}${pad("req/s", 9)}${pad("ceiling", 9)}${pad("ratio", 7)}${pad("CPU µs/req", 12)}${pad("ceiling µs", 12)}`);
  for (const r of rows) console.log(`${r.operation.padEnd(24)}${pad(r.localtrail.requestsPerSecond, 9)}${pad(r.ceiling.requestsPerSecond, 9)}${pad(r.ratio, 7)}${pad(r.cpuMicrosPerRequest!.localtrail, 12)}${pad(r.cpuMicrosPerRequest!.ceiling, 12)}`);
  const names = Object.keys(breakdown);
  const stages = [...new Set(names.flatMap((n) => Object.keys(breakdown[n]!.stages)))];
  console.log(`\nCPU µs per call, by stage (the main thread's samples under --cpu-prof, which itself adds a little, scaled to its CPU)`);
  console.log(`${"stage".padEnd(52)}${names.map((n) => pad(n, 22)).join("")}`);
  for (const stage of stages) console.log(`${stage.padEnd(52)}${names.map((n) => pad(breakdown[n]!.stages[stage] ?? 0, 22)).join("")}`);
  console.log(`${"main thread CPU (/proc)".padEnd(52)}${names.map((n) => pad(threads[n]!.main, 22)).join("")}`);
  console.log(`${"other threads CPU (/proc)".padEnd(52)}${names.map((n) => pad(threads[n]!.other, 22)).join("")}`);
  console.log("(other threads: libuv's pool (file writes, fsync), V8's helpers (concurrent GC, compilation), workers)");
  const ratio = (name: string) => rows.find((r) => r.operation === name)?.ratio ?? 0;
  console.log(`\ntargets (quiet machine): GetUser ${ratio("iam GetUser")} of the ceiling (>= 0.4), PutObject 1 KiB ${ratio("s3 PutObject 1 KiB")} (>= 0.3)`);
}

if (values.profile) {
  await profileMain();
} else if (values.sql) {
  const { sqlBench } = await import("./sql.js");
  await sqlBench(EVENTS, join(root, "bench/results/sql-latest.json"));
} else await main();

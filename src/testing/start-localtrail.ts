import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CloudTrailRecord } from "../types/cloudtrail-record.js";
import { matchesFilter, nearest, show, type RecordFilter } from "./record-filter.js";
import { describeRecord } from "../terminal/describe-record.js";

export interface StartOptions {
  /** Keep everything in memory (default true); false needs `dataDir`. */
  ephemeral?: boolean;
  /** A data dir that outlives the server (with `ephemeral: false`). */
  dataDir?: string;
  /** 0 (the default) picks a free port: each test worker gets its own server. */
  port?: number;
  /** The region clientConfig names, and of calls that name none (default us-east-1). */
  region?: string;
  /** `--enforce-iam`: "on" or "soft". */
  enforceIam?: "on" | "soft";
  /** More `localtrail` flags, as on the command line. */
  flags?: string[];
  /** Show the server's call lines on this process's stderr (default: quiet). */
  log?: boolean;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface TrailClock {
  /** The emulated time. */
  get(): Promise<Date>;
  /** Moves the emulated time forward to `time` (backwards is refused). */
  set(time: Date | string): Promise<Date>;
  /** Moves the emulated time forward: "PT6H", "P1D" or a number of seconds. */
  advance(duration: string | number): Promise<Date>;
}

export interface Localtrail {
  endpoint: string;
  region: string;
  /** The account root of 000000000000 (access key `test`). */
  credentials: Credentials;
  /** `new IAMClient(trail.clientConfig)`: endpoint, region and credentials for any AWS SDK v3 client. */
  clientConfig: { endpoint: string; region: string; credentials: Credentials };
  /** Clears all state and history, as after a fresh start. */
  reset(): Promise<void>;
  /** Every trail delivers its pending log and digest files now. */
  flush(): Promise<void>;
  clock: TrailClock;
  /** Every record of the history (every account, region and category), oldest first, matching the filter. */
  events(filter?: RecordFilter): Promise<CloudTrailRecord[]>;
  /** The first record matching the filter, waiting for it to be recorded; rejects after `timeout` ms (default 30 s). */
  waitForEvent(filter: RecordFilter, options?: { timeout?: number }): Promise<CloudTrailRecord>;
  /** Stops the server (and forgets an ephemeral history). */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let cleanupInstalled = false;

/**
 * Starts localtrail as its own process on a free port and resolves once it is ready. A process per server
 * keeps parallel test workers (vitest, Jest) from sharing anything: each has its own port and history, and
 * a server left running dies with the process that started it.
 */
export async function startLocaltrail(options: StartOptions = {}): Promise<Localtrail> {
  const region = options.region ?? "us-east-1";
  const ephemeral = options.ephemeral ?? options.dataDir === undefined;
  const args = [
    bundlePath(),
    "--port",
    String(options.port ?? 0),
    "--host",
    "127.0.0.1",
    "--region",
    region,
    ...(ephemeral ? ["--ephemeral"] : ["--data-dir", options.dataDir ?? ".localtrail"]),
    ...(options.enforceIam ? ["--enforce-iam", options.enforceIam] : []),
    ...(options.log ? [] : ["--quiet"]),
    ...(options.flags ?? []),
  ];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env: withoutLocaltrailVariables(process.env) });
  running.add(child);
  if (!cleanupInstalled) {
    cleanupInstalled = true;
    process.once("exit", () => {
      for (const c of running) c.kill("SIGKILL");
    });
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => (running.delete(child), resolve())));
  const endpoint = await new Promise<string>((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /^localtrail ready on (http:\/\/\S+)\r?\nReady\.\r?\n/m.exec(output);
      if (ready) {
        child.stdout!.off("data", onData);
        if (options.log) child.stdout!.pipe(process.stderr);
        else child.stdout!.resume();
        resolve(ready[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (options.log) process.stderr.write(chunk);
    });
    child.once("error", reject);
    void exited.then(() => reject(new Error(`localtrail exited before it was ready:\n${output}`)));
  });

  const control = async (path: string, init?: RequestInit): Promise<unknown> => {
    const res = await fetch(`${endpoint}${path}`, init);
    const body = await res.text();
    if (!res.ok) throw new Error(`localtrail ${path}: ${res.status} ${body}`);
    return JSON.parse(body) as unknown;
  };
  const post = (path: string, body?: unknown) => control(path, { method: "POST", headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const page = (after: number, wait = 0) => control(`/_localtrail/events?after=${after}&limit=10000${wait ? `&wait=${wait}` : ""}`) as Promise<EventsPage>;
  const clockAt = (answer: unknown) => new Date((answer as { now: string }).now);

  // Fresh objects each time: the SDK writes into the credentials it is given.
  const credentials = () => ({ accessKeyId: "test", secretAccessKey: "test" });
  const trail: Localtrail = {
    endpoint,
    region,
    get credentials() {
      return credentials();
    },
    get clientConfig() {
      return { endpoint, region, credentials: credentials() };
    },
    async reset() {
      await post("/_localtrail/reset");
    },
    async flush() {
      await post("/_localtrail/flush");
    },
    clock: {
      get: async () => clockAt(await control("/_localtrail/clock")),
      set: async (time) => clockAt(await post("/_localtrail/clock", { set: typeof time === "string" ? time : time.toISOString() })),
      advance: async (duration) => clockAt(await post("/_localtrail/clock", { advance: duration })),
    },
    async events(filter) {
      const all: CloudTrailRecord[] = [];
      for (let after = -1, more = true; more; ) {
        const answer = await page(after);
        all.push(...answer.records);
        ({ cursor: after, more } = answer);
      }
      return filter ? all.filter((r) => matchesFilter(r, filter)) : all;
    },
    async waitForEvent(filter, { timeout = 30_000 } = {}) {
      const deadline = Date.now() + timeout;
      const seen: CloudTrailRecord[] = [];
      for (let after = -1; ; ) {
        const left = deadline - Date.now();
        // The history so far at once, then long polls for what comes next.
        const answer = await page(after, after === -1 ? 0 : Math.max(1, Math.min(30, Math.ceil(left / 1000))));
        const found = answer.records.find((r) => matchesFilter(r, filter));
        if (found) return found;
        seen.push(...answer.records);
        after = answer.cursor;
        if (!answer.more && Date.now() >= deadline) throw new Error(`waitForEvent: no record matching ${show(filter)} within ${timeout} ms.${nearestText(seen, filter)}`);
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
  return trail;
}

interface EventsPage {
  cursor: number;
  more: boolean;
  records: CloudTrailRecord[];
}

/** The nearest records to a filter and how each differs, for failure messages. */
export function nearestText(records: CloudTrailRecord[], filter: unknown, count = 3): string {
  if (records.length === 0) return "\nThe history is empty.";
  const lines = [`\nThe nearest of ${records.length} record${records.length === 1 ? "" : "s"}:`];
  nearest(records, filter, count).forEach(({ record, differences }, i) => {
    const f = describeRecord(record);
    lines.push(`  ${i + 1}. ${f.call} by ${f.who} at ${f.time}${f.ok ? "" : ` (${f.outcome})`}, eventID ${record.eventID}`);
    for (const d of differences) lines.push(`       ${d.path || "(record)"}: expected ${show(d.expected)}, received ${show(d.actual)}`);
  });
  return lines.join("\n");
}

/** The testing server takes its settings from the options only, not from the test process's LOCALTRAIL_* variables. */
function withoutLocaltrailVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith("LOCALTRAIL_")));
}

/** The server bundle, dist/main.js of the localtrail package this module belongs to (from dist/ or src/). */
function bundlePath(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "localtrail") {
      const bundle = join(dir, "dist", "main.js");
      if (!existsSync(bundle)) throw new Error(`localtrail: ${bundle} is missing; build it with npm run build`);
      return bundle;
    }
    if (dirname(dir) === dir) throw new Error("localtrail: cannot find the localtrail package from the testing module");
  }
}


/**
 * `npm run bench -- --profile`: where a warmed call's CPU goes, stage by stage. The server runs with
 * `--cpu-prof` (V8's sampling profiler, every thread that runs JavaScript); each sample taken inside a
 * measured window is charged to the stage of the nearest frame that names one, read through the bundle's
 * source map (dist/*.js -> src/...). Threads that run no JavaScript (libuv's pool: file writes and fsync;
 * V8's helpers: concurrent GC and compilation) show as the process's CPU beyond the profiled threads.
 */
import { readFileSync, readdirSync } from "node:fs";
import { SourceMap } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Stages in the order a call meets them; the first rule matching a frame's source wins. */
const STAGES: [string, RegExp][] = [
  ["HTTP (Hono adapter)", /node_modules\/(hono|@hono\/node-server)\//],
  ["gateway (routing, body)", /^src\/(gateway\/|incoming-call\.ts|client-errors\.ts)/],
  ["auth (SigV4)", /^src\/auth\//],
  ["codec", /^src\/protocols\/|node_modules\/(xml2js|sax|xmlbuilder)\//],
  ["enforcement", /^src\/enforcement\//],
  ["handler", /^emulated-services\/|^src\/invoke-handler\.ts/],
  ["state", /^src\/state\//],
  ["record building", /^src\/recorder\//],
  ["event-log append", /^src\/event-log\//],
  ["sinks (trails, Insights, rules)", /^src\/(sinks|insights|delivery)\//],
  ["pipeline glue", /^src\//],
];

/** Node's own HTTP and sockets: charged to HTTP when no stage is nearer the sample. */
const NODE_HTTP = /^node:(_http_|net|internal\/http|internal\/stream_base_commons|internal\/(js_stream_socket|net))/;

export interface StageBreakdown {
  /** µs of CPU per call, by stage: the main thread's share of samples times its CPU per call. */
  stages: Record<string, number>;
}

export interface ProfileWindow {
  name: string;
  /** CLOCK_MONOTONIC µs (process.hrtime), which V8's profile timestamps share. */
  from: number;
  to: number;
  calls: number;
  /** The main thread's CPU per call in the window (/proc), which its samples are scaled to. */
  mainCpuPerCall: number;
}

/**
 * Aggregates the profiles a server wrote to `dir` over the measured windows. Samples are taken on a wall
 * clock, and on a busy machine a thread is often waiting for a core: the main thread's samples give each
 * stage's share, scaled to the thread's CPU per call. A worker thread's samples (non-idle) are reported as
 * sampled time, `worker threads: <stage>`, wall-clock sampled time (waiting included).
 */
export function stageBreakdown(dir: string, windows: ProfileWindow[]): Record<string, StageBreakdown> {
  const totals = new Map<string, { main: Map<string, number>; workers: Map<string, number> }>(windows.map((w) => [w.name, { main: new Map(), workers: new Map() }]));
  const maps = new Map<string, SourceMap | null>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"))) {
    // CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile: thread 0 is the main thread.
    const main = file.split(".")[4] === "0";
    const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile;
    const stageOf = classifier(profile, maps);
    let t = profile.startTime;
    for (let i = 0; i < profile.samples.length; i++) {
      t += profile.timeDeltas[i]!;
      const window = windows.find((w) => t >= w.from && t < w.to);
      if (!window) continue;
      const stage = stageOf(profile.samples[i]!);
      if (stage === undefined) continue;
      const into = main ? totals.get(window.name)!.main : totals.get(window.name)!.workers;
      // Main thread: a count of samples; a worker: the time until its next sample.
      into.set(stage, (into.get(stage) ?? 0) + (main ? 1 : (profile.timeDeltas[i + 1] ?? 0)));
    }
  }
  const out: Record<string, StageBreakdown> = {};
  for (const w of windows) {
    const { main, workers } = totals.get(w.name)!;
    const samples = [...main.values()].reduce((a, b) => a + b, 0);
    const stages: Record<string, number> = {};
    for (const [stage, n] of [...main].sort((a, b) => b[1] - a[1])) stages[stage] = Math.round((n / Math.max(1, samples)) * w.mainCpuPerCall * 10) / 10;
    // A worker's code evaluated from a string (the event log's writer) has no file: its samples fall under "other".
    for (const [stage, us] of [...workers].sort((a, b) => b[1] - a[1])) {
      const name = stage.startsWith("other") ? "worker threads: unattributed (eval'd code, waiting)" : `worker threads: ${stage}`;
      stages[name] = Math.round((us / Math.max(1, w.calls)) * 10) / 10;
    }
    out[w.name] = { stages };
  }
  return out;
}

/** The stage of a sample's node (memoised): undefined for idle time. */
function classifier(profile: CpuProfile, maps: Map<string, SourceMap | null>): (id: number) => string | undefined {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map<number, string | undefined>();
  const frameStage = (frame: CallFrame): string | undefined => {
    const source = sourceOf(frame, maps);
    if (!source) return undefined;
    if (NODE_HTTP.test(source)) return "HTTP (Node)";
    for (const [stage, pattern] of STAGES) if (pattern.test(source)) return stage;
    return undefined;
  };
  return (id) => {
    if (memo.has(id)) return memo.get(id);
    const leaf = byId.get(id)!.callFrame.functionName;
    let stage: string | undefined;
    if (leaf === "(idle)") stage = undefined;
    else if (leaf === "(garbage collector)") stage = "GC (main thread)";
    else if (leaf === "(program)") stage = "runtime (JIT, native glue)";
    else {
      for (let n: number | undefined = id; n !== undefined && stage === undefined; n = parent.get(n)) stage = frameStage(byId.get(n)!.callFrame);
      stage ??= "other (Node internals, event loop)";
    }
    memo.set(id, stage);
    return stage;
  };
}

/** The project's directory, with its trailing slash. */
const root = fileURLToPath(new URL("..", import.meta.url));

/** A frame's source file relative to the project (src/auth/sigv4.ts), node:... for Node's own, else its URL. */
function sourceOf(frame: CallFrame, maps: Map<string, SourceMap | null>): string | undefined {
  const url = frame.url;
  if (!url) return undefined;
  if (url.startsWith("node:")) return url;
  const path = url.startsWith("file://") ? fileURLToPath(url) : url;
  if (!path.startsWith(root)) return path;
  const relative = path.slice(root.length);
  if (!relative.startsWith("dist/")) return relative;
  let map = maps.get(path);
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${path}.map`, "utf8")));
    } catch {
      map = null;
    }
    maps.set(path, map);
  }
  if (!map) return relative;
  const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string };
  const original = entry.originalSource;
  if (!original) return relative;
  const file = original.startsWith("file://") ? fileURLToPath(original) : join(root, "dist", original);
  return file.startsWith(root) ? file.slice(root.length) : file;
}

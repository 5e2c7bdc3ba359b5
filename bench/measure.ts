import { readFileSync } from "node:fs";
import autocannon from "autocannon";

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
}

export interface ReplayRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** Replays one request as fast as `connections` keep-alive connections allow, for `duration` seconds. */
export async function replay(url: string, request: ReplayRequest, connections: number, duration: number): Promise<LoadResult> {
  const headers = { ...request.headers };
  delete headers.host; // autocannon sends the right one for url
  const result = await autocannon({
    url: url + request.path,
    connections,
    duration,
    method: request.method as autocannon.Request["method"],
    headers: { ...headers, host: new URL(url).host },
    body: request.body,
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** Samples a process's resident memory (VmRSS) and keeps the peak, in MB. */
export class RssSampler {
  private peakKb = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.timer = setInterval(() => this.sample(), 50);
    this.sample();
  }

  private sample(): void {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, "utf8"));
      if (m) this.peakKb = Math.max(this.peakKb, Number(m[1]));
    } catch {
      // The process has exited.
    }
  }

  /** Peak since start (or the last reset), in MB. */
  peakMb(): number {
    this.sample();
    return Math.round(this.peakKb / 1024);
  }

  reset(): void {
    this.peakKb = 0;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/**
 * CPU time a process has used so far (user + system, every thread), in µs. Per request, it is a steadier
 * figure than requests per second on a shared machine, where the load generator competes for the cores.
 */
export function cpuMicros(pid: number): number {
  // Fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 a second on Linux); the name may hold spaces.
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** Latencies of a set of async calls: percentiles in milliseconds. */
export function percentiles(samples: number[]): { p50Ms: number; p99Ms: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50Ms: Math.round(at(0.5) * 100) / 100, p99Ms: Math.round(at(0.99) * 100) / 100 };
}

/** CPU time so far of a process's main thread (the one running the event loop) and of all its other threads, in µs. */
export function threadCpuMicros(pid: number): { main: number; other: number } {
  const ticks = (path: string) => {
    const fields = readFileSync(path, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  };
  const main = ticks(`/proc/${pid}/task/${pid}/stat`);
  return { main, other: cpuMicros(pid) - main };
}

import { readFile } from "node:fs/promises";

/** How often a running invocation's memory is read: often enough that a runaway allocation is caught early. */
const SAMPLE_MS = 5;

/**
 * Holds a runtime process to the function's memory size, as Lambda's sandbox does: the process's resident
 * memory (VmRSS in /proc/<pid>/status, so Buffers, ArrayBuffers and Python objects count, not only V8's heap)
 * is read while an invocation runs, and the process is killed with SIGKILL once it goes over, which Lambda
 * reports as Runtime.OutOfMemory with "Runtime exited with error: signal: killed". Where /proc is missing
 * (macOS), only V8's heap limit holds.
 */
export class MemoryWatch {
  exceeded = false;
  peakMb = 0;
  private timer: NodeJS.Timeout | undefined;
  private reading = false;

  constructor(
    private readonly pid: number | undefined,
    private readonly limitMb: number,
    private readonly kill: () => void,
  ) {
    if (pid === undefined || process.platform !== "linux") return;
    this.timer = setInterval(() => void this.sample(), SAMPLE_MS);
    void this.sample();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async sample(): Promise<void> {
    if (this.reading || this.timer === undefined) return;
    this.reading = true;
    try {
      const status = await readFile(`/proc/${this.pid}/status`, "utf8");
      const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0);
      const mb = Math.ceil(kb / 1024);
      if (this.timer === undefined) return;
      if (mb > this.limitMb) {
        this.exceeded = true;
        this.peakMb = this.limitMb;
        this.stop();
        this.kill();
        return;
      }
      this.peakMb = Math.max(this.peakMb, mb);
    } catch {
      // The process is gone: its exit is reported elsewhere.
    } finally {
      this.reading = false;
    }
  }
}

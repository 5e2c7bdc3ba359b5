import { readFile, writeFile } from "node:fs/promises";

/** How often a running invocation's memory is read: often enough that a runaway allocation is stopped early. */
const SAMPLE_MS = 5;

/**
 * Holds a runtime process to the function's memory size, as Lambda's sandbox does: the process's resident
 * memory (/proc/<pid>/status, so Buffers, ArrayBuffers and Python objects count, not only V8's heap) may not
 * go over it, which Lambda reports as Runtime.OutOfMemory with "Runtime exited with error: signal: killed".
 *
 * Two readings: VmRSS is sampled while the invocation runs, to kill a runaway process early; and the kernel's
 * own high-water mark (VmHWM, reset to the current size when the invocation starts) is read when it ends, so a
 * peak that came and went between two samples (a busy machine) is caught all the same. Where /proc is missing
 * (macOS), only V8's heap limit holds.
 */
export class MemoryWatch {
  exceeded = false;
  peakMb = 0;
  private timer: NodeJS.Timeout | undefined;
  private reading = false;
  private readonly watching: boolean;
  private readonly started: Promise<void>;

  constructor(
    private readonly pid: number | undefined,
    private readonly limitMb: number,
    private readonly kill: () => void,
  ) {
    this.watching = pid !== undefined && process.platform === "linux";
    // "5" resets the high-water mark (proc(5), clear_refs): this invocation's peak, not an earlier one's.
    this.started = this.watching ? writeFile(`/proc/${pid}/clear_refs`, "5").catch(() => undefined) : Promise.resolve();
    if (!this.watching) return;
    this.timer = setInterval(() => void this.sample(), SAMPLE_MS);
    void this.sample();
  }

  /**
   * Stops sampling and reads the invocation's peak: true when it went over the limit (the process has been
   * killed then, as the sandbox would have killed it at that peak).
   */
  async finish(): Promise<boolean> {
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.watching && !this.exceeded) {
      await this.started;
      const peak = await this.readMb("VmHWM");
      if (peak !== undefined) this.observe(peak);
    }
    return this.exceeded;
  }

  private async sample(): Promise<void> {
    if (this.reading || this.timer === undefined) return;
    this.reading = true;
    try {
      const mb = await this.readMb("VmRSS");
      if (mb !== undefined && this.timer !== undefined) this.observe(mb);
    } finally {
      this.reading = false;
    }
  }

  private observe(mb: number): void {
    if (mb > this.limitMb) {
      this.exceeded = true;
      this.peakMb = this.limitMb;
      clearInterval(this.timer);
      this.timer = undefined;
      this.kill();
      return;
    }
    this.peakMb = Math.max(this.peakMb, mb);
  }

  /** A memory figure of the process in MB (rounded up), or undefined once the process is gone. */
  private async readMb(field: "VmRSS" | "VmHWM"): Promise<number | undefined> {
    try {
      const status = await readFile(`/proc/${this.pid}/status`, "utf8");
      const kb = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(status)?.[1];
      return kb === undefined ? undefined : Math.ceil(Number(kb) / 1024);
    } catch {
      return undefined; // the process is gone: its exit is reported elsewhere
    }
  }
}

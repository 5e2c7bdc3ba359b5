/**
 * The log of one invocation as Lambda writes it around the function's own lines:
 * `START RequestId: <id> Version: $LATEST`, then the function's output, `END RequestId: <id>`, and
 * `REPORT RequestId: <id>\tDuration: 2.35 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 67 MB\t`
 * (with `Init Duration` after a cold start, `Status: timeout` or `Status: error\tError Type: ...` on failure).
 */
export class InvocationLog {
  private text = "";
  /** Only the end of a log is ever read (the 4 KB tail); a chatty function keeps this much of it. */
  private static readonly KEPT = 256 << 10;

  constructor(
    private readonly requestId: string,
    version: string,
    /** What the environment wrote while it started (Lambda's init phase) comes first on a cold start. */
    initOutput = "",
  ) {
    this.text = `${initOutput}START RequestId: ${requestId} Version: ${version}\n`;
  }

  append(output: string): void {
    this.text += output;
    if (this.text.length > 2 * InvocationLog.KEPT) this.text = this.text.slice(-InvocationLog.KEPT);
  }

  includes(text: string): boolean {
    return this.text.includes(text);
  }

  /** `Task timed out after 3.00 seconds`, written by the platform when it stops the function. */
  timedOut(at: Date, seconds: number): void {
    this.text += `${at.toISOString()} ${this.requestId} Task timed out after ${seconds.toFixed(2)} seconds\n`;
  }

  finish(report: { durationMs: number; memorySize: number; maxMemoryUsedMb: number; initMs?: number; status?: "timeout" | "error"; errorType?: string }): string {
    const billed = Math.ceil(report.durationMs + (report.initMs ?? 0));
    let line = `REPORT RequestId: ${this.requestId}\tDuration: ${report.durationMs.toFixed(2)} ms\tBilled Duration: ${billed} ms\t`;
    line += `Memory Size: ${report.memorySize} MB\tMax Memory Used: ${report.maxMemoryUsedMb} MB\t`;
    if (report.initMs !== undefined) line += `Init Duration: ${report.initMs.toFixed(2)} ms\t`;
    if (report.status) line += `Status: ${report.status}\t`;
    if (report.errorType) line += `Error Type: ${report.errorType}\t`;
    this.text += `END RequestId: ${this.requestId}\n${line}\n`;
    return this.text;
  }
}

/** X-Amz-Log-Result: base64 of the last 4 KB of the invocation's log. */
export function logTail(log: string): string {
  const bytes = Buffer.from(log, "utf8");
  return bytes.subarray(Math.max(0, bytes.length - 4096)).toString("base64");
}

import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { MemoryWatch } from "./memory-watch.js";
import { InvocationLog } from "./invocation-log.js";
import { LineSplitter } from "./line-splitter.js";

/** The runtime's error document: Node's `{errorType, errorMessage, trace}`, Python's `{errorMessage, errorType, requestId, stackTrace}`. */
export type ErrorDocument = { errorType: string; errorMessage: string } & Record<string, unknown>;

/** How to start the runtime process: the bootstrap gets the nonce that marks its answers as its last argument. */
export interface Launch {
  command: string;
  args: (nonce: string) => string[];
  cwd: string;
  env: Record<string, string>;
}

export interface InvocationRequest {
  requestId: string;
  /** The event as JSON text. */
  payload: string;
  timeoutSeconds: number;
  memorySize: number;
  version: string;
  invokedFunctionArn: string;
  clientContext?: unknown;
  /** Emulated time minus the machine's: the runtime's log lines carry emulated times. */
  clockOffsetMs: number;
}

/** How an invocation ended; `log` is the whole log (START ... REPORT). */
export type InvocationOutcome = { log: string } & ({ ok: true; payload: string } | { ok: false; error: ErrorDocument });

interface Answer {
  type: "ready" | "result" | "error";
  requestId?: string;
  payload?: string;
  error?: ErrorDocument;
  initMs?: number;
  memoryMb?: number;
  /** The runtime is exiting after this answer (an uncaught exception): the environment is not reused. */
  fatal?: boolean;
}

interface Pending {
  requestId: string;
  /** The invocation's log, opened once the runtime is ready (init output first on a cold start). */
  log: () => InvocationLog;
  settle: (answer: Answer | { exit: string }) => void;
}

/** What a cold start's log keeps of the init phase's output. */
const INIT_OUTPUT_KEPT = 64 << 10;

/** Lambda's limit on a cold start's init phase, beside the function's own timeout. */
const INIT_SECONDS = 10;

/** Go's names for the signals, as Lambda's `Runtime exited with error: signal: killed` spells them. */
const SIGNAL_NAMES: Record<string, string> = { SIGKILL: "killed", SIGABRT: "aborted", SIGSEGV: "segmentation fault", SIGTERM: "terminated", SIGINT: "interrupt" };

/**
 * One execution environment: a runtime process that loads the function once and then serves invocations one
 * at a time until it crashes, times out, or is discarded (warm reuse). Its stdout carries the function's log
 * lines and, on lines that start with a per-process nonce, the runtime's answers.
 */
export class ExecutionEnvironment {
  readonly createdAt = Date.now();
  lastUsed = Date.now();
  busy = false;
  private exited = false;
  private stopping = false;
  private readonly child: ChildProcess;
  private readonly marker: string;
  private readonly stdout: LineSplitter;
  private initOutput = "";
  private initMs: number | undefined;
  private initialised = false;
  private served = 0;
  private maxMemoryMb = 0;
  private pending: Pending | undefined;
  private readonly ready: Promise<Answer | { exit: string }>;
  private onExit: (() => void) | undefined;

  constructor(launch: Launch) {
    const nonce = randomBytes(12).toString("hex");
    this.marker = `\x1eLT${nonce} `;
    this.child = spawn(launch.command, launch.args(nonce), { cwd: launch.cwd, env: launch.env, stdio: ["ignore", "pipe", "pipe", "pipe"] });
    let markReady: (a: Answer | { exit: string }) => void = () => undefined;
    this.ready = new Promise((resolve) => (markReady = resolve));
    this.stdout = new LineSplitter((line) => this.readLine(line, markReady), (head) => this.oversized(head));
    this.child.stdout!.setEncoding("utf8").on("data", (chunk: string) => this.stdout.push(chunk));
    this.child.stderr!.setEncoding("utf8").on("data", (chunk: string) => this.capture(chunk));
    const ended = (exit: string) => {
      if (this.exited) return;
      this.exited = true;
      this.stdout.flush();
      markReady({ exit });
      this.pending?.settle({ exit });
      this.onExit?.();
    };
    this.child.on("error", (e) => ended(`${e.message}`));
    // "close" comes after the process's output has been read to the end, so a crash's last words are kept.
    this.child.on("close", (code, signal) => ended(signal ? `signal: ${SIGNAL_NAMES[signal] ?? signal}` : `exit status ${code}`));
    // A runtime that dies while it is written to must not take the emulator down with it.
    for (const stream of this.child.stdio) stream?.on("error", () => undefined);
  }

  /** Neither gone nor being stopped: only such an environment takes another invocation. */
  get alive(): boolean {
    return !this.exited && !this.stopping;
  }

  /** Called once when the process ends for whatever reason (the pool forgets it). */
  whenGone(callback: () => void): void {
    this.onExit = callback;
    if (this.exited) callback();
  }

  /** Runs one invocation; the environment is gone afterwards if the function timed out or the runtime died. */
  async invoke(request: InvocationRequest): Promise<InvocationOutcome> {
    this.busy = true;
    const cold = this.served++ === 0;
    let started = performance.now();
    let opened: InvocationLog | undefined;
    const log = () => (opened ??= new InvocationLog(request.requestId, request.version, cold ? this.initOutput : ""));
    let deadline = Date.now() + request.timeoutSeconds * 1000;
    let timer: NodeJS.Timeout | undefined;
    // The function's memory size holds for all the process uses (Buffers, native memory, Python), not only V8's heap.
    const memory = new MemoryWatch(this.child.pid, request.memorySize, () => this.child.kill("SIGKILL"));
    let answer = await new Promise<Answer | { exit: string } | "timeout">((resolve) => {
      let settled = false;
      const settle = (a: Answer | { exit: string } | "timeout") => {
        if (settled) return;
        settled = true;
        resolve(a);
      };
      // The function's timeout runs from the invocation; a cold start's init has its own 10 seconds (as on AWS).
      timer = setTimeout(() => settle("timeout"), (INIT_SECONDS + request.timeoutSeconds) * 1000);
      this.pending = { requestId: request.requestId, log, settle };
      void this.ready.then((ready) => {
        if (settled) return;
        log();
        if ("exit" in ready || ready.error) return settle(ready);
        clearTimeout(timer);
        timer = setTimeout(() => settle("timeout"), request.timeoutSeconds * 1000);
        started = performance.now();
        deadline = Date.now() + request.timeoutSeconds * 1000;
        this.send({ type: "invoke", requestId: request.requestId, payload: request.payload, deadline, invokedFunctionArn: request.invokedFunctionArn, clientContext: request.clientContext, clockOffsetMs: request.clockOffsetMs });
      });
    });
    clearTimeout(timer);
    // A peak over the memory size between two samples: the sandbox would have killed the process at it.
    if ((await memory.finish()) && answer !== "timeout" && !("exit" in answer)) answer = { exit: "signal: killed" };
    this.maxMemoryMb = Math.max(this.maxMemoryMb, memory.peakMb);
    this.pending = undefined;
    this.busy = false;
    this.lastUsed = Date.now();
    const durationMs = performance.now() - started;
    const report = { durationMs, memorySize: request.memorySize, maxMemoryUsedMb: this.maxMemoryMb, initMs: cold ? this.initMs : undefined };

    if (answer === "timeout") {
      this.kill();
      log().timedOut(new Date(Date.now() + request.clockOffsetMs), durationMs / 1000);
      const error = { errorType: "Sandbox.Timedout", errorMessage: `RequestId: ${request.requestId} Error: Task timed out after ${(durationMs / 1000).toFixed(2)} seconds` };
      return { ok: false, error, log: log().finish({ ...report, status: "timeout" }) };
    }
    if ("exit" in answer) {
      this.kill();
      // V8 aborts when the heap the function's memory allows is full: Lambda calls that running out of memory.
      const outOfMemory = memory.exceeded || log().includes("JavaScript heap out of memory");
      const error = { errorType: outOfMemory ? "Runtime.OutOfMemory" : "Runtime.ExitError", errorMessage: `RequestId: ${request.requestId} Error: Runtime exited with error: ${answer.exit}` };
      log().append(`${error.errorMessage}\n${error.errorType}\n`);
      if (outOfMemory) report.maxMemoryUsedMb = request.memorySize;
      return { ok: false, error, log: log().finish({ ...report, status: "error", errorType: error.errorType }) };
    }
    if (answer.memoryMb !== undefined) this.maxMemoryMb = Math.max(this.maxMemoryMb, answer.memoryMb);
    report.maxMemoryUsedMb = this.maxMemoryMb;
    if (answer.type === "ready") {
      // The function could not be loaded: Lambda reports the init error and starts afresh next time.
      this.kill();
      return { ok: false, error: answer.error!, log: log().finish({ ...report, status: "error", errorType: answer.error!.errorType }) };
    }
    if (answer.fatal) this.kill();
    if (answer.type === "error") return { ok: false, error: answer.error!, log: log().finish(report) };
    return { ok: true, payload: answer.payload ?? "null", log: log().finish(report) };
  }

  kill(): void {
    this.stopping = true;
    if (!this.exited) this.child.kill("SIGKILL");
  }

  private send(message: Record<string, unknown>): void {
    (this.child.stdio[3] as NodeJS.WritableStream).write(`${JSON.stringify(message)}\n`);
  }

  /** A line of stdout: the runtime's answer when it carries the marker, the function's log otherwise. */
  private readLine(line: string, markReady: (a: Answer) => void): void {
    const answer = line.startsWith(this.marker) ? parseAnswer(line.slice(this.marker.length)) : undefined;
    if (!answer) return this.capture(line);
    if (answer.type === "ready") {
      this.initMs = answer.initMs;
      this.initialised = true;
      markReady(answer);
    } else if (this.pending && (answer.requestId === this.pending.requestId || answer.requestId === undefined)) {
      this.pending.settle(answer);
    }
  }

  /** A line too long to hold: an answer too large for Lambda's response quota, or a log line cut short. */
  private oversized(head: string): void {
    if (!head.startsWith(this.marker)) return this.capture(`${head}\n`);
    const error = { errorMessage: "Response payload size exceeded maximum allowed payload size (6291556 bytes).", errorType: "Function.ResponseSizeTooLarge" };
    this.pending?.settle({ type: "error", requestId: this.pending.requestId, error });
  }

  /** Output belongs to the init phase until the runtime is ready, then to the invocation under way. */
  private capture(text: string): void {
    if (!this.initialised) this.initOutput = (this.initOutput + text).slice(-INIT_OUTPUT_KEPT);
    else this.pending?.log().append(text);
  }
}

function parseAnswer(json: string): Answer | undefined {
  try {
    return JSON.parse(json) as Answer;
  } catch {
    return undefined;
  }
}

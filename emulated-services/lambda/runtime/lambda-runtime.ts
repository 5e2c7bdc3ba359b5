import { rm } from "node:fs/promises";
import type { ServiceEnv, ServiceRuntime } from "../../../src/types/service.js";
import { AwsError } from "../../../src/types/aws-error.js";
import { CodeDirectories } from "./code-directories.js";
import { ExecutionEnvironment, type InvocationOutcome, type InvocationRequest, type Launch } from "./execution-environment.js";
import { InvocationLog } from "./invocation-log.js";
import { functionVariables, logStreamName, type FunctionSpec, type TemporaryCredentials } from "./function-environment.js";
import { bootstrapPath, localtrailRoot, runtimeFamily } from "./runtimes.js";

/** An idle environment is stopped after this long, and none lives longer than MAX_AGE_MS (AWS recycles them too). */
const IDLE_MS = 5 * 60_000;
const MAX_AGE_MS = 2 * 3600_000;
/** Environments running at once, all functions together: beyond, AWS-style throttling instead of a fork bomb. */
const MAX_ENVIRONMENTS = 64;

/** An environment ready for one invocation; `run` hands it back to the pool when the invocation ends. */
export interface Started {
  run(request: Omit<InvocationRequest, "timeoutSeconds" | "memorySize" | "version" | "clockOffsetMs">): Promise<InvocationOutcome>;
  /** Where its log goes (AWS_LAMBDA_LOG_STREAM_NAME) and whose credentials send it; none without a runtime. */
  logs?: EnvironmentLogs;
}

/** An environment's log stream in /aws/lambda/<function>, created with its first log events. */
export interface EnvironmentLogs {
  stream: string;
  credentials: TemporaryCredentials;
  streamCreated: boolean;
}

interface Tracked {
  environment: ExecutionEnvironment;
  spec: FunctionSpec;
  logs: EnvironmentLogs;
}

/**
 * The execution environments of one emulator: warm processes reused between invocations of the same version
 * and configuration of a function, new ones started when none is free. Stopped on reset and at shutdown
 * through the service's start hook (ServiceRuntime).
 */
export class LambdaRuntime implements ServiceRuntime {
  private readonly code: CodeDirectories;
  private readonly tracked = new Set<Tracked>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly env: ServiceEnv) {
    this.code = new CodeDirectories(env.dataDir);
  }

  /**
   * An environment for the function: a warm idle one, or a new process (`credentials` is asked for then:
   * the execution role's session, issued by the call that starts it).
   */
  async start(spec: FunctionSpec, credentials: () => Promise<TemporaryCredentials>): Promise<Started> {
    const family = runtimeFamily(spec.runtime);
    if (!family) return unavailable(spec, `localtrail runs nodejs and python functions only; ${spec.runtime} has no runtime here.`);
    this.discardStale(spec);
    const warm = [...this.tracked].find((t) => !t.environment.busy && t.environment.alive && sameConfiguration(t.spec, spec));
    let tracked = warm;
    if (!tracked) {
      if (this.tracked.size >= MAX_ENVIRONMENTS) throw new AwsError("TooManyRequestsException", "Rate Exceeded.");
      const session = await credentials();
      const taskRoot = await this.code.dirFor(spec.codeBlobId, this.env.blobs).catch(() => {
        // The zip was checked when it was stored; failing now means the disk or the store failed (AWS: 502).
        throw new AwsError("InvalidZipFileException", "Lambda was unable to unzip the deployment package.");
      });
      const scratch = await this.code.scratchDir();
      const stream = logStreamName(this.env.ids, spec.version, this.env.now());
      const variables = functionVariables(spec, { taskRoot, scratch }, session, this.env.endpoint, stream);
      tracked = { environment: new ExecutionEnvironment(launch(family, spec, taskRoot, variables)), spec, logs: { stream, credentials: session, streamCreated: false } };
      this.track(tracked, scratch);
    }
    const { environment } = tracked;
    environment.busy = true;
    return {
      run: (request) =>
        environment.invoke({
          ...request,
          timeoutSeconds: spec.timeout,
          memorySize: spec.memorySize,
          version: spec.version,
          clockOffsetMs: this.env.clock.now().getTime() - this.env.clock.machineNow().getTime(),
        }),
      logs: tracked.logs,
    };
  }

  /** Stops every environment of a function (deleted), or of one of its versions. */
  discard(functionArn: string, version?: string): void {
    for (const t of this.tracked) if (t.spec.functionArn === functionArn && (version === undefined || t.spec.version === version)) t.environment.kill();
  }

  /** A package no version uses any more: its environments stop and its unpacked copy goes. */
  async forgetCode(blobId: string): Promise<void> {
    for (const t of this.tracked) if (t.spec.codeBlobId === blobId) t.environment.kill();
    await this.code.forget(blobId);
  }

  async reset(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    for (const t of this.tracked) t.environment.kill();
    this.tracked.clear();
    await this.code.clear();
  }

  private track(tracked: Tracked, scratch: string): void {
    this.tracked.add(tracked);
    tracked.environment.whenGone(() => {
      this.tracked.delete(tracked);
      void rm(scratch, { recursive: true, force: true });
    });
    this.sweeper ??= setInterval(() => this.sweep(), 30_000).unref();
  }

  /** After an update, idle environments of the old configuration of that version serve no one. */
  private discardStale(spec: FunctionSpec): void {
    for (const t of this.tracked) {
      if (t.spec.functionArn === spec.functionArn && t.spec.version === spec.version && !sameConfiguration(t.spec, spec) && !t.environment.busy) t.environment.kill();
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (const { environment } of this.tracked) {
      if (!environment.busy && (now - environment.lastUsed > IDLE_MS || now - environment.createdAt > MAX_AGE_MS)) environment.kill();
    }
  }
}

const runtimes = new WeakMap<ServiceEnv, LambdaRuntime>();

/** The runtime of the emulator whose environment `env` is: handlers reach it through their ctx.env. */
export function lambdaRuntime(env: ServiceEnv): LambdaRuntime {
  let runtime = runtimes.get(env);
  if (!runtime) runtimes.set(env, (runtime = new LambdaRuntime(env)));
  return runtime;
}

/** Specs are built field by field in one place, so equal specs serialise alike. */
const sameConfiguration = (a: FunctionSpec, b: FunctionSpec) => JSON.stringify(a) === JSON.stringify(b);

function launch(family: "node" | "python", spec: FunctionSpec, taskRoot: string, env: Record<string, string>): Launch {
  if (family === "python") return { command: "python3", args: (nonce) => ["-u", bootstrapPath("python-bootstrap.py"), nonce], cwd: taskRoot, env };
  // Lambda caps the V8 heap below the function's memory, so a function that uses too much fails as it would there.
  const heap = Math.max(32, Math.floor(spec.memorySize * 0.9));
  return { command: process.execPath, args: (nonce) => [`--max-old-space-size=${heap}`, bootstrapPath("node-bootstrap.mjs"), nonce, localtrailRoot], cwd: taskRoot, env };
}

/** A runtime localtrail does not have: every invocation fails, with the reason in the error and the log. */
function unavailable(spec: FunctionSpec, message: string): Started {
  return {
    run: async ({ requestId }) => {
      const log = new InvocationLog(requestId, spec.version);
      log.append(`${message}\n`);
      const error = { errorType: "Runtime.Unavailable", errorMessage: message };
      return { ok: false, error, log: log.finish({ durationMs: 0, memorySize: spec.memorySize, maxMemoryUsedMb: 0, status: "error", errorType: error.errorType }) };
    },
  };
}

import type { InvocationRequest } from "../../src/generated/types/lambda.js";
import { AwsError } from "../../src/types/aws-error.js";
import { pickVersion } from "./aliases.js";
import { requestTooLarge } from "./errors.js";
import { executionCredentials, executionRole } from "./execution-role.js";
import { findFunction, functionArn, functionRef, LATEST, resolveQualifier } from "./names.js";
import type { Op } from "./op.js";
import { logTail } from "./runtime/invocation-log.js";
import { lambdaRuntime, type Started } from "./runtime/lambda-runtime.js";
import { timersOf } from "../../src/timers/emulated-timers.js";
import { checkServiceInvoke, policyOf } from "./service-invokers.js";
import { getOwn } from "./state.js";
import { shipInvocationLog } from "./runtime/log-shipping.js";
import type { EnvironmentLogs } from "./runtime/lambda-runtime.js";
import type { CallContext } from "../../src/types/service.js";

/** The log goes to CloudWatch Logs after the invocation; a failure there never fails the invocation. */
const shipLog = (ctx: CallContext, name: string, logs: EnvironmentLogs | undefined, log: string) =>
  shipInvocationLog(ctx, name, logs, log).catch((e: unknown) => console.error("localtrail: lambda log delivery:", e));

/** Asynchronous invocations are retried twice by default, one minute and then two minutes after a failure. */
const ASYNC_RETRIES = 2;
const ASYNC_RETRY_DELAYS_MS = [60_000, 120_000];

/** AWS's payload quotas: 6 MB each way for synchronous invocations, 1 MB for an event. */
const SYNC_PAYLOAD_LIMIT = 6_291_456;
const EVENT_PAYLOAD_LIMIT = 1_048_576;
/** The response quota as AWS's message states it. */
const RESPONSE_LIMIT = 6_291_556;

/** What the record of an Invoke needs and the input does not say: the version that ran. */
export interface InvocationFacts {
  functionArn: string;
  executedVersionArn: string;
}

/** Keyed by the call's input object, which the handler and the recorder share. */
export const invocationFacts = new WeakMap<InvocationRequest, InvocationFacts>();

/**
 * Runs the function (reference/protocols.md §2.5): RequestResponse answers 200 with the function's result
 * or its error document (X-Amz-Function-Error: Unhandled, still 200); Event answers 202 at once and runs it in
 * the background; DryRun only checks the call (204). LogType Tail returns the last 4 KB of the log.
 */
export const invoke: Op<"Invoke"> = async (input, ctx) => {
  const ref = functionRef(ctx, input.FunctionName, input.Qualifier, "lambda:InvokeFunction");
  const fn = findFunction(ctx, ref);
  const resolved = resolveQualifier(fn, ref);
  const version = resolved.alias ? pickVersion(resolved.alias) : resolved.config.version;
  const config = version === LATEST ? fn.latest : (getOwn(fn.versions, version) ?? resolved.config);
  const type = input.InvocationType ?? "RequestResponse";
  const payload = eventPayload(input.Payload, type);
  const context = clientContext(input.ClientContext);
  invocationFacts.set(input, { functionArn: ref.arn, executedVersionArn: functionArn(ctx.region, ctx.accountId, fn.name, version) });
  // An AWS service may invoke only through the function's resource policy; its DryRun checks just that.
  if (ctx.caller.type === "AWSService" && !ctx.authorized) checkServiceInvoke(ctx, policyOf(fn, ref.qualifier), ref.qualifier ? `${ref.arn}:${ref.qualifier}` : ref.arn);
  if (type === "DryRun") return { StatusCode: 204 };

  const role = executionRole(ctx, config.role);
  const spec = {
    functionArn: ref.arn,
    name: fn.name,
    version,
    runtime: config.runtime ?? "",
    handler: config.handler ?? "",
    timeout: config.timeout,
    memorySize: config.memorySize,
    environment: config.environment ?? {},
    codeBlobId: config.code.blobId,
    region: ctx.region,
    role: config.role,
    lastModified: config.lastModified,
  };
  const credentials = () => executionCredentials(ctx, role, fn.name);
  const started = await lambdaRuntime(ctx.env).start(spec, credentials);
  const request = {
    requestId: ctx.requestId,
    payload,
    invokedFunctionArn: ref.qualifier ? `${ref.arn}:${ref.qualifier}` : ref.arn,
    clientContext: context,
  };
  if (type === "Event") {
    // The caller has its 202; the function runs on, and a failure is tried twice more, a minute and then
    // two minutes later (Lambda Developer Guide, "Error handling and automatic retries in Lambda").
    const runtime = lambdaRuntime(ctx.env);
    const attempt = (n: number, environment: Promise<Started>) => {
      void environment
        .then(async (s) => {
          const outcome = await s.run(request);
          void shipLog(ctx, fn.name, s.logs, outcome.log);
          return outcome;
        })
        .then((outcome) => {
          if (outcome.ok || n >= ASYNC_RETRIES) return;
          timersOf(ctx.env.clock).after(ASYNC_RETRY_DELAYS_MS[n]!, () => attempt(n + 1, runtime.start(spec, credentials)));
        })
        .catch((e: unknown) => console.error(`localtrail: lambda: asynchronous invocation of ${fn.name}:`, e));
    };
    attempt(0, Promise.resolve(started));
    return { StatusCode: 202 };
  }
  const outcome = await started.run(request);
  await shipLog(ctx, fn.name, started.logs, outcome.log);
  let body = outcome.ok ? outcome.payload : JSON.stringify(outcome.error);
  let failed = !outcome.ok;
  if (Buffer.byteLength(body) > RESPONSE_LIMIT) {
    body = JSON.stringify({ errorMessage: `Response payload size exceeded maximum allowed payload size (${RESPONSE_LIMIT} bytes).`, errorType: "Function.ResponseSizeTooLarge" });
    failed = true;
  }
  return {
    StatusCode: 200,
    ExecutedVersion: version,
    FunctionError: failed ? "Unhandled" : undefined,
    LogResult: input.LogType === "Tail" ? logTail(outcome.log) : undefined,
    Payload: Buffer.from(body, "utf8"),
  };
};

/** The event as JSON text; AWS refuses a payload that is not JSON, and an empty one is `{}`. */
function eventPayload(payload: Uint8Array | undefined, type: string): string {
  const bytes = payload ?? new Uint8Array();
  if (type === "Event" && bytes.length > EVENT_PAYLOAD_LIMIT) {
    throw new AwsError("RequestEntityTooLargeException", `${bytes.length} byte payload is too large for the Event invocation type (limit ${EVENT_PAYLOAD_LIMIT} bytes)`, { status: 413 });
  }
  if (bytes.length > SYNC_PAYLOAD_LIMIT) throw requestTooLarge(SYNC_PAYLOAD_LIMIT, "InvokeFunction");
  const text = Buffer.from(bytes).toString("utf8");
  if (text.trim() === "") return "{}";
  try {
    JSON.parse(text);
  } catch (e) {
    throw new AwsError("InvalidRequestContentException", `Could not parse request body into json: Could not parse payload into json: ${(e as Error).message}`);
  }
  return text;
}

/** X-Amz-Client-Context: base64 of a JSON object, handed to the function as context.clientContext. */
function clientContext(header: string | undefined): unknown {
  if (!header) return undefined;
  try {
    return JSON.parse(Buffer.from(header, "base64").toString("utf8"));
  } catch {
    throw new AwsError("InvalidRequestContentException", "Client context must be a valid Base64-encoded JSON object.");
  }
}

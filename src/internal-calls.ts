import type { AwsError } from "./types/aws-error.js";
import type { Call, InternalIdentity } from "./types/request-context.js";
import type { Ids, RegisteredService } from "./types/service.js";
import type { Step } from "./types/step.js";
import { runSteps } from "./pipeline.js";

/**
 * A call made inside the emulator: by the console for its signed-in principal, or by an AWS service acting on
 * its own (Lambda assuming an execution role, CloudTrail writing a log file, EventBridge invoking a target).
 * It takes the one path every HTTP call takes (src/pipeline.ts) from authentication on, so it is resolved,
 * recorded, delivered and (when enforcement is on) evaluated exactly like a call from the CLI.
 */
export interface InternalCallRequest {
  /** The service's descriptor name (`sts`, `s3`, `lambda`, ...). */
  service: string;
  operation: string;
  /** The operation's input as its handler takes it (checked against the model like decoded input). */
  input: unknown;
  region: string;
  /** Who acts: credentials of a principal (an access key the emulator issued), or a service principal. */
  as: InternalIdentity;
  /** The record's sourceIPAddress; a service acting on its own is its own principal (`lambda.amazonaws.com`). */
  sourceIp?: string;
  /** The record's userAgent; likewise the service principal by default. */
  userAgent?: string;
  /** Request headers the service's records echo beside the input (S3's x-amz-acl, x-amz-server-side-encryption). */
  headers?: Record<string, string>;
}

export interface InternalCallOutcome<O = unknown> {
  output?: O;
  error?: AwsError;
  requestId: string;
}

/** Makes calls inside the emulator; handed to every service as `env.invoke` and to the console. */
export type InvokeInternal = <O = unknown>(request: InternalCallRequest) => Promise<InternalCallOutcome<O>>;

/** Builds `env.invoke` over the pipeline's steps and the registered services. */
export function internalCalls(steps: () => Step[], services: Map<string, RegisteredService>, ids: Ids, now: () => Date): InvokeInternal {
  return async <O>(request: InternalCallRequest): Promise<InternalCallOutcome<O>> => {
    const service = services.get(request.service);
    if (!service) throw new Error(`internal call to a service that is not emulated: ${request.service}`);
    const model = service.model();
    const operation = model.operations[request.operation];
    if (!operation || !service.operation(request.operation)) throw new Error(`internal call to an operation that is not emulated: ${request.service}:${request.operation}`);
    const actor = "service" in request.as ? request.as.service : undefined;
    const headers = Object.assign(Object.create(null) as Record<string, string>, request.headers);
    const userAgent = request.userAgent ?? actor;
    if (userAgent !== undefined) headers["user-agent"] = userAgent;
    const call: Call = {
      requestId: service.definition.requestId?.(ids) ?? ids.uuid(),
      internal: request.as,
      receivedAt: now(),
      raw: { method: "POST", target: "/", path: "/", query: "", headers, sourceIp: request.sourceIp ?? actor ?? "127.0.0.1" },
      body: Buffer.alloc(0),
      service,
      model,
      codec: service.codec(),
      operation,
      region: request.region,
      input: request.input,
      touchedState: new Set(),
    };
    await runSteps(steps(), call);
    return { output: call.output as O | undefined, error: call.error, requestId: call.requestId };
  };
}

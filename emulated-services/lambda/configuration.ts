import { createHash } from "node:crypto";
import type { FunctionConfiguration } from "../../src/generated/types/lambda.js";
import type { CallContext } from "../../src/types/service.js";
import { functionArn } from "./names.js";
import type { StoredFunction, StoredVersion } from "./state.js";

/** LastModified as Lambda writes it: ISO 8601 with milliseconds and a `+0000` offset (2026-11-24T13:19:06.000+0000). */
export const lambdaTime = (iso: string) => iso.replace(/Z$/, "+0000");

/**
 * What the function reports right after a change. Creating and updating are asynchronous in AWS: the answer
 * says Pending (create) or InProgress (update), a later Get says Active/Successful. localtrail's functions are
 * ready at once, so only the answer to the change itself carries the transitional state.
 */
export type Moment = "created" | "updated" | "settled";

/**
 * A version's FunctionConfiguration as AWS returns it. `qualifier` is the one the client named (the ARN then
 * carries it); ListFunctions and unqualified reads give the unqualified ARN.
 */
export function functionConfiguration(ctx: CallContext, fn: StoredFunction, config: StoredVersion, qualifier?: string, moment: Moment = "settled"): FunctionConfiguration {
  return {
    FunctionName: fn.name,
    FunctionArn: functionArn(ctx.region, ctx.accountId, fn.name, qualifier),
    Runtime: config.runtime,
    Role: config.role,
    Handler: config.handler,
    CodeSize: config.code.size,
    Description: config.description,
    Timeout: config.timeout,
    MemorySize: config.memorySize,
    LastModified: lambdaTime(config.lastModified),
    CodeSha256: config.code.sha256,
    Version: config.version,
    VpcConfig: config.vpc && { SubnetIds: config.vpc.subnetIds, SecurityGroupIds: config.vpc.securityGroupIds, VpcId: "", Ipv6AllowedForDualStack: false },
    DeadLetterConfig: config.deadLetterTarget ? { TargetArn: config.deadLetterTarget } : undefined,
    Environment: config.environment ? { Variables: { ...config.environment } } : undefined,
    KMSKeyArn: config.kmsKeyArn,
    TracingConfig: { Mode: config.tracingMode },
    RevisionId: config.revisionId,
    ...STATES[moment],
    PackageType: "Zip",
    Architectures: [...config.architectures],
    EphemeralStorage: { Size: config.ephemeralStorage },
    SnapStart: { ApplyOn: "None", OptimizationStatus: "Off" },
    RuntimeVersionConfig: config.runtime ? { RuntimeVersionArn: runtimeVersionArn(ctx.region, config.runtime) } : undefined,
    LoggingConfig: { LogFormat: "Text", LogGroup: `/aws/lambda/${fn.name}`, ...config.logging },
  };
}

const STATES: Record<Moment, Partial<FunctionConfiguration>> = {
  created: { State: "Pending", StateReason: "The function is being created.", StateReasonCode: "Creating" },
  updated: { State: "Active", LastUpdateStatus: "InProgress" },
  settled: { State: "Active", LastUpdateStatus: "Successful" },
};

/** Each runtime has a version ARN ending in a digest; one fixed per runtime name stands in for AWS's. */
function runtimeVersionArn(region: string, runtime: string): string {
  return `arn:aws:lambda:${region}::runtime:${createHash("sha256").update(runtime).digest("hex")}`;
}

import type { CreateFunctionRequest, UpdateFunctionConfigurationRequest } from "../../src/generated/types/lambda.js";
import type { CallContext } from "../../src/types/service.js";
import { AwsError } from "../../src/types/aws-error.js";
import { findRoleByArn } from "../iam/directory.js";
import { trustPolicyAllows } from "../sts/trust-policy.js";
import { accessDenied, invalidParameter } from "./errors.js";
import { RESERVED_VARIABLES } from "./runtime/function-environment.js";
import { blockedRuntimeReplacement } from "./runtime/runtimes.js";
import type { StoredVersion } from "./state.js";

/** The settings CreateFunction and UpdateFunctionConfiguration share; each is checked as AWS checks it. */
type Settings = Partial<Pick<CreateFunctionRequest & UpdateFunctionConfigurationRequest, "Role" | "Runtime" | "Handler" | "Description" | "Timeout" | "MemorySize" | "Environment" | "TracingConfig" | "DeadLetterConfig" | "KMSKeyArn" | "VpcConfig" | "EphemeralStorage" | "LoggingConfig" | "Layers">>;

/** The execution role must exist and trust lambda.amazonaws.com, or Lambda could not assume it. */
export function checkRole(ctx: CallContext, roleArn: string): void {
  const account = roleArn.split(":")[4];
  if (account !== ctx.accountId) throw accessDenied("Cross-account pass role is not allowed.");
  const role = findRoleByArn(ctx.state, roleArn);
  if (!role || !trustPolicyAllows(role.assumeRolePolicyDocument, role.arn, { service: "lambda.amazonaws.com", accountId: ctx.accountId }, ctx)) {
    throw invalidParameter("The role defined for the function cannot be assumed by Lambda.");
  }
}

export function checkRuntime(runtime: string): void {
  const replacement = blockedRuntimeReplacement(runtime);
  if (replacement) {
    throw invalidParameter(
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime (${replacement}) while creating or updating functions.`,
    );
  }
}

/** Lambda owns some variable names, and all variables together may not exceed 4 KB. */
export function checkEnvironment(variables: Record<string, string> | undefined): void {
  if (!variables) return;
  const reserved = Object.keys(variables).filter((k) => RESERVED_VARIABLES.includes(k));
  if (reserved.length > 0) {
    throw invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(", ")}`,
    );
  }
  const measured = JSON.stringify(variables);
  if (Buffer.byteLength(measured) > 4096) {
    throw invalidParameter(`Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`);
  }
}

/** localtrail has no layers: any layer a function names does not exist. */
export function checkLayers(layers: string[] | undefined): void {
  if (layers && layers.length > 0) throw invalidParameter(`Layer version ${layers[0]} does not exist.`);
}

/** Lambda's own limits, tighter than the published model's (900 s, 10,240 MB), answered as a validation error. */
function checkLimits(settings: Settings): void {
  const over = (value: number | undefined, max: number, member: string) => {
    if (value !== undefined && value > max) {
      throw new AwsError("ValidationException", `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
    }
  };
  over(settings.Timeout, 900, "timeout");
  over(settings.MemorySize, 10240, "memorySize");
}

/** Checks every setting present and applies it to a version's configuration. */
export function applySettings(ctx: CallContext, config: StoredVersion, settings: Settings): void {
  checkLimits(settings);
  if (settings.Runtime !== undefined) checkRuntime(settings.Runtime);
  if (settings.Role !== undefined) checkRole(ctx, settings.Role);
  checkEnvironment(settings.Environment?.Variables);
  checkLayers(settings.Layers);
  if (settings.Role !== undefined) config.role = settings.Role;
  if (settings.Runtime !== undefined) config.runtime = settings.Runtime;
  if (settings.Handler !== undefined) config.handler = settings.Handler;
  if (settings.Description !== undefined) config.description = settings.Description;
  if (settings.Timeout !== undefined) config.timeout = settings.Timeout;
  if (settings.MemorySize !== undefined) config.memorySize = settings.MemorySize;
  if (settings.EphemeralStorage !== undefined) config.ephemeralStorage = settings.EphemeralStorage.Size;
  if (settings.Environment !== undefined) {
    const variables = settings.Environment.Variables ?? {};
    config.environment = Object.keys(variables).length > 0 ? { ...variables } : undefined;
  }
  if (settings.TracingConfig?.Mode !== undefined) config.tracingMode = settings.TracingConfig.Mode;
  if (settings.DeadLetterConfig !== undefined) config.deadLetterTarget = settings.DeadLetterConfig.TargetArn || undefined;
  if (settings.KMSKeyArn !== undefined) config.kmsKeyArn = settings.KMSKeyArn || undefined;
  if (settings.VpcConfig !== undefined) {
    const { SubnetIds = [], SecurityGroupIds = [] } = settings.VpcConfig;
    config.vpc = SubnetIds.length || SecurityGroupIds.length ? { subnetIds: SubnetIds, securityGroupIds: SecurityGroupIds } : undefined;
  }
  if (settings.LoggingConfig !== undefined) config.logging = { ...config.logging, ...settings.LoggingConfig };
}

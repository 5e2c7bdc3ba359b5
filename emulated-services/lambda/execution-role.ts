import type { CallContext } from "../../src/types/service.js";
import type { AssumeRoleRequest, AssumeRoleResponse } from "../../src/generated/types/sts.js";
import { findRoleByArn, type RoleInfo } from "../iam/directory.js";
import { trustPolicyAllows } from "../sts/trust-policy.js";
import { invalidParameter } from "./errors.js";
import type { TemporaryCredentials } from "./runtime/function-environment.js";

const LAMBDA = "lambda.amazonaws.com";
const cannotAssume = () => invalidParameter("The role defined for the function cannot be assumed by Lambda.");

/** The execution role, still there and still trusting Lambda, at the time of an invocation. */
export function executionRole(ctx: CallContext, roleArn: string): RoleInfo {
  const role = findRoleByArn(ctx.state, roleArn);
  if (!role || !trustPolicyAllows(role.assumeRolePolicyDocument, role.arn, { service: LAMBDA, accountId: ctx.accountId }, ctx)) throw cannotAssume();
  return role;
}

/**
 * Temporary credentials of the execution role for a new execution environment. Lambda gets them as AWS's does:
 * an STS AssumeRole call of its own in the function's region (recorded with userIdentity AWSService, invokedBy
 * lambda.amazonaws.com), whose session name is the function's name, so the function's calls are the AssumedRole
 * caller `arn:aws:sts::<account>:assumed-role/<role>/<function>`.
 */
export async function executionCredentials(ctx: CallContext, role: RoleInfo, functionName: string): Promise<TemporaryCredentials> {
  const input: AssumeRoleRequest = { RoleArn: role.arn, RoleSessionName: functionName };
  const outcome = await ctx.env.invoke<AssumeRoleResponse>({ service: "sts", operation: "AssumeRole", input, region: ctx.region, as: { service: LAMBDA, accountId: ctx.accountId } });
  const credentials = outcome.output?.Credentials;
  if (!credentials) throw cannotAssume();
  return { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken };
}

import type { CallContext } from "../../src/types/service.js";
import { findRoleByArn, markRoleUsed, type RoleInfo } from "../iam/directory.js";
import { issueRoleSession } from "../sts/sessions.js";
import { trustPolicyAllows } from "../sts/trust-policy.js";
import { invalidParameter } from "./errors.js";
import type { TemporaryCredentials } from "./runtime/function-environment.js";

/** Lambda's sessions last as long as an execution environment may (localtrail recycles them within 2 hours). */
const SESSION_SECONDS = 12 * 3600;

/** The execution role, still there and still trusting Lambda, at the time of an invocation. */
export function executionRole(ctx: CallContext, roleArn: string): RoleInfo {
  const role = findRoleByArn(ctx.state, roleArn);
  if (!role || !trustPolicyAllows(role.assumeRolePolicyDocument, role.arn, { service: "lambda.amazonaws.com", accountId: ctx.accountId }, ctx)) {
    throw invalidParameter("The role defined for the function cannot be assumed by Lambda.");
  }
  return role;
}

/**
 * Temporary credentials of the execution role for a new execution environment, issued by STS as AWS does:
 * the function's calls are then an AssumedRole caller whose session name is the function's name
 * (`arn:aws:sts::<account>:assumed-role/<role>/<function>`).
 */
export function executionCredentials(ctx: CallContext, role: RoleInfo, functionName: string): TemporaryCredentials {
  const session = issueRoleSession(ctx.state, ctx.env.ids, role, functionName, ctx.now, SESSION_SECONDS);
  markRoleUsed(ctx.state, role.arn, ctx.region, ctx.now);
  return { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken };
}

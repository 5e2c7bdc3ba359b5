import type { CallContext } from "../../src/types/service.js";
import { resourcePolicyAllows, type PolicySubject } from "../../src/enforcement/resource-policy-check.js";

/**
 * Whether a role's trust policy lets the subject assume it, by the engine's one policy evaluator (conditions
 * included): a statement allowing `sts:AssumeRole` to the caller (its ARN, its role, its account or `*`) or to
 * the service, and none denying it. With enforcement on, the enforcement step also asks the caller's own
 * policies where the trust policy names only the account.
 */
export function trustPolicyAllows(
  document: string,
  roleArn: string,
  subject: PolicySubject,
  ctx: CallContext,
  serviceKeys: Record<string, string | string[] | undefined> = {},
  action = "sts:AssumeRole",
  /** Session tags asked for: aws:RequestTag/<key> and aws:TagKeys. */
  requestTags?: Record<string, string>,
): boolean {
  const keys: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(serviceKeys)) if (v !== undefined) keys[k] = ([] as string[]).concat(v);
  return resourcePolicyAllows({
    document,
    subject,
    action,
    resource: roleArn,
    facts: { time: ctx.now, sourceIp: ctx.request.sourceIp, userAgent: ctx.request.headers["user-agent"], region: "us-east-1", secureTransport: false, requestTags: requestTags && new Map(Object.entries(requestTags)) },
    serviceKeys: keys,
  });
}

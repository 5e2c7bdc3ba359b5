import type { Caller } from "../types/caller.js";
import { callerArn } from "../types/caller.js";
import { CallContext, type CallFacts } from "./call-context.js";
import { compilePolicy } from "./policy/compile-policy.js";
import type { PolicyPrincipal } from "./policy/principals.js";
import { resourceStatementMatch } from "./policy/statement-match.js";

/** Who a resource-based policy is asked about: a caller, or an AWS service acting on its own. */
export type PolicySubject = { caller: Caller } | { service: string; accountId: string; sourceArn?: string };

export interface ResourcePolicyQuestion {
  document: string;
  subject: PolicySubject;
  action: string;
  resource: string;
  /** The request's facts for condition keys (time, source address, ...). */
  facts: Omit<CallFacts, "caller">;
  /** Service condition keys (`sts:ExternalId`, `sts:RoleSessionName`). */
  serviceKeys?: Record<string, string[]>;
}

/**
 * Whether a resource-based policy on its own lets the subject act: a statement allows it (Principal naming
 * the caller, its role, its account or everyone, conditions included) and none denies it. STS asks this of a
 * role's trust policy on every AssumeRole, and Lambda of an execution role's, enforcement on or off: it is
 * the one evaluator, with enforcement adding the identity side when it is on.
 */
export function resourcePolicyAllows(q: ResourcePolicyQuestion): boolean {
  const policy = compilePolicy(q.document);
  const who: PolicyPrincipal =
    "service" in q.subject
      ? { arn: q.subject.service, accountId: q.subject.accountId, service: q.subject.service }
      : {
          arn: callerArn(q.subject.caller),
          accountId: q.subject.caller.accountId,
          roleArn: q.subject.caller.type === "AssumedRole" ? q.subject.caller.roleArn : undefined,
          service: q.subject.caller.type === "AWSService" ? q.subject.caller.invokedBy : undefined,
          federated: q.subject.caller.type === "WebIdentityUser" ? (q.subject.caller.identity?.provider ?? "") : undefined,
        };
  const caller: Caller = "service" in q.subject ? { type: "AWSService", invokedBy: q.subject.service, accountId: q.subject.accountId, accessKeyId: "", sourceArn: q.subject.sourceArn } : q.subject.caller;
  const context = new CallContext({ ...q.facts, caller }, q.serviceKeys ?? {}, {});
  let allowed = false;
  for (const statement of policy.statements) {
    if (resourceStatementMatch(statement, policy, { action: q.action, resource: q.resource, context }, who) === undefined) continue;
    if (statement.effect === "Deny") return false;
    allowed = true;
  }
  return allowed;
}

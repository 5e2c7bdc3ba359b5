import { resourcePolicyAllows } from "../../src/enforcement/resource-policy-check.js";
import type { CallContext } from "../../src/types/service.js";
import { accessDenied } from "./errors.js";
import { LATEST } from "./names.js";
import { getOwn, type PolicyStatement, type StoredFunction } from "./state.js";

/** The statements of the resource policy that governs the qualifier invoked. */
export function policyOf(fn: StoredFunction, qualifier: string | undefined): PolicyStatement[] {
  if (qualifier === undefined || qualifier === LATEST) return fn.latest.policy;
  return (/^\d+$/.test(qualifier) ? getOwn(fn.versions, qualifier)?.policy : getOwn(fn.aliases, qualifier)?.policy) ?? [];
}

/**
 * An AWS service (EventBridge, S3, CloudWatch Logs) invokes a function only when the function's resource
 * policy allows it, as AddPermission grants it, its SourceArn and SourceAccount conditions included
 * (Lambda Developer Guide, "Granting function access to AWS services"). Without --enforce-iam this is the
 * one check on such a call; with it, enforcement has already decided.
 */
export function checkServiceInvoke(ctx: CallContext, policy: PolicyStatement[], resource: string): void {
  const caller = ctx.caller;
  if (caller.type !== "AWSService") return;
  const allowed =
    policy.length > 0 &&
    resourcePolicyAllows({
      document: JSON.stringify({ Version: "2012-10-17", Statement: policy }),
      subject: { service: caller.invokedBy, accountId: caller.accountId, sourceArn: caller.sourceArn },
      action: "lambda:InvokeFunction",
      resource,
      facts: { time: ctx.now, sourceIp: caller.invokedBy, region: ctx.region, secureTransport: true },
    });
  if (!allowed) throw accessDenied(`User: ${caller.invokedBy} is not authorized to perform: lambda:InvokeFunction on resource: ${resource} because no resource-based policy allows the lambda:InvokeFunction action`);
}

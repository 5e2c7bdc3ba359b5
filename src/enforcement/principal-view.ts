import { callerArn, type Caller } from "../types/caller.js";
import type { AuthorizationSource, PolicyDocument } from "../types/authorization.js";
import type { EvaluationInput, PolicyRef } from "./evaluate.js";
import { compilePolicy } from "./policy/compile-policy.js";

/** A caller with everything evaluation needs of it: who it is to resource policies, and its policies. */
export interface PrincipalView {
  principal: EvaluationInput["principal"];
  identity: PolicyRef[];
  boundary?: PolicyRef;
  session?: PolicyRef[];
  tags?: Record<string, string>;
}

/** Who a caller is to resource-based policies. */
export function principalOf(caller: Caller): EvaluationInput["principal"] {
  return caller.type === "AWSService"
    ? { type: "AWSService", arn: caller.invokedBy, accountId: caller.accountId, service: caller.invokedBy }
    : {
        type: caller.type,
        arn: callerArn(caller),
        accountId: caller.accountId,
        roleArn: caller.type === "AssumedRole" ? caller.roleArn : undefined,
        federated: caller.type === "WebIdentityUser" ? caller.identity?.provider : undefined,
      };
}

export const policyRef = (doc: PolicyDocument): PolicyRef => ({ policy: compilePolicy(doc.document), name: doc.name, arn: doc.arn, source: doc.source });

/**
 * Builds principal views from IAM's knowledge and keeps them per credential until IAM's state changes
 * (`invalidate`), so a call costs no policy lookups and no parsing when nothing changed.
 */
export class PrincipalViews {
  private readonly cache = new Map<string, PrincipalView>();

  constructor(private readonly iam: () => AuthorizationSource | undefined) {}

  invalidate(): void {
    this.cache.clear();
  }

  of(caller: Caller): PrincipalView {
    const key = caller.type === "AWSService" ? `service:${caller.invokedBy}:${caller.accountId}` : `${caller.accessKeyId}\u0000${callerArn(caller)}`;
    let view = this.cache.get(key);
    if (!view) {
      view = this.build(caller);
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(key, view);
    }
    return view;
  }

  private build(caller: Caller): PrincipalView {
    const principal = principalOf(caller);
    // A web identity has no identity-based policies: the role's trust policy alone admits it.
    if (caller.type === "AWSService" || caller.type === "Root" || caller.type === "WebIdentityUser") return { principal, identity: [] };
    const iam = this.iam();
    const policies = iam?.principalPolicies?.(caller);
    const view: PrincipalView = {
      principal,
      identity: (policies?.identity ?? []).map(policyRef),
      boundary: policies?.boundary && policyRef(policies.boundary),
      // A session tag overrides the role's tag of the same key (IAM User Guide, "Passing session tags in AWS STS").
      tags: caller.type === "AssumedRole" && caller.session.tags ? { ...policies?.tags, ...caller.session.tags } : policies?.tags,
    };
    const session = caller.type === "AssumedRole" ? caller.session : undefined;
    if (session && (session.policy !== undefined || (session.policyArns?.length ?? 0) > 0)) {
      const refs: PolicyRef[] = [];
      if (session.policy !== undefined) refs.push(policyRef({ document: session.policy, name: "the session policy" }));
      for (const arn of session.policyArns ?? []) {
        const doc = iam?.managedPolicy?.(arn);
        // A managed session policy deleted since is no grant at all.
        refs.push(doc ? policyRef(doc) : policyRef({ document: "{}", name: arn, arn }));
      }
      view.session = refs;
    }
    return view;
  }
}

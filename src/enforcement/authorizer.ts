import type { Call } from "../types/request-context.js";
import { recordedRegion, type RegisteredService } from "../types/service.js";
import type { AuthorizationSource, ResourceFacts } from "../types/authorization.js";
import type { StateView } from "../state/store.js";
import { actionRequests } from "./operation-actions.js";
import { CallContext, type CallFacts } from "./call-context.js";
import { evaluate, type Decision } from "./evaluate.js";
import { policyRef, principalOf, PrincipalViews } from "./principal-view.js";
import { requestTags } from "./request-tags.js";

/** What enforcement concluded about one call. */
export interface Authorization {
  allowed: boolean;
  /** Every action and resource evaluated, with its decision (the last one decided a denial). */
  checks: { action: string; resource: string; decision: Decision }[];
}

/**
 * Decides calls: the operation's actions and resources from the service's authorization table, the caller's
 * policies from IAM, each resource's policy and tags from the service that owns it, then AWS's evaluation
 * logic for every (action, resource) pair; the first denial decides. It knows no service by name.
 */
export class Authorizer {
  private readonly sources = new Map<string, AuthorizationSource>();
  readonly principals: PrincipalViews;

  constructor(services: Iterable<RegisteredService>, private readonly state: StateView) {
    for (const service of services) {
      const auth = service.definition.authorization;
      if (auth?.source) this.sources.set(auth.prefix, auth.source(state));
    }
    this.principals = new PrincipalViews(() => [...this.sources.values()].find((s) => s.principalPolicies));
  }

  /** Services whose changes alter who may do what (IAM): their writes drop the cached principal views. */
  holdsPrincipals(service: RegisteredService): boolean {
    return this.sources.get(service.definition.authorization?.prefix ?? "")?.principalPolicies !== undefined;
  }

  authorize(call: Call): Authorization {
    return this.decide(call, false);
  }

  /**
   * Without --enforce-iam: AWS evaluates a resource-based policy whenever a caller reaches into another
   * account (a bucket policy opening a central log bucket to member accounts), whatever IAM grants at home.
   * Only the other accounts' resources are checked, with the caller's own identity policies taken as
   * allowing; undefined when the call touches no other account's resource.
   */
  authorizeCrossAccount(call: Call): Authorization | undefined {
    const result = this.decide(call, true);
    return result.checks.length === 0 ? undefined : result;
  }

  private decide(call: Call, crossAccountOnly: boolean): Authorization {
    const auth = call.service!.definition.authorization;
    const caller = call.caller!;
    if (!auth || (crossAccountOnly && !auth.source)) return { allowed: true, checks: [] };
    const input = (call.input ?? {}) as Record<string, unknown>;
    const ctx = { caller, accountId: caller.accountId, region: call.region, state: this.state };
    const requests = actionRequests(auth, call.operation!.name, input, ctx);
    if (requests.length === 0) return { allowed: true, checks: [] };
    const view = crossAccountOnly ? { principal: principalOf(caller), identity: [UNENFORCED] } : this.principals.of(caller);
    const facts: CallFacts = {
      caller,
      principalTags: view.tags,
      time: call.receivedAt,
      sourceIp: call.raw.sourceIp,
      userAgent: call.raw.headers["user-agent"],
      referer: call.raw.headers.referer,
      region: recordedRegion(call.service!.definition, call.region, call.raw),
      secureTransport: false,
      requestTags: auth.requestTags && requestTags(auth.requestTags, input),
    };
    const checks: Authorization["checks"] = [];
    for (const request of requests) {
      for (const resource of request.resources) {
        const resourceFacts = this.resourceFacts(resource, request.action);
        const resourceAccount = accountOf(resource) ?? resourceFacts?.accountId;
        if (crossAccountOnly && (resourceAccount === undefined || resourceAccount === caller.accountId)) continue;
        const decision = evaluate({
          ...view,
          action: request.action,
          resource,
          resourceAccount,
          resourcePolicy: resourceFacts?.policyKind && { kind: resourceFacts.policyKind, ref: resourceFacts.policy && policyRef(resourceFacts.policy) },
          context: new CallContext(facts, request.conditionKeys, { account: resourceAccount, tags: resourceFacts?.tags }),
        });
        checks.push({ action: request.action, resource, decision });
        if (!decision.allowed) return { allowed: false, checks };
      }
    }
    return { allowed: true, checks };
  }

  /** The resource's owner, policy and tags, from the service its ARN names. */
  resourceFacts(arn: string, action: string): ResourceFacts | undefined {
    if (arn === "*" || arn.includes("*")) return undefined;
    return this.sources.get(arn.split(":")[2] ?? "")?.resource?.(arn, action);
  }
}

/** The caller's own account's policies when they are not enforced: everything is allowed at home. */
const UNENFORCED = policyRef({ document: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }), name: "the caller's own account (IAM not enforced)" });

/** The account an ARN names, when it names one (S3 ARNs and AWS's own images do not). */
function accountOf(arn: string): string | undefined {
  const account = arn.split(":")[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

import type { CompiledPolicy, CompiledStatement } from "./policy/compile-policy.js";
import type { PolicyPrincipal, PrincipalMatch } from "./policy/principals.js";
import type { RequestContext } from "./policy/request-context.js";
import { identityStatementMatches, resourceStatementMatch, type StatementRequest } from "./policy/statement-match.js";

/** A policy as evaluation sees it: compiled, with the names a denial message or an explanation gives it. */
export interface PolicyRef {
  policy: CompiledPolicy;
  /** How --debug and the simulator name it (`inline policy AllowS3 of user John`, a managed policy's ARN). */
  name: string;
  /** Managed policies: named at the end of an explicit-deny message. */
  arn?: string;
  /** The simulator's SourcePolicyId and SourcePolicyType. */
  source?: { id: string; type: string };
}

/** The kinds of resource-based policy localtrail evaluates. */
export type ResourcePolicyKind = "bucket" | "key" | "function" | "trust";

export interface EvaluationInput {
  principal: PolicyPrincipal & { type: "Root" | "IAMUser" | "AssumedRole" | "AWSService" | "WebIdentityUser" };
  /** Identity-based policies: the user's inline and managed ones and its groups', or the role's. */
  identity: PolicyRef[];
  boundary?: PolicyRef;
  /** A role session's session policies (AssumeRole `Policy` and `PolicyArns`); undefined when it has none. */
  session?: PolicyRef[];
  action: string;
  resource: string;
  /** The account owning the resource, when known (S3 bucket ARNs carry none). */
  resourceAccount?: string;
  /** The resource's kind of resource-based policy, and the policy when it has one. */
  resourcePolicy?: { kind: ResourcePolicyKind; ref?: PolicyRef };
  context: RequestContext;
}

/** The policy type a denial names ("because no identity-based policy allows", "with an explicit deny in a ..."). */
export type DenialLayer = "identity" | "resource" | "boundary" | "session" | "trust" | "root";

export interface StatementHit {
  ref: PolicyRef;
  statement: CompiledStatement;
  layer: Exclude<DenialLayer, "root">;
}

export interface Decision {
  allowed: boolean;
  /** Denied by a Deny statement (the message says "with an explicit deny in ..."). */
  explicit: boolean;
  /** Denied: the layer the message names. */
  layer?: DenialLayer;
  /** The resource is another account's. */
  crossAccount: boolean;
  /** The statement that decided: the Deny that matched, or the Allow that granted. */
  hit?: StatementHit;
  /** How the decision was reached, for --debug. */
  reason: string;
}

interface LayerScan {
  deny?: StatementHit;
  allow?: StatementHit;
  /** Resource policies: how the allowing statement names the caller. */
  match?: PrincipalMatch;
}

// A resource policy naming the caller itself is the strongest grant, the account the weakest.
const STRENGTH: Record<PrincipalMatch, number> = { self: 4, service: 4, everyone: 3, role: 2, account: 1 };

function scanIdentity(refs: readonly PolicyRef[], layer: StatementHit["layer"], req: StatementRequest): LayerScan {
  const scan: LayerScan = {};
  for (const ref of refs) {
    for (const statement of ref.policy.statements) {
      if (statement.effect === "Allow" && scan.allow) continue;
      if (!identityStatementMatches(statement, ref.policy, req)) continue;
      if (statement.effect === "Deny") return { ...scan, deny: { ref, statement, layer } };
      scan.allow = { ref, statement, layer };
    }
  }
  return scan;
}

function scanResource(ref: PolicyRef | undefined, layer: StatementHit["layer"], req: StatementRequest, who: EvaluationInput["principal"]): LayerScan {
  const scan: LayerScan = {};
  if (!ref) return scan;
  for (const statement of ref.policy.statements) {
    const match = resourceStatementMatch(statement, ref.policy, req, who);
    if (match === undefined) continue;
    if (statement.effect === "Deny") return { ...scan, deny: { ref, statement, layer } };
    if (!scan.match || STRENGTH[match] > STRENGTH[scan.match]) Object.assign(scan, { allow: { ref, statement, layer }, match });
  }
  return scan;
}

/**
 * AWS's policy evaluation logic for one action on one resource (IAM User Guide, "Policy evaluation logic";
 * reference/iam-enforcement.md §1): an explicit deny anywhere wins; then, within one account, a resource-based
 * policy naming the caller or an identity-based policy allows (limited by a permissions boundary and session
 * policies as §1.4 tells); across accounts both sides must allow. The root user is allowed in its own
 * account, except where a key policy or trust policy must name it. Role trust policies and KMS key policies
 * must themselves allow. An AWS service acting on its own is allowed by a resource-based policy naming it,
 * or, on resources that have no resource-based policy, by its service-linked permissions.
 */
export function evaluate(input: EvaluationInput): Decision {
  const req: StatementRequest = { action: input.action, resource: input.resource, context: input.context };
  const who = input.principal;
  const kind = input.resourcePolicy?.kind;
  const crossAccount = input.resourceAccount !== undefined && input.resourceAccount !== who.accountId;
  const isService = who.type === "AWSService";

  const resource = scanResource(input.resourcePolicy?.ref, kind === "trust" ? "trust" : "resource", req, who);
  const identity = isService ? {} : scanIdentity(input.identity, "identity", req);
  const boundary = input.boundary && scanIdentity([input.boundary], "boundary", req);
  const session = input.session && scanIdentity(input.session, "session", req);

  const deny = resource.deny ?? identity.deny ?? boundary?.deny ?? session?.deny;
  const denied = (layer: DenialLayer, reason: string, hit?: StatementHit, explicit = false): Decision => ({ allowed: false, explicit, layer, crossAccount, hit, reason });
  const allowed = (reason: string, hit?: StatementHit): Decision => ({ allowed: true, explicit: false, crossAccount, hit, reason });
  if (deny) return denied(deny.layer, `explicit deny in ${deny.ref.name}, statement ${describe(deny.statement)}`, deny, true);

  const boundaryOk = !boundary || boundary.allow !== undefined;
  const sessionOk = !session || session.allow !== undefined;
  const identityChain = (): Decision => {
    if (!identity.allow) return denied("identity", "no identity-based policy allows it");
    if (!boundaryOk) return denied("boundary", "the permissions boundary does not allow it");
    if (!sessionOk) return denied("session", "no session policy allows it");
    return allowed(`allowed by ${identity.allow.ref.name}, statement ${describe(identity.allow.statement)}`, identity.allow);
  };
  const byResource = () => `allowed by the ${kind === "trust" ? "role trust" : "resource-based"} policy, statement ${describe(resource.allow!.statement)}`;

  if (isService) {
    if (!kind) return allowed(`${who.service} acts with its service-linked permissions`);
    return resource.allow ? allowed(byResource(), resource.allow) : denied(kind === "trust" ? "trust" : "resource", `no ${kind} policy names ${who.service}`);
  }
  if (kind === "trust" && who.type === "Root") return denied("root", "roles may not be assumed by root accounts");

  if (crossAccount) {
    // The resource's account must allow through its resource-based policy (naming the caller or its account)...
    if (!resource.allow) return denied(kind === "trust" ? "trust" : "resource", "no resource-based policy of the other account allows it");
    // ...and the caller's own account through its identity-based policies (the root has every permission there).
    if (who.type === "Root") return allowed(byResource(), resource.allow);
    const own = identityChain();
    return own.allowed ? allowed(`${byResource()}, and ${own.reason}`, resource.allow) : own;
  }

  if (who.type === "Root") {
    if (kind === "key" && !resource.allow) return denied("resource", "the key policy does not allow the account");
    return allowed("the account's root user", resource.allow);
  }
  const match = resource.match;
  // Named directly (the user, the session, everyone), a resource-based policy grants on its own; naming the
  // role of a session, it is still limited by the boundary and session policies.
  if (match === "self" || match === "everyone") return allowed(byResource(), resource.allow);
  if (match === "role" && boundaryOk && sessionOk) return allowed(byResource(), resource.allow);
  // KMS key policies and role trust policies must allow: naming the account delegates to identity policies.
  if (kind === "key" && match !== "account") return denied("resource", "the key policy does not allow the caller or its account");
  if (kind === "trust" && match !== "account") return denied("trust", "the role trust policy does not name the caller or its account");
  return identityChain();
}

export const describe = (s: CompiledStatement) => (s.sid ? `${s.index} (Sid ${s.sid})` : String(s.index));

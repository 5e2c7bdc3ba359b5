import type { CompiledPolicy, CompiledStatement } from "./compile-policy.js";
import { conditionHolds } from "./conditions.js";
import { patternRegExp } from "./patterns.js";
import { matchPrincipal, notPrincipalApplies, type PolicyPrincipal, type PrincipalMatch } from "./principals.js";
import type { RequestContext } from "./request-context.js";

/** One action on one resource, as a statement is matched against it. */
export interface StatementRequest {
  action: string;
  /** The resource's ARN, or `*` for actions that have no resource type. */
  resource: string;
  context: RequestContext;
}

const MAX_VERDICTS = 1_000;

/** Whether a statement's Action/NotAction covers the action (case-insensitive, wildcards). */
export function actionMatches(s: CompiledStatement, action: string): boolean {
  let verdict = s.actionVerdicts.get(action);
  if (verdict === undefined) {
    const covers = (p: string) => p === "*" || patternRegExp(p, "action", undefined)!.test(action);
    verdict = s.actions ? s.actions.some(covers) : !s.notActions!.some(covers);
    if (s.actionVerdicts.size >= MAX_VERDICTS) s.actionVerdicts.clear();
    s.actionVerdicts.set(action, verdict);
  }
  return verdict;
}

/**
 * Whether Resource/NotResource covers the resource. A role trust policy has neither: it is about the role
 * it belongs to. An action with no resource type (`*`) is covered only by a pattern matching every ARN.
 */
export function resourceMatches(s: CompiledStatement, policy: CompiledPolicy, resource: string, context: RequestContext): boolean {
  const cached = s.resourceVerdicts.get(resource);
  if (cached !== undefined) return cached;
  const variables = policy.variables && [...(s.resources ?? []), ...(s.notResources ?? [])].some((p) => p.includes("${"));
  const verdict = resourceCovered(s, policy, resource, context);
  // A verdict that read policy variables holds only for this request's principal.
  if (!variables) {
    if (s.resourceVerdicts.size >= MAX_VERDICTS) s.resourceVerdicts.clear();
    s.resourceVerdicts.set(resource, verdict);
  }
  return verdict;
}

function resourceCovered(s: CompiledStatement, policy: CompiledPolicy, resource: string, context: RequestContext): boolean {
  const ctx = policy.variables ? context : undefined;
  const covers = (p: string) => {
    if (p === "*") return true;
    if (resource === "*") return /^(arn:\*|arn:aws:\*|arn:\*:\*)/.test(p) || /^arn:aws:[a-z0-9-]+:\*?:\*?:\*$/.test(p);
    return patternRegExp(p, "arn", ctx)?.test(resource) ?? false;
  };
  if (s.resources) return s.resources.some(covers);
  if (s.notResources) return !s.notResources.some(covers);
  return true;
}

/** An identity-based statement (no Principal element): action, resource and conditions. */
export function identityStatementMatches(s: CompiledStatement, policy: CompiledPolicy, req: StatementRequest): boolean {
  return s.usable && actionMatches(s, req.action) && resourceMatches(s, policy, req.resource, req.context) && conditionHolds(s.conditions, req.context, policy.variables);
}

/** A resource-based statement: also its Principal or NotPrincipal, telling how it names the caller. */
export function resourceStatementMatch(s: CompiledStatement, policy: CompiledPolicy, req: StatementRequest, who: PolicyPrincipal): PrincipalMatch | undefined {
  if (!s.usable) return undefined;
  let match: PrincipalMatch | undefined;
  if (s.principal) match = matchPrincipal(s.principal, who);
  else if (s.notPrincipal) match = notPrincipalApplies(s.notPrincipal, who) ? "everyone" : undefined;
  if (match === undefined) return undefined;
  return identityStatementMatches(s, policy, req) ? match : undefined;
}

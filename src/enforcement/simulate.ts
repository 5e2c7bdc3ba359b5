import type { PolicyDocument } from "../types/authorization.js";
import { evaluate, type EvaluationInput } from "./evaluate.js";
import { policyRef } from "./principal-view.js";
import { fixedContext } from "./policy/request-context.js";

/**
 * IAM's policy simulator (SimulatePrincipalPolicy, SimulateCustomPolicy) on the same evaluator as
 * enforcement: each action on each resource, with the context entries the caller gives, decided allowed,
 * explicitDeny or implicitDeny, with the statements that decided and the condition keys the policies asked
 * for that the context lacked.
 */
export interface SimulationInput {
  principal: EvaluationInput["principal"];
  identity: PolicyDocument[];
  boundary?: PolicyDocument;
  resourcePolicy?: PolicyDocument;
  resourceOwner?: string;
  actions: string[];
  resources: string[];
  context: Record<string, string[]>;
}

export interface SimulationResult {
  action: string;
  resource: string;
  decision: "allowed" | "explicitDeny" | "implicitDeny";
  matched: { id: string; type: string }[];
  missingContextValues: string[];
}

export function simulate(input: SimulationInput): SimulationResult[] {
  const identity = input.identity.map(policyRef);
  const boundary = input.boundary && policyRef(input.boundary);
  const resourcePolicy = input.resourcePolicy && { kind: "bucket" as const, ref: policyRef(input.resourcePolicy) };
  const context = fixedContext(input.context);
  const given = new Set(Object.keys(input.context).map((k) => k.toLowerCase()));
  const asked = [...identity, ...(boundary ? [boundary] : []), ...(resourcePolicy ? [resourcePolicy.ref] : [])].flatMap((r) => r.policy.statements.flatMap((s) => s.conditions.map((c) => c.key)));
  const missing = [...new Set(asked.filter((k) => !given.has(k.toLowerCase())))];
  const results: SimulationResult[] = [];
  for (const action of input.actions) {
    for (const resource of input.resources) {
      const d = evaluate({ principal: input.principal, identity, boundary, action, resource, resourceAccount: input.resourceOwner, resourcePolicy, context });
      const source = d.hit?.ref.source ?? (d.hit ? { id: d.hit.ref.name, type: d.hit.layer === "resource" ? "resource" : "none" } : undefined);
      results.push({
        action,
        resource,
        decision: d.allowed ? "allowed" : d.explicit ? "explicitDeny" : "implicitDeny",
        matched: source ? [source] : [],
        missingContextValues: missing,
      });
    }
  }
  return results;
}

import type { SimulatePolicyResponse, SimulatePrincipalPolicyRequest } from "../../src/generated/types/iam.js";
import type { PolicyDocument } from "../../src/types/authorization.js";
import type { CallContext } from "../../src/types/service.js";
import { simulate, type SimulationInput } from "../../src/enforcement/simulate.js";
import { entityPolicies } from "./authorization-source.js";
import { invalidInput, noSuchEntity } from "./errors.js";
import type { Op } from "./op.js";

/**
 * IAM's policy simulator, answered by the evaluator enforcement uses: SimulatePrincipalPolicy with the
 * policies of a user (its groups' included), group or role plus any given, SimulateCustomPolicy with the
 * given policies only. Context entries supply condition keys; results come one per action and resource.
 */
type Common = Pick<SimulatePrincipalPolicyRequest, "PermissionsBoundaryPolicyInputList" | "ActionNames" | "ResourceArns" | "ResourcePolicy" | "ResourceOwner" | "CallerArn" | "ContextEntries" | "MaxItems" | "Marker">;

export const simulatePrincipalPolicy: Op<"SimulatePrincipalPolicy"> = (input, ctx) => {
  const entity = entityPolicies(ctx.state, input.PolicySourceArn);
  if (!entity) throw noSuchEntity(`Could not find entity ${input.PolicySourceArn}.`);
  const given = (input.PolicyInputList ?? []).map((document, i) => custom(document, `PolicyInputList.${i + 1}`));
  const callerArn = input.CallerArn ?? (input.PolicySourceArn.includes(":group/") ? undefined : input.PolicySourceArn);
  return run(input, ctx, [...entity.identity, ...given], entity.boundary, callerArn);
};

export const simulateCustomPolicy: Op<"SimulateCustomPolicy"> = (input, ctx) =>
  run(input, ctx, input.PolicyInputList.map((document, i) => custom(document, `PolicyInputList.${i + 1}`)), undefined, input.CallerArn);

const custom = (document: string, id: string): PolicyDocument => ({ document, name: id, source: { id, type: "none" } });

function run(input: Common, ctx: CallContext, identity: PolicyDocument[], entityBoundary: PolicyDocument | undefined, callerArn: string | undefined): SimulatePolicyResponse {
  if (input.ActionNames.length === 0) throw invalidInput("ActionNames must not be empty.");
  const boundaryDocument = input.PermissionsBoundaryPolicyInputList?.[0];
  const arn = callerArn ?? `arn:aws:iam::${ctx.accountId}:user/SimulatedUser`;
  const accountId = /^arn:aws:[a-z]+::(\d{12}):/.exec(arn)?.[1] ?? ctx.accountId;
  const principal: SimulationInput["principal"] = arn.endsWith(":root") ? { type: "Root", arn, accountId } : { type: "IAMUser", arn, accountId };
  const context: Record<string, string[]> = {};
  for (const entry of input.ContextEntries ?? []) if (entry.ContextKeyName) context[entry.ContextKeyName] = entry.ContextKeyValues ?? [];
  const results = simulate({
    principal,
    identity,
    boundary: boundaryDocument !== undefined ? custom(boundaryDocument, "PermissionsBoundaryPolicyInputList.1") : entityBoundary,
    resourcePolicy: input.ResourcePolicy === undefined ? undefined : { document: input.ResourcePolicy, name: "ResourcePolicy", source: { id: "ResourcePolicy", type: "resource" } },
    resourceOwner: input.ResourceOwner?.split(":")[4] || undefined,
    actions: input.ActionNames,
    resources: input.ResourceArns?.length ? input.ResourceArns : ["*"],
    context,
  });
  const start = input.Marker === undefined ? 0 : Number(input.Marker);
  if (!Number.isInteger(start) || start < 0 || start > results.length) throw invalidInput("Invalid Marker.");
  const page = results.slice(start, start + (input.MaxItems ?? 1000));
  const next = start + page.length;
  return {
    EvaluationResults: page.map((r) => {
      const matched = r.matched.map((m) => ({ SourcePolicyId: m.id, SourcePolicyType: m.type as "none" }));
      return {
        EvalActionName: r.action,
        EvalResourceName: r.resource,
        EvalDecision: r.decision,
        MatchedStatements: matched,
        MissingContextValues: r.missingContextValues,
        ResourceSpecificResults: [{ EvalResourceName: r.resource, EvalResourceDecision: r.decision, MatchedStatements: matched, MissingContextValues: r.missingContextValues }],
      };
    }),
    IsTruncated: next < results.length,
    Marker: next < results.length ? String(next) : undefined,
  };
}

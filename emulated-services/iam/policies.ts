import type { CallContext } from "../../src/types/service.js";
import { awsManagedPolicies } from "./aws-managed-policies.js";
import { awsManagedPolicyDenied, deleteConflict, entityAlreadyExists, limitExceeded, noSuchPolicy, policyNotFound } from "./errors.js";
import { validateIdentityPolicy } from "./identity-policy-grammar.js";
import { iamArn, uniqueId } from "./ids.js";
import { checkPolicyArn, findManagedPolicy, policyUsage, toPolicy, type ManagedPolicy } from "./managed-policies.js";
import type { Op } from "./op.js";
import { paginate } from "./pagination.js";
import { policySize } from "./policy-documents.js";
import { iamState, nameKey, type StoredPolicy } from "./state.js";
import { applyTags, removeTags } from "./tags.js";

/** A managed policy of the account or AWS's; `missing` builds the error for one that does not exist. */
export function requirePolicy(ctx: CallContext, arn: string, missing: (arn: string) => Error = noSuchPolicy): ManagedPolicy {
  checkPolicyArn(arn);
  const found = findManagedPolicy(ctx, arn);
  if (!found) throw missing(arn);
  return found;
}

/** A customer managed policy the caller may change; AWS's own are denied even to the root. */
export function requireLocalPolicy(ctx: CallContext, arn: string, action: string, missing: (arn: string) => Error = noSuchPolicy): StoredPolicy {
  const found = requirePolicy(ctx, arn, missing);
  if (found.kind === "aws") throw awsManagedPolicyDenied(ctx.caller, action, arn);
  return found.policy;
}

/** A managed policy's document may hold at most 6144 characters, whitespace aside. */
export function checkManagedPolicyDocument(document: string): void {
  validateIdentityPolicy(document);
  if (policySize(document) > 6144) throw limitExceeded("Cannot exceed quota for PolicySize: 6144");
}

export const createPolicy: Op<"CreatePolicy"> = (input, ctx) => {
  const state = iamState(ctx);
  checkManagedPolicyDocument(input.PolicyDocument);
  // Policy names are unique in the account whatever their path and case.
  if (Object.values(state.policies).some((p) => nameKey(p.policyName) === nameKey(input.PolicyName))) {
    throw entityAlreadyExists(`A policy called ${input.PolicyName} already exists. Duplicate names are not allowed.`);
  }
  const path = input.Path ?? "/";
  const now = ctx.now.toISOString();
  const policy: StoredPolicy = {
    policyName: input.PolicyName,
    policyId: uniqueId(ctx.env.ids, "ANPA"),
    arn: iamArn(ctx.accountId, "policy", path, input.PolicyName),
    path,
    description: input.Description,
    createDate: now,
    updateDate: now,
    versions: [{ versionId: "v1", document: input.PolicyDocument, isDefaultVersion: true, createDate: now }],
    nextVersion: 2,
    tags: applyTags([], input.Tags, "Policy"),
  };
  state.policies[policy.arn] = policy;
  const tags = policy.tags.length > 0 ? policy.tags : undefined;
  return { Policy: { ...toPolicy({ kind: "local", policy }, state), Tags: tags } };
};

/** GetPolicy alone adds the description and always lists the tags, empty or not. */
export const getPolicy: Op<"GetPolicy"> = (input, ctx) => {
  const found = requirePolicy(ctx, input.PolicyArn);
  const tags = found.kind === "local" ? found.policy.tags : [];
  return { Policy: { ...toPolicy(found, iamState(ctx)), Description: found.policy.description, Tags: tags } };
};

export const listPolicies: Op<"ListPolicies"> = (input, ctx) => {
  const state = iamState(ctx);
  const scope = input.Scope ?? "All";
  const all: ManagedPolicy[] = [
    ...(scope === "Local" ? [] : awsManagedPolicies().map((policy) => ({ kind: "aws" as const, policy }))),
    ...(scope === "AWS" ? [] : Object.values(state.policies).map((policy) => ({ kind: "local" as const, policy }))),
  ];
  const listed = all
    .filter((m) => !input.PathPrefix || m.policy.path.startsWith(input.PathPrefix))
    .filter((m) => !input.OnlyAttached || inUse(policyUsage(state, m.policy.arn), input.PolicyUsageFilter))
    .sort((a, b) => (a.policy.policyName < b.policy.policyName ? -1 : a.policy.policyName > b.policy.policyName ? 1 : 0));
  const page = paginate(listed, input.Marker, input.MaxItems);
  return { Policies: page.items.map((m) => toPolicy(m, state)), IsTruncated: page.IsTruncated, Marker: page.Marker };
};

function inUse(usage: { attachments: number; boundaries: number }, filter: "PermissionsPolicy" | "PermissionsBoundary" | undefined): boolean {
  if (filter === "PermissionsPolicy") return usage.attachments > 0;
  if (filter === "PermissionsBoundary") return usage.boundaries > 0;
  return usage.attachments + usage.boundaries > 0;
}

/** A policy goes only once nothing holds it and only its default version is left. */
export const deletePolicy: Op<"DeletePolicy"> = (input, ctx) => {
  const state = iamState(ctx);
  const policy = requireLocalPolicy(ctx, input.PolicyArn, "DeletePolicy");
  const usage = policyUsage(state, policy.arn);
  if (usage.attachments + usage.boundaries > 0) throw deleteConflict("Cannot delete a policy attached to entities.");
  if (policy.versions.length > 1) {
    throw deleteConflict(
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
    );
  }
  delete state.policies[policy.arn];
};

export const tagPolicy: Op<"TagPolicy"> = (input, ctx) => {
  const policy = requireLocalPolicy(ctx, input.PolicyArn, "TagPolicy", policyNotFound);
  policy.tags = applyTags(policy.tags, input.Tags, "Policy");
};

export const untagPolicy: Op<"UntagPolicy"> = (input, ctx) => {
  const policy = requireLocalPolicy(ctx, input.PolicyArn, "UntagPolicy", policyNotFound);
  policy.tags = removeTags(policy.tags, input.TagKeys, "Policy");
};

/** ListPolicyTags orders the keys shortest first, then by character code (a, b, z, abc; A before a). */
export const listPolicyTags: Op<"ListPolicyTags"> = (input, ctx) => {
  const found = requirePolicy(ctx, input.PolicyArn, policyNotFound);
  const tags = found.kind === "local" ? [...found.policy.tags] : [];
  tags.sort((a, b) => a.Key.length - b.Key.length || (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
  const page = paginate(tags, input.Marker, input.MaxItems);
  return { Tags: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
};

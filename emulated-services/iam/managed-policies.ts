import type { Policy } from "../../src/generated/types/iam.js";
import type { CallContext } from "../../src/types/service.js";
import { findAwsManagedPolicy, isAwsManagedArn, type AwsManagedPolicy } from "./aws-managed-policies.js";
import { validationError } from "./errors.js";
import { iamState, type IamState, type StoredPolicy } from "./state.js";

/** A managed policy as the policy operations see it, whether AWS's or the account's own. */
export type ManagedPolicy = { kind: "aws"; policy: AwsManagedPolicy } | { kind: "local"; policy: StoredPolicy };

// arn:aws:iam::<account or "aws">:policy<path><name>
const POLICY_ARN = /^arn:aws[\w-]*:iam::(\d{12}|aws):policy(\/[\x21-\x7e]*)?\/[\w+=,.@-]+$/;

/** IAM answers a string that is not a policy ARN (a bare policy name, say) with ValidationError before anything else. */
export function checkPolicyArn(arn: string): void {
  if (!POLICY_ARN.test(arn)) throw validationError(`ARN ${arn} is not valid.`);
}

/** The managed policy an ARN names in the caller's account (AWS's are in every account), if any. */
export function findManagedPolicy(ctx: CallContext, arn: string): ManagedPolicy | undefined {
  if (isAwsManagedArn(arn)) {
    const policy = findAwsManagedPolicy(arn);
    return policy && { kind: "aws", policy };
  }
  const policy = iamState(ctx).policies[arn];
  return policy && { kind: "local", policy };
}

/** How many users, groups and roles of the account hold a policy, and how many users and roles use it as boundary. */
export function policyUsage(state: IamState, arn: string): { attachments: number; boundaries: number } {
  const holders = [...Object.values(state.users), ...Object.values(state.groups), ...Object.values(state.roles)];
  return {
    attachments: holders.filter((h) => h.attachedPolicies.includes(arn)).length,
    boundaries: [...Object.values(state.users), ...Object.values(state.roles)].filter((h) => h.permissionsBoundary === arn).length,
  };
}

export const policyName = (m: ManagedPolicy) => m.policy.policyName;
export const policyPath = (m: ManagedPolicy) => m.policy.path;

/** The Policy structure of ListPolicies (CreatePolicy adds Tags, GetPolicy Description and Tags). */
export function toPolicy(m: ManagedPolicy, state: IamState): Policy {
  const usage = policyUsage(state, m.policy.arn);
  const p = m.policy;
  return {
    PolicyName: p.policyName,
    PolicyId: p.policyId,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: m.kind === "aws" ? m.policy.defaultVersionId : m.policy.versions.find((v) => v.isDefaultVersion)!.versionId,
    AttachmentCount: usage.attachments,
    PermissionsBoundaryUsageCount: usage.boundaries,
    IsAttachable: true,
    CreateDate: new Date(p.createDate),
    UpdateDate: new Date(p.updateDate),
  };
}

import type { AttachedPolicy } from "../../src/generated/types/iam.js";
import type { CallContext } from "../../src/types/service.js";
import { limitExceeded, policyNotFound } from "./errors.js";
import { checkPolicyArn } from "./managed-policies.js";
import type { Op } from "./op.js";
import { paginate } from "./pagination.js";
import { requirePolicy } from "./policies.js";
import { findHolder, type HolderKind } from "./policy-holders.js";

/** Attaching is idempotent; an entity holds at most 10 managed policies (the default quota). */
function attach(ctx: CallContext, kind: HolderKind, name: string, arn: string): void {
  checkPolicyArn(arn);
  const holder = findHolder(ctx, kind, name);
  requirePolicy(ctx, arn);
  const attached = holder.entity.attachedPolicies;
  if (attached.includes(arn)) return;
  if (attached.length >= 10) throw limitExceeded(`Cannot exceed quota for PoliciesPer${kind}: 10`);
  attached.push(arn);
}

/** Detaching a policy the entity does not hold (or that does not exist) is NoSuchEntity "Policy <arn> was not found." */
function detach(ctx: CallContext, kind: HolderKind, name: string, arn: string): void {
  const holder = findHolder(ctx, kind, name);
  if (!holder.entity.attachedPolicies.includes(arn)) throw policyNotFound(arn);
  holder.entity.attachedPolicies = holder.entity.attachedPolicies.filter((a) => a !== arn);
}

/** A managed policy's name and path are the last segment and the middle of its ARN. */
function attachedPolicy(arn: string): AttachedPolicy & { path: string } {
  const resource = arn.slice(arn.indexOf(":policy/") + ":policy".length);
  const slash = resource.lastIndexOf("/");
  return { PolicyName: resource.slice(slash + 1), PolicyArn: arn, path: resource.slice(0, slash + 1) };
}

function listAttached(ctx: CallContext, kind: HolderKind, input: { PathPrefix?: string; Marker?: string; MaxItems?: number }, name: string) {
  const holder = findHolder(ctx, kind, name);
  const byName = (a: AttachedPolicy, b: AttachedPolicy) => a.PolicyName!.toLowerCase().localeCompare(b.PolicyName!.toLowerCase());
  // Users' and groups' policies are listed by name; a role's in reverse order of name.
  const policies = holder.entity.attachedPolicies
    .map(attachedPolicy)
    .filter((p) => !input.PathPrefix || p.path.startsWith(input.PathPrefix))
    .sort((a, b) => (kind === "Role" ? byName(b, a) : byName(a, b)));
  const page = paginate(policies, input.Marker, input.MaxItems);
  return { AttachedPolicies: page.items.map(({ PolicyName, PolicyArn }) => ({ PolicyName, PolicyArn })), IsTruncated: page.IsTruncated, Marker: page.Marker };
}

export const attachUserPolicy: Op<"AttachUserPolicy"> = (input, ctx) => attach(ctx, "User", input.UserName, input.PolicyArn);
export const attachGroupPolicy: Op<"AttachGroupPolicy"> = (input, ctx) => attach(ctx, "Group", input.GroupName, input.PolicyArn);
export const attachRolePolicy: Op<"AttachRolePolicy"> = (input, ctx) => attach(ctx, "Role", input.RoleName, input.PolicyArn);

export const detachUserPolicy: Op<"DetachUserPolicy"> = (input, ctx) => detach(ctx, "User", input.UserName, input.PolicyArn);
export const detachGroupPolicy: Op<"DetachGroupPolicy"> = (input, ctx) => detach(ctx, "Group", input.GroupName, input.PolicyArn);
export const detachRolePolicy: Op<"DetachRolePolicy"> = (input, ctx) => detach(ctx, "Role", input.RoleName, input.PolicyArn);

export const listAttachedUserPolicies: Op<"ListAttachedUserPolicies"> = (input, ctx) => listAttached(ctx, "User", input, input.UserName);
export const listAttachedGroupPolicies: Op<"ListAttachedGroupPolicies"> = (input, ctx) => listAttached(ctx, "Group", input, input.GroupName);
export const listAttachedRolePolicies: Op<"ListAttachedRolePolicies"> = (input, ctx) => listAttached(ctx, "Role", input, input.RoleName);

import { own, setEntry } from "../../src/state/own-entries.js";
import type { CallContext } from "../../src/types/service.js";
import { limitExceeded, noSuchEntity } from "./errors.js";
import { validateIdentityPolicy } from "./identity-policy-grammar.js";
import type { Op } from "./op.js";
import { paginate } from "./pagination.js";
import { encodePolicyDocument, policySize } from "./policy-documents.js";
import { findHolder, type Holder, type HolderKind } from "./policy-holders.js";

/** All of an entity's inline policies together may hold this many characters, whitespace aside. */
const SIZE_QUOTA: Record<HolderKind, number> = { User: 2048, Group: 5120, Role: 10240 };

const noSuchInlinePolicy = (kind: HolderKind, policyName: string) =>
  noSuchEntity(`The ${kind.toLowerCase()} policy with name ${policyName} cannot be found.`);

function inlineDocument(holder: Holder, policyName: string): string {
  const document = own(holder.entity.inlinePolicies, policyName);
  if (document === undefined) throw noSuchInlinePolicy(holder.kind, policyName);
  return document;
}

/** Put replaces a policy of the same name; the document is kept exactly as sent. */
function put(ctx: CallContext, kind: HolderKind, name: string, policyName: string, document: string): void {
  const holder = findHolder(ctx, kind, name);
  validateIdentityPolicy(document);
  const others = Object.entries(holder.entity.inlinePolicies).filter(([n]) => n !== policyName);
  const size = others.reduce((sum, [, d]) => sum + policySize(d), policySize(document));
  if (size > SIZE_QUOTA[kind]) {
    throw limitExceeded(`Maximum policy size of ${SIZE_QUOTA[kind]} bytes exceeded for ${kind.toLowerCase()} ${holder.name}`);
  }
  setEntry(holder.entity.inlinePolicies, policyName, document);
}

function remove(ctx: CallContext, kind: HolderKind, name: string, policyName: string): void {
  const holder = findHolder(ctx, kind, name);
  inlineDocument(holder, policyName);
  delete holder.entity.inlinePolicies[policyName];
}

function list(ctx: CallContext, kind: HolderKind, name: string, input: { Marker?: string; MaxItems?: number }) {
  const names = Object.keys(findHolder(ctx, kind, name).entity.inlinePolicies).sort();
  const page = paginate(names, input.Marker, input.MaxItems);
  return { PolicyNames: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
}

function get(ctx: CallContext, kind: HolderKind, name: string, policyName: string) {
  const holder = findHolder(ctx, kind, name);
  return { name: holder.name, PolicyName: policyName, PolicyDocument: encodePolicyDocument(inlineDocument(holder, policyName)) };
}

export const putUserPolicy: Op<"PutUserPolicy"> = (i, ctx) => put(ctx, "User", i.UserName, i.PolicyName, i.PolicyDocument);
export const putGroupPolicy: Op<"PutGroupPolicy"> = (i, ctx) => put(ctx, "Group", i.GroupName, i.PolicyName, i.PolicyDocument);
export const putRolePolicy: Op<"PutRolePolicy"> = (i, ctx) => put(ctx, "Role", i.RoleName, i.PolicyName, i.PolicyDocument);

export const getUserPolicy: Op<"GetUserPolicy"> = (i, ctx) => {
  const { name, ...rest } = get(ctx, "User", i.UserName, i.PolicyName);
  return { UserName: name, ...rest };
};
export const getGroupPolicy: Op<"GetGroupPolicy"> = (i, ctx) => {
  const { name, ...rest } = get(ctx, "Group", i.GroupName, i.PolicyName);
  return { GroupName: name, ...rest };
};
export const getRolePolicy: Op<"GetRolePolicy"> = (i, ctx) => {
  const { name, ...rest } = get(ctx, "Role", i.RoleName, i.PolicyName);
  return { RoleName: name, ...rest };
};

export const listUserPolicies: Op<"ListUserPolicies"> = (i, ctx) => list(ctx, "User", i.UserName, i);
export const listGroupPolicies: Op<"ListGroupPolicies"> = (i, ctx) => list(ctx, "Group", i.GroupName, i);
export const listRolePolicies: Op<"ListRolePolicies"> = (i, ctx) => list(ctx, "Role", i.RoleName, i);

export const deleteUserPolicy: Op<"DeleteUserPolicy"> = (i, ctx) => remove(ctx, "User", i.UserName, i.PolicyName);
export const deleteGroupPolicy: Op<"DeleteGroupPolicy"> = (i, ctx) => remove(ctx, "Group", i.GroupName, i.PolicyName);
export const deleteRolePolicy: Op<"DeleteRolePolicy"> = (i, ctx) => remove(ctx, "Role", i.RoleName, i.PolicyName);

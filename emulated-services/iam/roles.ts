import type { Role } from "../../src/generated/types/iam.js";
import type { CallContext } from "../../src/types/service.js";
import { deleteConflict, entityAlreadyExists, noSuchRole } from "./errors.js";
import { iamArn, uniqueId } from "./ids.js";
import type { Op } from "./op.js";
import { byPathPrefix, paginate } from "./pagination.js";
import { checkPermissionsBoundary, toPermissionsBoundary } from "./permissions-boundaries.js";
import { encodePolicyDocument } from "./policy-documents.js";
import { iamState, nameKey, type StoredRole } from "./state.js";
import { applyTags } from "./tags.js";
import { validateTrustPolicy } from "./trust-policy-grammar.js";

export function findRole(ctx: CallContext, roleName: string): StoredRole {
  const role = iamState(ctx).roles[nameKey(roleName)];
  if (!role) throw noSuchRole(roleName);
  return role;
}

/**
 * A role as each operation shows it: CreateRole (and UpdateRoleDescription, which adds the description) leave
 * out MaxSessionDuration and RoleLastUsed; ListRoles leaves out tags, boundary and last use; GetRole has all,
 * RoleLastUsed empty until the role is first assumed.
 */
export function toRole(r: StoredRole, view: "create" | "describe" | "get" | "list"): Role {
  const role: Role = {
    Path: r.path,
    RoleName: r.roleName,
    RoleId: r.roleId,
    Arn: r.arn,
    CreateDate: new Date(r.createDate),
    AssumeRolePolicyDocument: encodePolicyDocument(r.assumeRolePolicyDocument),
  };
  if (view !== "create") role.Description = r.description;
  if (view === "get" || view === "list") role.MaxSessionDuration = r.maxSessionDuration;
  if (view === "list") return role;
  role.PermissionsBoundary = toPermissionsBoundary(r.permissionsBoundary);
  if (r.tags.length > 0) role.Tags = r.tags;
  if (view === "get") role.RoleLastUsed = r.lastUsed ? { LastUsedDate: new Date(r.lastUsed.date), Region: r.lastUsed.region } : {};
  return role;
}

export const createRole: Op<"CreateRole"> = (input, ctx) => {
  const state = iamState(ctx);
  validateTrustPolicy(input.AssumeRolePolicyDocument);
  const key = nameKey(input.RoleName);
  if (state.roles[key]) throw entityAlreadyExists(`Role with name ${input.RoleName} already exists.`);
  checkPermissionsBoundary(ctx, input.PermissionsBoundary);
  const path = input.Path ?? "/";
  const role: StoredRole = {
    roleName: input.RoleName,
    roleId: uniqueId(ctx.env.ids, "AROA"),
    path,
    arn: iamArn(ctx.accountId, "role", path, input.RoleName),
    createDate: ctx.now.toISOString(),
    assumeRolePolicyDocument: input.AssumeRolePolicyDocument,
    description: input.Description,
    maxSessionDuration: input.MaxSessionDuration ?? 3600,
    tags: applyTags([], input.Tags, "Role"),
    inlinePolicies: {},
    attachedPolicies: [],
    permissionsBoundary: input.PermissionsBoundary,
  };
  state.roles[key] = role;
  return { Role: toRole(role, "create") };
};

export const getRole: Op<"GetRole"> = (input, ctx) => ({ Role: toRole(findRole(ctx, input.RoleName), "get") });

export const listRoles: Op<"ListRoles"> = (input, ctx) => {
  const roles = byPathPrefix(Object.values(iamState(ctx).roles), input.PathPrefix, (r) => r.roleName);
  const page = paginate(roles, input.Marker, input.MaxItems);
  return { Roles: page.items.map((r) => toRole(r, "list")), IsTruncated: page.IsTruncated, Marker: page.Marker };
};

/** UpdateRole changes only what it is given. */
export const updateRole: Op<"UpdateRole"> = (input, ctx) => {
  const role = findRole(ctx, input.RoleName);
  if (input.Description !== undefined) role.description = input.Description;
  if (input.MaxSessionDuration !== undefined) role.maxSessionDuration = input.MaxSessionDuration;
  return {};
};

export const updateRoleDescription: Op<"UpdateRoleDescription"> = (input, ctx) => {
  const role = findRole(ctx, input.RoleName);
  role.description = input.Description;
  return { Role: toRole(role, "describe") };
};

export const updateAssumeRolePolicy: Op<"UpdateAssumeRolePolicy"> = (input, ctx) => {
  const role = findRole(ctx, input.RoleName);
  validateTrustPolicy(input.PolicyDocument);
  role.assumeRolePolicyDocument = input.PolicyDocument;
};

/** A role goes only once it is in no instance profile and holds no policy (DeleteConflict otherwise). */
export const deleteRole: Op<"DeleteRole"> = (input, ctx) => {
  const role = findRole(ctx, input.RoleName);
  const profiles = Object.values(iamState(ctx).instanceProfiles);
  if (profiles.some((p) => p.roles.some((r) => nameKey(r) === nameKey(role.roleName)))) {
    throw deleteConflict("Cannot delete entity, must remove roles from instance profile first.");
  }
  if (role.attachedPolicies.length > 0) throw deleteConflict("Cannot delete entity, must detach all policies first.");
  if (Object.keys(role.inlinePolicies).length > 0) throw deleteConflict("Cannot delete entity, must delete policies first.");
  delete iamState(ctx).roles[nameKey(role.roleName)];
};

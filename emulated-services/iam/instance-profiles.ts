import type { InstanceProfile } from "../../src/generated/types/iam.js";
import type { CallContext } from "../../src/types/service.js";
import { deleteConflict, entityAlreadyExists, limitExceeded, noSuchEntity, noSuchRole } from "./errors.js";
import { iamArn, uniqueId } from "./ids.js";
import type { Op } from "./op.js";
import { byPathPrefix, paginate } from "./pagination.js";
import { findRole, toRole } from "./roles.js";
import { iamState, nameKey, type StoredInstanceProfile, type StoredRole } from "./state.js";
import { applyTags } from "./tags.js";

function findInstanceProfile(ctx: CallContext, name: string): StoredInstanceProfile {
  const profile = iamState(ctx).instanceProfiles[nameKey(name)];
  if (!profile) throw noSuchEntity(`Instance Profile ${name} cannot be found.`);
  return profile;
}

/** An instance profile with its role as CreateRole shows one; GetInstanceProfile alone adds the tags, even none. */
function toInstanceProfile(ctx: CallContext, p: StoredInstanceProfile, withTags: boolean): InstanceProfile {
  const roles = p.roles.map((name) => iamState(ctx).roles[nameKey(name)]).filter((r): r is StoredRole => r !== undefined);
  return {
    Path: p.path,
    InstanceProfileName: p.instanceProfileName,
    InstanceProfileId: p.instanceProfileId,
    Arn: p.arn,
    CreateDate: new Date(p.createDate),
    Roles: roles.map((r) => toRole(r, "create")),
    Tags: withTags || p.tags.length > 0 ? p.tags : undefined,
  };
}

/** The instance profiles a role is in. */
const profilesOfRole = (ctx: CallContext, role: StoredRole) =>
  Object.values(iamState(ctx).instanceProfiles).filter((p) => p.roles.some((r) => nameKey(r) === nameKey(role.roleName)));

export const createInstanceProfile: Op<"CreateInstanceProfile"> = (input, ctx) => {
  const state = iamState(ctx);
  const key = nameKey(input.InstanceProfileName);
  if (state.instanceProfiles[key]) throw entityAlreadyExists(`Instance Profile ${input.InstanceProfileName} already exists.`);
  const path = input.Path ?? "/";
  const profile: StoredInstanceProfile = {
    instanceProfileName: input.InstanceProfileName,
    instanceProfileId: uniqueId(ctx.env.ids, "AIPA"),
    path,
    arn: iamArn(ctx.accountId, "instance-profile", path, input.InstanceProfileName),
    createDate: ctx.now.toISOString(),
    roles: [],
    tags: applyTags([], input.Tags, "InstanceProfile"),
  };
  state.instanceProfiles[key] = profile;
  return { InstanceProfile: toInstanceProfile(ctx, profile, false) };
};

export const getInstanceProfile: Op<"GetInstanceProfile"> = (input, ctx) => ({
  InstanceProfile: toInstanceProfile(ctx, findInstanceProfile(ctx, input.InstanceProfileName), true),
});

export const listInstanceProfiles: Op<"ListInstanceProfiles"> = (input, ctx) => {
  const profiles = byPathPrefix(Object.values(iamState(ctx).instanceProfiles), input.PathPrefix, (p) => p.instanceProfileName);
  const page = paginate(profiles, input.Marker, input.MaxItems);
  return { InstanceProfiles: page.items.map((p) => toInstanceProfile(ctx, p, false)), IsTruncated: page.IsTruncated, Marker: page.Marker };
};

export const deleteInstanceProfile: Op<"DeleteInstanceProfile"> = (input, ctx) => {
  const profile = findInstanceProfile(ctx, input.InstanceProfileName);
  if (profile.roles.length > 0) throw deleteConflict("Cannot delete entity, must remove roles from instance profile first.");
  delete iamState(ctx).instanceProfiles[nameKey(profile.instanceProfileName)];
};

/** An instance profile holds one role. */
export const addRoleToInstanceProfile: Op<"AddRoleToInstanceProfile"> = (input, ctx) => {
  const profile = findInstanceProfile(ctx, input.InstanceProfileName);
  const role = findRole(ctx, input.RoleName);
  if (profile.roles.length >= 1) throw limitExceeded("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
  profile.roles.push(role.roleName);
};

export const removeRoleFromInstanceProfile: Op<"RemoveRoleFromInstanceProfile"> = (input, ctx) => {
  const profile = findInstanceProfile(ctx, input.InstanceProfileName);
  const role = findRole(ctx, input.RoleName);
  if (!profile.roles.some((r) => nameKey(r) === nameKey(role.roleName))) throw noSuchRole(input.RoleName);
  profile.roles = profile.roles.filter((r) => nameKey(r) !== nameKey(role.roleName));
};

export const listInstanceProfilesForRole: Op<"ListInstanceProfilesForRole"> = (input, ctx) => {
  const role = findRole(ctx, input.RoleName);
  const page = paginate(byPathPrefix(profilesOfRole(ctx, role), undefined, (p) => p.instanceProfileName), input.Marker, input.MaxItems);
  return { InstanceProfiles: page.items.map((p) => toInstanceProfile(ctx, p, false)), IsTruncated: page.IsTruncated, Marker: page.Marker };
};

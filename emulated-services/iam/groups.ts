import type { Group } from "../../src/generated/types/iam.js";
import type { CallContext } from "../../src/types/service.js";
import { deleteConflict, entityAlreadyExists, limitExceeded, noSuchEntity, noSuchGroup } from "./errors.js";
import { iamArn, uniqueId } from "./ids.js";
import type { Op } from "./op.js";
import { byPathPrefix, paginate } from "./pagination.js";
import { iamState, nameKey, type StoredGroup, type StoredUser } from "./state.js";
import { findUser, toUser } from "./users.js";

export function findGroup(ctx: CallContext, groupName: string): StoredGroup {
  const group = iamState(ctx).groups[nameKey(groupName)];
  if (!group) throw noSuchGroup(groupName);
  return group;
}

export const toGroup = (g: StoredGroup): Group => ({ Path: g.path, GroupName: g.groupName, GroupId: g.groupId, Arn: g.arn, CreateDate: new Date(g.createDate) });

const isMember = (user: StoredUser, group: StoredGroup) => user.groups.some((g) => nameKey(g) === nameKey(group.groupName));

export const createGroup: Op<"CreateGroup"> = (input, ctx) => {
  const state = iamState(ctx);
  const key = nameKey(input.GroupName);
  if (state.groups[key]) throw entityAlreadyExists(`Group with name ${input.GroupName} already exists.`);
  const path = input.Path ?? "/";
  const group: StoredGroup = {
    groupName: input.GroupName,
    groupId: uniqueId(ctx.env.ids, "AGPA"),
    path,
    arn: iamArn(ctx.accountId, "group", path, input.GroupName),
    createDate: ctx.now.toISOString(),
    inlinePolicies: {},
    attachedPolicies: [],
  };
  state.groups[key] = group;
  return { Group: toGroup(group) };
};

/** GetGroup pages through the group's users; the list is there even when empty. */
export const getGroup: Op<"GetGroup"> = (input, ctx) => {
  const group = findGroup(ctx, input.GroupName);
  const members = byPathPrefix(Object.values(iamState(ctx).users).filter((u) => isMember(u, group)), undefined, (u) => u.userName);
  const page = paginate(members, input.Marker, input.MaxItems);
  return { Group: toGroup(group), Users: page.items.map((u) => toUser(u)), IsTruncated: page.IsTruncated, Marker: page.Marker };
};

export const listGroups: Op<"ListGroups"> = (input, ctx) => {
  const groups = byPathPrefix(Object.values(iamState(ctx).groups), input.PathPrefix, (g) => g.groupName);
  const page = paginate(groups, input.Marker, input.MaxItems);
  return { Groups: page.items.map(toGroup), IsTruncated: page.IsTruncated, Marker: page.Marker };
};

/** Renaming a group carries its members along: memberships are kept on the users, by group name. */
export const updateGroup: Op<"UpdateGroup"> = (input, ctx) => {
  const state = iamState(ctx);
  const group = findGroup(ctx, input.GroupName);
  const newName = input.NewGroupName;
  if (newName !== undefined && nameKey(newName) !== nameKey(group.groupName) && state.groups[nameKey(newName)]) {
    throw entityAlreadyExists(`Group with name ${newName} already exists.`);
  }
  if (newName !== undefined) {
    for (const user of Object.values(state.users)) {
      user.groups = user.groups.map((g) => (nameKey(g) === nameKey(group.groupName) ? newName : g));
    }
    delete state.groups[nameKey(group.groupName)];
    group.groupName = newName;
    state.groups[nameKey(newName)] = group;
  }
  if (input.NewPath !== undefined) group.path = input.NewPath;
  group.arn = iamArn(ctx.accountId, "group", group.path, group.groupName);
};

/** A group goes only once it has no members and no policies (DeleteConflict otherwise). */
export const deleteGroup: Op<"DeleteGroup"> = (input, ctx) => {
  const state = iamState(ctx);
  const group = findGroup(ctx, input.GroupName);
  if (Object.values(state.users).some((u) => isMember(u, group))) throw deleteConflict("Cannot delete entity, must remove users from group first.");
  if (Object.keys(group.inlinePolicies).length > 0) throw deleteConflict("Cannot delete entity, must delete policies first.");
  if (group.attachedPolicies.length > 0) throw deleteConflict("Cannot delete entity, must detach all policies first.");
  delete state.groups[nameKey(group.groupName)];
};

/** Adding a member twice is not an error; a user belongs to at most 10 groups. */
export const addUserToGroup: Op<"AddUserToGroup"> = (input, ctx) => {
  const user = findUser(ctx, input.UserName);
  const group = findGroup(ctx, input.GroupName);
  if (isMember(user, group)) return;
  if (user.groups.length >= 10) throw limitExceeded("Cannot exceed quota for GroupsPerUser: 10");
  user.groups.push(group.groupName);
};

export const removeUserFromGroup: Op<"RemoveUserFromGroup"> = (input, ctx) => {
  const user = findUser(ctx, input.UserName);
  const group = findGroup(ctx, input.GroupName);
  if (!isMember(user, group)) throw noSuchEntity(`User ${user.userName} not in group ${group.groupName}`);
  user.groups = user.groups.filter((g) => nameKey(g) !== nameKey(group.groupName));
};

export const listGroupsForUser: Op<"ListGroupsForUser"> = (input, ctx) => {
  const user = findUser(ctx, input.UserName);
  const groups = user.groups.map((name) => iamState(ctx).groups[nameKey(name)]).filter((g): g is StoredGroup => g !== undefined);
  const page = paginate(byPathPrefix(groups, undefined, (g) => g.groupName), input.Marker, input.MaxItems);
  return { Groups: page.items.map(toGroup), IsTruncated: page.IsTruncated, Marker: page.Marker };
};

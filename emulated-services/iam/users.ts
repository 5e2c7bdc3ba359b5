import { callerPrincipalId } from "../../src/types/caller.js";
import type { User } from "../../src/generated/types/iam.js";
import type { CallContext } from "../../src/types/service.js";
import type { Op } from "./op.js";
import { deleteConflict, entityAlreadyExists, noSuchUser } from "./errors.js";
import { iamArn, uniqueId } from "./ids.js";
import { byPathPrefix, paginate } from "./pagination.js";
import { checkPermissionsBoundary, toPermissionsBoundary } from "./permissions-boundaries.js";
import { iamState, nameKey, type StoredUser } from "./state.js";
import { applyTags, removeTags } from "./tags.js";

export function findUser(ctx: CallContext, userName: string): StoredUser {
  const user = iamState(ctx).users[nameKey(userName)];
  if (!user) throw noSuchUser(userName);
  return user;
}

export function toUser(u: StoredUser, withTags = false): User {
  return {
    Path: u.path,
    UserName: u.userName,
    UserId: u.userId,
    Arn: u.arn,
    CreateDate: new Date(u.createDate),
    PasswordLastUsed: u.passwordLastUsed ? new Date(u.passwordLastUsed) : undefined,
    PermissionsBoundary: toPermissionsBoundary(u.permissionsBoundary),
    Tags: withTags && u.tags.length > 0 ? u.tags : undefined,
  };
}

export const createUser: Op<"CreateUser"> = (input, ctx) => {
  const state = iamState(ctx);
  const key = nameKey(input.UserName);
  if (state.users[key]) throw entityAlreadyExists(`User with name ${input.UserName} already exists.`);
  checkPermissionsBoundary(ctx, input.PermissionsBoundary);
  const path = input.Path ?? "/";
  const user: StoredUser = {
    userName: input.UserName,
    userId: uniqueId(ctx.env.ids, "AIDA"),
    path,
    arn: iamArn(ctx.accountId, "user", path, input.UserName),
    createDate: ctx.now.toISOString(),
    tags: applyTags([], input.Tags),
    groups: [],
    inlinePolicies: {},
    attachedPolicies: [],
    permissionsBoundary: input.PermissionsBoundary,
  };
  state.users[key] = user;
  return { User: toUser(user, true) };
};

/** Without UserName, GetUser describes the caller (for the root: the account's root user). */
export const getUser: Op<"GetUser"> = (input, ctx) => {
  if (input.UserName !== undefined) return { User: toUser(findUser(ctx, input.UserName), true) };
  const caller = ctx.caller;
  if (caller.type === "IAMUser") return { User: toUser(findUser(ctx, caller.userName), true) };
  if (caller.type === "Root") {
    // The root user has no name or path: AWS answers with the account id and the root ARN only.
    return { User: { UserId: ctx.accountId, Arn: `arn:aws:iam::${ctx.accountId}:root`, CreateDate: new Date(0) } as User };
  }
  throw noSuchUser(caller.type === "AssumedRole" ? caller.sessionName : callerPrincipalId(caller));
};

export const listUsers: Op<"ListUsers"> = (input, ctx) => {
  const users = byPathPrefix(Object.values(iamState(ctx).users), input.PathPrefix, (u) => u.userName);
  const page = paginate(users, input.Marker, input.MaxItems);
  return { Users: page.items.map((u) => toUser(u)), IsTruncated: page.IsTruncated, Marker: page.Marker };
};

export const updateUser: Op<"UpdateUser"> = (input, ctx) => {
  const state = iamState(ctx);
  const user = findUser(ctx, input.UserName);
  if (input.NewUserName !== undefined && nameKey(input.NewUserName) !== nameKey(user.userName)) {
    if (state.users[nameKey(input.NewUserName)]) throw entityAlreadyExists(`User with name ${input.NewUserName} already exists.`);
    delete state.users[nameKey(user.userName)];
    for (const key of Object.values(state.accessKeys)) if (nameKey(key.userName) === nameKey(user.userName)) key.userName = input.NewUserName;
    user.userName = input.NewUserName;
    state.users[nameKey(user.userName)] = user;
  } else if (input.NewUserName !== undefined) {
    user.userName = input.NewUserName;
  }
  if (input.NewPath !== undefined) user.path = input.NewPath;
  user.arn = iamArn(ctx.accountId, "user", user.path, user.userName);
};

/** AWS refuses to delete a user that still has keys, a password, policies or groups (DeleteConflict). */
export const deleteUser: Op<"DeleteUser"> = (input, ctx) => {
  const state = iamState(ctx);
  const user = findUser(ctx, input.UserName);
  if (Object.values(state.accessKeys).some((k) => nameKey(k.userName) === nameKey(user.userName))) throw deleteConflict("Cannot delete entity, must delete access keys first.");
  if (user.loginProfile) throw deleteConflict("Cannot delete entity, must delete login profile first.");
  if (Object.keys(user.inlinePolicies).length > 0) throw deleteConflict("Cannot delete entity, must delete policies first.");
  if (user.attachedPolicies.length > 0) throw deleteConflict("Cannot delete entity, must detach all policies first.");
  if (user.groups.length > 0) throw deleteConflict("Cannot delete entity, must remove users from group first.");
  delete state.users[nameKey(user.userName)];
};

export const tagUser: Op<"TagUser"> = (input, ctx) => {
  const user = findUser(ctx, input.UserName);
  user.tags = applyTags(user.tags, input.Tags);
};

export const untagUser: Op<"UntagUser"> = (input, ctx) => {
  const user = findUser(ctx, input.UserName);
  user.tags = removeTags(user.tags, input.TagKeys);
};

export const listUserTags: Op<"ListUserTags"> = (input, ctx) => {
  const page = paginate(findUser(ctx, input.UserName).tags, input.Marker, input.MaxItems);
  return { Tags: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
};

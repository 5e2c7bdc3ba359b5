import { callerPrincipalId } from "../../src/types/caller.js";
import type { LoginProfile } from "../../src/generated/types/iam.js";
import type { CallContext } from "../../src/types/service.js";
import { entityAlreadyExists, noSuchEntity, noSuchUser, validationError } from "./errors.js";
import type { Op } from "./op.js";
import { iamState, type StoredUser } from "./state.js";
import { checkPassword } from "./password-policy.js";
import { findUser } from "./users.js";
import { hashPassword } from "./passwords.js";

/** The user a login-profile call is about: the one named, else the calling IAM user. */
function targetUser(ctx: CallContext, userName: string | undefined): StoredUser {
  if (userName !== undefined) return findUser(ctx, userName);
  if (ctx.caller.type === "IAMUser") return findUser(ctx, ctx.caller.userName);
  // Only an AssumeRoot session may omit the name for the root; those sessions are not modelled.
  throw noSuchUser(ctx.caller.type === "Root" ? "root" : ctx.caller.type === "AssumedRole" ? ctx.caller.sessionName : callerPrincipalId(ctx.caller));
}

function profileOf(user: StoredUser): NonNullable<StoredUser["loginProfile"]> {
  if (!user.loginProfile) throw noSuchEntity(`Login Profile for User ${user.userName} cannot be found.`);
  return user.loginProfile;
}

const toLoginProfile = (user: StoredUser, p: NonNullable<StoredUser["loginProfile"]>): LoginProfile => ({
  UserName: user.userName,
  CreateDate: new Date(p.createDate),
  PasswordResetRequired: p.passwordResetRequired,
});

/** The password is kept only as a salted hash, which console sign-in checks (sign-in.ts). */
export const createLoginProfile: Op<"CreateLoginProfile"> = async (input, ctx) => {
  const user = targetUser(ctx, input.UserName);
  // The model lets Password go for AssumeRoot sessions; every other caller must give one.
  if (input.Password === undefined) throw validationError("1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null");
  if (user.loginProfile) throw entityAlreadyExists(`Login Profile for user ${user.userName} already exists.`);
  checkPassword(iamState(ctx).passwordPolicy, input.Password);
  user.loginProfile = { createDate: ctx.now.toISOString(), passwordResetRequired: input.PasswordResetRequired ?? false, passwordHash: await hashPassword(input.Password) };
  return { LoginProfile: toLoginProfile(user, user.loginProfile) };
};

export const getLoginProfile: Op<"GetLoginProfile"> = (input, ctx) => {
  const user = targetUser(ctx, input.UserName);
  return { LoginProfile: toLoginProfile(user, profileOf(user)) };
};

export const updateLoginProfile: Op<"UpdateLoginProfile"> = async (input, ctx) => {
  const profile = profileOf(findUser(ctx, input.UserName));
  if (input.Password !== undefined) {
    checkPassword(iamState(ctx).passwordPolicy, input.Password);
    profile.passwordHash = await hashPassword(input.Password);
  }
  if (input.PasswordResetRequired !== undefined) profile.passwordResetRequired = input.PasswordResetRequired;
};

export const deleteLoginProfile: Op<"DeleteLoginProfile"> = (input, ctx) => {
  const user = targetUser(ctx, input.UserName);
  profileOf(user);
  delete user.loginProfile;
};

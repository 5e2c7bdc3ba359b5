import type { PasswordPolicy } from "../../src/generated/types/iam.js";
import { AwsError } from "../../src/types/aws-error.js";
import { noSuchEntity } from "./errors.js";
import type { Op } from "./op.js";
import { iamState } from "./state.js";

/**
 * The account password policy (IAM API Reference, UpdateAccountPasswordPolicy): a member left out takes its
 * default (minimum length 6, no character classes, no expiry, no reuse prevention), and GetAccountPasswordPolicy
 * answers the policy as stored. Passwords set through CreateLoginProfile and UpdateLoginProfile must conform.
 */
export const updateAccountPasswordPolicy: Op<"UpdateAccountPasswordPolicy"> = (input, ctx) => {
  const maxAge = input.MaxPasswordAge ?? 0;
  iamState(ctx).passwordPolicy = {
    MinimumPasswordLength: input.MinimumPasswordLength ?? 6,
    RequireSymbols: input.RequireSymbols ?? false,
    RequireNumbers: input.RequireNumbers ?? false,
    RequireUppercaseCharacters: input.RequireUppercaseCharacters ?? false,
    RequireLowercaseCharacters: input.RequireLowercaseCharacters ?? false,
    AllowUsersToChangePassword: input.AllowUsersToChangePassword ?? false,
    ExpirePasswords: maxAge > 0,
    ...(maxAge > 0 ? { MaxPasswordAge: maxAge } : {}),
    ...(input.PasswordReusePrevention ? { PasswordReusePrevention: input.PasswordReusePrevention } : {}),
    ...(input.HardExpiry !== undefined ? { HardExpiry: input.HardExpiry } : {}),
  };
};

export const getAccountPasswordPolicy: Op<"GetAccountPasswordPolicy"> = (_input, ctx) => {
  const policy = iamState(ctx).passwordPolicy;
  if (!policy) throw noPolicy(ctx.accountId);
  return { PasswordPolicy: policy };
};

export const deleteAccountPasswordPolicy: Op<"DeleteAccountPasswordPolicy"> = (_input, ctx) => {
  const state = iamState(ctx);
  if (!state.passwordPolicy) throw noPolicy(ctx.accountId);
  delete state.passwordPolicy;
};

const noPolicy = (accountId: string) => noSuchEntity(`The Password Policy with domain name ${accountId} cannot be found.`);

/** Refuses a password the account's policy does not allow, with IAM's PasswordPolicyViolation and its reason. */
export function checkPassword(policy: PasswordPolicy | undefined, password: string): void {
  if (!policy) return;
  const violation = (message: string) => new AwsError("PasswordPolicyViolationException", message);
  if (password.length < (policy.MinimumPasswordLength ?? 6)) throw violation(`Password should have a minimum length of ${policy.MinimumPasswordLength}`);
  if (policy.RequireLowercaseCharacters && !/[a-z]/.test(password)) throw violation("Password should have at least one lowercase letter");
  if (policy.RequireUppercaseCharacters && !/[A-Z]/.test(password)) throw violation("Password should have at least one uppercase letter");
  if (policy.RequireNumbers && !/[0-9]/.test(password)) throw violation("Password should have at least one number");
  if (policy.RequireSymbols && !/[^A-Za-z0-9]/.test(password)) throw violation("Password should have at least one symbol");
}

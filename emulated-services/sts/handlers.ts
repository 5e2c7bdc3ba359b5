import { callerArn, callerPrincipalId } from "../../src/types/caller.js";
import { findRoleByArn, markRoleUsed } from "../iam/directory.js";
import { accessDenied, validationError } from "./errors.js";
import type { Op } from "./op.js";
import { issueRoleSession, issueSession } from "./sessions.js";
import type { StoredSession } from "./state.js";
import type { Credentials } from "../../src/generated/types/sts.js";
import { trustPolicyAllows } from "./trust-policy.js";
import { decodeAuthorizationMessage as decodeMessage } from "../../src/enforcement/encoded-message.js";
import { AwsError } from "../../src/types/aws-error.js";
import { accountOfAccessKeyId } from "../iam/ids.js";
import { DEFAULT_ACCOUNT } from "../../src/auth/identity.js";

/** Reads EC2's encoded authorization failure message (only what this emulator encoded decodes). */
export const decodeAuthorizationMessage: Op<"DecodeAuthorizationMessage"> = (input) => {
  const decoded = decodeMessage(input.EncodedMessage);
  if (decoded === undefined) throw new AwsError("InvalidAuthorizationMessageException", "The message is not valid.", { status: 400 });
  return { DecodedMessage: decoded };
};

export const getCallerIdentity: Op<"GetCallerIdentity"> = (_input, ctx) => ({
  UserId: callerPrincipalId(ctx.caller),
  Account: ctx.accountId,
  Arn: callerArn(ctx.caller),
});

/**
 * A service that assumes a role on its own (Lambda its execution role) asks for no duration and gets 12-hour
 * credentials whatever the role's maximum: AWS's records of Lambda's AssumeRole have no durationSeconds and an
 * expiration 12 hours after the call.
 */
const SERVICE_SESSION_SECONDS = 12 * 3600;

export const assumeRole: Op<"AssumeRole"> = (input, ctx) => {
  const role = findRoleByArn(ctx.state, input.RoleArn);
  const refused = accessDenied(`User: ${callerArn(ctx.caller)} is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`);
  const trusted =
    role &&
    trustPolicyAllows(role.assumeRolePolicyDocument, role.arn, { caller: ctx.caller }, ctx, {
      "sts:ExternalId": input.ExternalId,
      "sts:RoleSessionName": input.RoleSessionName,
      "sts:SourceIdentity": input.SourceIdentity,
    });
  if (!trusted) throw refused;
  const duration = input.DurationSeconds ?? (ctx.caller.type === "AWSService" ? SERVICE_SESSION_SECONDS : 3600);
  if (input.DurationSeconds !== undefined && duration > role.maxSessionDuration) {
    throw validationError(
      `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`,
    );
  }
  const accountId = input.RoleArn.split(":")[4]!;
  // A source identity, once set, stays with every session chained from it (IAM User Guide, "Monitor and control actions taken with assumed roles").
  const sourceIdentity = ctx.caller.session?.sourceIdentity ?? input.SourceIdentity;
  const sessionPolicies = { policy: input.Policy, policyArns: input.PolicyArns?.flatMap((p) => (p.arn ? [p.arn] : [])) };
  const session = issueRoleSession(ctx.state, ctx.env.ids, role, input.RoleSessionName, ctx.now, duration, sourceIdentity, sessionPolicies);
  markRoleUsed(ctx.state, role.arn, ctx.region, ctx.now);
  return {
    Credentials: credentialsOf(session),
    AssumedRoleUser: {
      AssumedRoleId: `${role.roleId}:${input.RoleSessionName}`,
      Arn: `arn:aws:sts::${accountId}:assumed-role/${role.roleName}/${input.RoleSessionName}`,
    },
    PackedPolicySize: input.Policy ? Math.min(100, Math.ceil(input.Policy.length / 20)) : undefined,
    SourceIdentity: sourceIdentity,
  };
};

/** Temporary credentials for the calling user or root; AWS refuses callers that are already temporary. */
export const getSessionToken: Op<"GetSessionToken"> = (input, ctx) => {
  const caller = ctx.caller;
  if (caller.session || caller.type === "AWSService" || caller.type === "WebIdentityUser") throw accessDenied("Cannot call GetSessionToken with session credentials");
  const duration = input.DurationSeconds ?? 43200;
  const session = issueSession(ctx.state, ctx.env.ids, { ...caller, session: { createdAt: ctx.now, mfaAuthenticated: input.TokenCode !== undefined } }, ctx.now, duration);
  return {
    Credentials: credentialsOf(session),
  };
};

/** The Credentials structure STS answers with for a session it issued. */
export function credentialsOf(session: StoredSession): Credentials {
  return {
    AccessKeyId: session.accessKeyId,
    SecretAccessKey: session.secretAccessKey,
    SessionToken: session.sessionToken,
    Expiration: new Date(session.expiration),
  };
}

/**
 * The account an access key belongs to, read from the key itself as AWS does (the account is encoded in every
 * key id AWS and localtrail issue); the emulator's default keys (`test`, a 12-digit id) name their account too.
 */
export const getAccessKeyInfo: Op<"GetAccessKeyInfo"> = (input) => {
  const id = input.AccessKeyId;
  const account = accountOfAccessKeyId(id) ?? (id === "test" ? DEFAULT_ACCOUNT : /^\d{12}$/.test(id) ? id : undefined);
  // AWS's answer for a key that encodes no account is not documented; localtrail refuses it as malformed.
  if (account === undefined) throw validationError("The access key ID is not valid.");
  return { Account: account };
};

import { formatDate } from "../../src/recorder/shape-record.js";
import { AwsError } from "../../src/types/aws-error.js";
import type { WebIdentityCaller } from "../../src/types/caller.js";
import { findOidcProviderByIssuer, findRoleByArn, markRoleUsed } from "../iam/directory.js";
import { validationError } from "./errors.js";
import type { Op } from "./op.js";
import { issueSession } from "./sessions.js";
import { credentialsOf } from "./handlers.js";
import { trustPolicyAllows } from "./trust-policy.js";

/**
 * STS AssumeRoleWithWebIdentity with IAM OIDC providers (STS API Reference; IAM User Guide, "OIDC federation").
 * The call is unsigned: the ID token authenticates. Its issuer (`iss`) must be an OIDC provider of the role's
 * account, its audience one of that provider's client ids, its times current (five minutes of skew allowed
 * past `exp`), and the role's trust policy must allow `sts:AssumeRoleWithWebIdentity` to the provider
 * (`"Federated": "<provider ARN>"`) under conditions on `<provider url>:aud`, `:sub`, `:amr`, `:oaud`, `:email`.
 *
 * Signatures: a token signed by localtrail's own issuer (src/control/oidc-issuer.ts) is verified with its key,
 * whatever issuer it names; a token signed by any other key cannot be checked without fetching that issuer's
 * JWKS, which localtrail never does, so its claims alone are checked.
 */

const invalidToken = (message: string) => new AwsError("InvalidIdentityTokenException", message);
const expiredToken = (message: string) => new AwsError("ExpiredTokenException", message);
const rejectedClaim = (message: string) => new AwsError("IDPRejectedClaimException", message);
/** AWS says no more about a refused role, whether it exists, trusts someone else or set conditions the token fails. */
const notAuthorized = () => new AwsError("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity", { status: 403 });

/** IAM accepts an ID token up to five minutes past its `exp` for clock skew (IAM User Guide, "OIDC federation"). */
const SKEW_SECONDS = 300;

interface Claims {
  iss?: unknown;
  sub?: unknown;
  aud?: unknown;
  azp?: unknown;
  exp?: unknown;
  nbf?: unknown;
  amr?: unknown;
  email?: unknown;
  [claim: string]: unknown;
}

function decode(token: string): Claims {
  const parts = token.split(".");
  const notJwt = () => invalidToken("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
  if (parts.length !== 3) throw notJwt();
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8")) as unknown;
    const claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as unknown;
    if (!header || typeof header !== "object" || !claims || typeof claims !== "object" || Array.isArray(claims)) throw notJwt();
    return claims as Claims;
  } catch {
    throw notJwt();
  }
}

/**
 * What an ID token asks of the session beside the role (IAM User Guide, "Pass session tags using
 * AssumeRoleWithWebIdentity", "Monitor and control actions taken with assumed roles"): a source identity and
 * session tags. Never throws: the record is written from it too, malformed tokens included.
 */
export function sessionRequests(token: string | undefined): { sourceIdentity?: string; principalTags?: Record<string, string>; transitiveTagKeys?: string[] } {
  let claims: Claims;
  try {
    claims = decode(token ?? "");
  } catch {
    return {};
  }
  const source = claims["https://aws.amazon.com/source_identity"];
  const tags = claims["https://aws.amazon.com/tags"] as { principal_tags?: Record<string, unknown>; transitive_tag_keys?: unknown } | undefined;
  const principalTags: Record<string, string> = {};
  // Each tag's value is a list of one string in the token.
  for (const [k, v] of Object.entries(tags?.principal_tags ?? {})) {
    const value = strings(v)[0];
    if (value !== undefined) principalTags[k] = value;
  }
  const transitive = strings(tags?.transitive_tag_keys);
  return {
    sourceIdentity: typeof source === "string" ? source : undefined,
    principalTags: Object.keys(principalTags).length > 0 ? principalTags : undefined,
    transitiveTagKeys: transitive.length > 0 ? transitive : undefined,
  };
}

const strings = (v: unknown): string[] => (typeof v === "string" ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

export const assumeRoleWithWebIdentity: Op<"AssumeRoleWithWebIdentity"> = (input, ctx) => {
  const claims = decode(input.WebIdentityToken);
  const issuer = typeof claims.iss === "string" ? claims.iss : undefined;
  if (!issuer) throw invalidToken("The ID Token provided does not contain an issuer (iss).");
  const accountId = /^arn:aws:iam::(\d{12}):role\//.exec(input.RoleArn)?.[1];
  // No account to record it in: AWS does not record what it cannot attribute, and neither does localtrail.
  if (!accountId) throw validationError(`${input.RoleArn} is not a valid role ARN.`);
  const provider = findOidcProviderByIssuer(ctx.state, accountId, issuer);
  const subject = typeof claims.sub === "string" ? claims.sub : "";
  const audiences = strings(claims.aud);
  // IAM matches the provider's client ids against `azp` when the token has one, else against `aud`.
  const clientId = typeof claims.azp === "string" ? claims.azp : audiences.find((a) => provider?.clientIds.includes(a)) ?? audiences[0] ?? "";
  // From here the call is attributable: recorded as this web identity, in the role's account.
  const caller: WebIdentityCaller = {
    type: "WebIdentityUser",
    accountId,
    accessKeyId: "",
    identity: { provider: provider?.arn ?? issuer.replace(/^https:\/\//i, ""), audience: clientId, subject },
  };
  ctx.identifyCaller(caller);
  if (!provider) throw invalidToken(`No OpenIDConnect provider found in your account for ${issuer}`);
  if (ctx.env.webIdentityIssuer.verify(input.WebIdentityToken) === "bad-signature") throw invalidToken("The ID Token signature could not be verified with the issuer's key.");
  if (!provider.clientIds.includes(clientId)) throw invalidToken("Incorrect token audience");
  checkTimes(claims, ctx.now);
  if (subject === "") throw rejectedClaim("The ID Token provided has no subject (sub).");

  const role = findRoleByArn(ctx.state, input.RoleArn);
  const asked = sessionRequests(input.WebIdentityToken);
  const keys = conditionKeys(provider.url, claims, clientId, audiences);
  const trusted =
    role &&
    trustPolicyAllows(role.assumeRolePolicyDocument, role.arn, { caller }, ctx, keys, "sts:AssumeRoleWithWebIdentity", asked.principalTags) &&
    // Session tags in the token need sts:TagSession in the trust policy as well (IAM User Guide, "Passing session tags using AssumeRoleWithWebIdentity").
    (!asked.principalTags || trustPolicyAllows(role.assumeRolePolicyDocument, role.arn, { caller }, ctx, keys, "sts:TagSession", asked.principalTags));
  if (!trusted) throw notAuthorized();
  const duration = input.DurationSeconds ?? 3600;
  if (duration > role.maxSessionDuration) throw validationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");

  const sourceIdentity = asked.sourceIdentity;
  const session = issueSession(
    ctx.state,
    ctx.env.ids,
    {
      type: "AssumedRole",
      accountId,
      roleName: role.roleName,
      roleId: role.roleId,
      roleArn: role.arn,
      sessionName: input.RoleSessionName,
      session: {
        createdAt: ctx.now,
        mfaAuthenticated: false,
        sourceIdentity,
        policy: input.Policy,
        policyArns: input.PolicyArns?.flatMap((p) => (p.arn ? [p.arn] : [])),
        webIdentity: { federatedProvider: provider.arn },
        tags: asked.principalTags,
      },
    },
    ctx.now,
    duration,
  );
  markRoleUsed(ctx.state, role.arn, ctx.region, ctx.now);
  return {
    Credentials: credentialsOf(session),
    SubjectFromWebIdentityToken: subject,
    AssumedRoleUser: {
      AssumedRoleId: `${role.roleId}:${input.RoleSessionName}`,
      Arn: `arn:aws:sts::${accountId}:assumed-role/${role.roleName}/${input.RoleSessionName}`,
    },
    PackedPolicySize: input.Policy ? Math.min(100, Math.ceil(input.Policy.length / 20)) : undefined,
    Provider: provider.arn,
    Audience: clientId,
    SourceIdentity: sourceIdentity,
  };
};

/** `exp` must be present and not passed (beyond the skew), `nbf` (when present) reached. */
function checkTimes(claims: Claims, now: Date): void {
  const seconds = Math.floor(now.getTime() / 1000);
  if (typeof claims.exp !== "number") throw invalidToken("The ID Token provided does not contain an expiration time (exp).");
  if (seconds > claims.exp + SKEW_SECONDS) throw expiredToken(`Token expired: current date/time ${seconds} must be before the expiration date/time ${claims.exp}`);
  if (typeof claims.nbf === "number" && seconds + SKEW_SECONDS < claims.nbf) throw invalidToken(`Token not yet valid: current date/time ${seconds} must be after the not-before date/time ${claims.nbf}`);
}

/**
 * The trust policy's condition keys of an OIDC provider, named by its URL (IAM User Guide, "Available keys for
 * OIDC federation"): `aud` is the client id that matched (azp when present), `oaud` the token's other audiences,
 * `sub`, and `amr` and `email` when the token has them.
 */
function conditionKeys(url: string, claims: Claims, clientId: string, audiences: string[]): Record<string, string[]> {
  const keys: Record<string, string[]> = { [`${url}:aud`]: [clientId], [`${url}:sub`]: strings(claims.sub) };
  const others = audiences.filter((a) => a !== clientId);
  if (others.length > 0) keys[`${url}:oaud`] = others;
  if (claims.amr !== undefined) keys[`${url}:amr`] = strings(claims.amr);
  if (typeof claims.email === "string") keys[`${url}:email`] = [claims.email];
  return keys;
}

/**
 * STS's current records write the expiration as today's Java does, `Jul 9, 2024, 4:41:37 PM` (UTC), with a
 * comma after the year (the 2023 SAML and 2024 OIDC examples of the IAM User Guide).
 */
export const stsRecordDate = (d: Date) => formatDate(d, "javaComma") as string;

import { callerArn, callerPrincipalId, type Caller } from "../types/caller.js";
import type { SessionContext, UserIdentity } from "../types/cloudtrail-record.js";
import { isoSeconds } from "../protocols/timestamps.js";

/** The record's userIdentity for a caller, in AWS's key order (reference/cloudtrail.md §2.3). */
export function userIdentity(caller: Caller): UserIdentity {
  if (caller.type === "AWSService") return { type: "AWSService", invokedBy: caller.invokedBy };
  // No ARN, account or key: the provider vouches (IAM User Guide, "Example OIDC AWS STS API event in CloudTrail log file").
  if (caller.type === "WebIdentityUser") {
    return { type: "WebIdentityUser", principalId: callerPrincipalId(caller), userName: caller.identity?.subject, identityProvider: caller.identity?.provider };
  }
  const base: UserIdentity = {
    type: caller.type,
    principalId: callerPrincipalId(caller),
    arn: callerArn(caller),
    accountId: caller.accountId,
    accessKeyId: caller.accessKeyId,
  };
  switch (caller.type) {
    case "Root": {
      // The root has no user name; CloudTrail writes the account's alias there when one is set.
      const named = caller.accountAlias === undefined ? base : { ...base, userName: caller.accountAlias };
      return caller.session ? { ...named, sessionContext: sessionContext(caller) } : named;
    }
    case "IAMUser":
      return caller.session ? { ...base, userName: caller.userName, sessionContext: sessionContext(caller) } : { ...base, userName: caller.userName };
    case "AssumedRole":
      return {
        ...base,
        sessionContext: {
          sessionIssuer: {
            type: "Role",
            principalId: caller.roleId,
            arn: caller.roleArn,
            accountId: caller.accountId,
            userName: caller.roleName,
          },
          // A web identity session names its provider; AWS writes the token's attributes as {} (its documented records).
          webIdFederationData: caller.session.webIdentity ? { federatedProvider: caller.session.webIdentity.federatedProvider, attributes: {} } : {},
          attributes: attributes(caller),
          ...(caller.session.sourceIdentity !== undefined && { sourceIdentity: caller.session.sourceIdentity }),
        },
      };
  }
}

/** Temporary credentials of a user or the root (GetSessionToken) carry session attributes and an empty issuer. */
function sessionContext(caller: Caller): SessionContext {
  return { sessionIssuer: {}, webIdFederationData: {}, attributes: attributes(caller) };
}

function attributes(caller: Caller): SessionContext["attributes"] {
  return {
    creationDate: isoSeconds(caller.session!.createdAt),
    mfaAuthenticated: caller.session!.mfaAuthenticated ? "true" : "false",
  };
}

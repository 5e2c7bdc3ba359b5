/**
 * Who made a call, resolved from the access key that signed it. The recorder turns this into the record's
 * userIdentity; handlers use it for ownership (account) and for GetCallerIdentity.
 */
export interface SessionFacts {
  createdAt: Date;
  mfaAuthenticated: boolean;
  /** AssumeRole's SourceIdentity, kept by every session chained from this one. */
  sourceIdentity?: string;
  /**
   * Credentials the console made for a signed-in principal: its calls' records end with
   * `sessionCredentialFromConsole: "true"` (reference/console.md §4.1).
   */
  fromConsole?: boolean;
  /** AssumeRole's session policies: the inline `Policy` and the managed `PolicyArns` (they only limit). */
  policy?: string;
  policyArns?: string[];
  /** A session from AssumeRoleWithWebIdentity: its records' sessionContext.webIdFederationData names the provider. */
  webIdentity?: { federatedProvider: string };
  /** Session tags (from a web identity token): the session's aws:PrincipalTag, over the role's own tags. */
  tags?: Record<string, string>;
}

interface CallerBase {
  accountId: string;
  accessKeyId: string;
  /** Present when the call was signed with temporary credentials (GetSessionToken, AssumeRole). */
  session?: SessionFacts;
}

export interface RootCaller extends CallerBase {
  type: "Root";
  /** The account's alias when it has one: CloudTrail writes it as the root's userName. */
  accountAlias?: string;
}

export interface IamUserCaller extends CallerBase {
  type: "IAMUser";
  userName: string;
  userId: string;
  arn: string;
}

export interface AssumedRoleCaller extends CallerBase {
  type: "AssumedRole";
  roleName: string;
  roleId: string;
  /** The role's ARN, path included (sessionIssuer.arn keeps the path, the assumed-role ARN drops it). */
  roleArn: string;
  sessionName: string;
  session: SessionFacts;
}

/**
 * An AWS service acting on its own (Lambda assuming an execution role, CloudTrail writing log files, EventBridge
 * invoking a target): recorded as `{"type":"AWSService","invokedBy":"<service principal>"}` with the principal as
 * source address and user agent (reference/cloudtrail.md §2.3). It acts in `accountId`, the account whose
 * resource it uses. Built only by the engine's service-call mechanism, never from an access key.
 */
export interface AwsServiceCaller {
  type: "AWSService";
  /** The service principal, e.g. `lambda.amazonaws.com`. */
  invokedBy: string;
  accountId: string;
  accessKeyId: "";
  session?: undefined;
  /** The resource the service acts for (aws:SourceArn; its account is aws:SourceAccount). */
  sourceArn?: string;
}

/**
 * A caller who signs nothing and presents an identity provider's token instead (STS AssumeRoleWithWebIdentity).
 * Auth admits it only to operations the model marks unsigned. It is anonymous (`accountId` "") until the handler
 * has read a token that names an OIDC provider of the role's account; an anonymous call is not recorded, as AWS
 * does not record unsigned requests too invalid to attribute. Recorded as `WebIdentityUser` (reference/cloudtrail.md §2.3).
 */
export interface WebIdentityCaller {
  type: "WebIdentityUser";
  accountId: string;
  accessKeyId: "";
  session?: undefined;
  /** The IAM OIDC provider's ARN, the token's audience and subject, once the token has been read. */
  identity?: { provider: string; audience: string; subject: string };
}

export type Caller = RootCaller | IamUserCaller | AssumedRoleCaller | AwsServiceCaller | WebIdentityCaller;

/** A caller before its access key exists (STS builds one, then issues the key). */
export type CallerWithoutKey = Omit<RootCaller, "accessKeyId"> | Omit<IamUserCaller, "accessKeyId"> | Omit<AssumedRoleCaller, "accessKeyId">;

/** A principal that signs with access keys: everyone but an AWS service and a web identity. */
export type KeyedCaller = RootCaller | IamUserCaller | AssumedRoleCaller;

/** The ARN a caller is known by: the principal of GetCallerIdentity and of userIdentity.arn. */
export function callerArn(caller: Caller): string {
  switch (caller.type) {
    case "Root":
      return `arn:aws:iam::${caller.accountId}:root`;
    case "IAMUser":
      return caller.arn;
    case "AssumedRole":
      return `arn:aws:sts::${caller.accountId}:assumed-role/${caller.roleName}/${caller.sessionName}`;
    case "AWSService":
      return caller.invokedBy;
    // A web identity has no ARN of its own: the provider that vouches for it is what policies and messages name.
    case "WebIdentityUser":
      return caller.identity?.provider ?? "";
  }
}

/** The principal id AWS reports for a caller (GetCallerIdentity UserId, userIdentity.principalId). */
export function callerPrincipalId(caller: Caller): string {
  switch (caller.type) {
    case "Root":
      return caller.accountId;
    case "IAMUser":
      return caller.userId;
    case "AssumedRole":
      return `${caller.roleId}:${caller.sessionName}`;
    case "AWSService":
      return caller.invokedBy;
    // `<provider ARN>:<audience>:<subject>` (IAM User Guide, "Example OIDC AWS STS API event in CloudTrail log file").
    case "WebIdentityUser":
      return caller.identity ? `${caller.identity.provider}:${caller.identity.audience}:${caller.identity.subject}` : "";
  }
}

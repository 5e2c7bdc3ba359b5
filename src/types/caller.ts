/**
 * Who made a call, resolved from the access key that signed it. The recorder turns this into the record's
 * userIdentity; handlers use it for ownership (account) and for GetCallerIdentity.
 */
export interface SessionFacts {
  createdAt: Date;
  mfaAuthenticated: boolean;
  /** AssumeRole's SourceIdentity, kept by every session chained from this one. */
  sourceIdentity?: string;
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

export type Caller = RootCaller | IamUserCaller | AssumedRoleCaller;

/** A caller before its access key exists (STS builds one, then issues the key). */
export type CallerWithoutKey = Omit<RootCaller, "accessKeyId"> | Omit<IamUserCaller, "accessKeyId"> | Omit<AssumedRoleCaller, "accessKeyId">;

/** The ARN a caller is known by: the principal of GetCallerIdentity and of userIdentity.arn. */
export function callerArn(caller: Caller): string {
  switch (caller.type) {
    case "Root":
      return `arn:aws:iam::${caller.accountId}:root`;
    case "IAMUser":
      return caller.arn;
    case "AssumedRole":
      return `arn:aws:sts::${caller.accountId}:assumed-role/${caller.roleName}/${caller.sessionName}`;
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
  }
}

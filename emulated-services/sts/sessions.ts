import type { Caller, CallerWithoutKey } from "../../src/types/caller.js";
import type { Ids } from "../../src/types/service.js";
import type { StateView } from "../../src/state/store.js";
import { stsStateOf, type StoredSession } from "./state.js";
import type { RoleInfo } from "../iam/directory.js";
import { accessKeyId as newAccessKeyId } from "../iam/ids.js";

/**
 * Issues temporary credentials (ASIA... with a session token) for a caller and keeps them, so auth can
 * resolve calls signed with them. Used by AssumeRole, GetSessionToken and by Lambda for execution roles.
 */
export function issueSession(state: StateView, ids: Ids, caller: CallerWithoutKey, now: Date, durationSeconds: number): StoredSession {
  const sts = stsStateOf(state, caller.accountId);
  for (const [id, s] of Object.entries(sts.sessions)) if (Date.parse(s.expiration) < now.getTime()) delete sts.sessions[id];
  const accessKeyId = newAccessKeyId(ids, caller.accountId, "ASIA");
  const session: StoredSession = {
    accessKeyId,
    secretAccessKey: ids.alnum(40),
    // Shaped like AWS's tokens: long and base64; only its exact value matters.
    sessionToken: "IQoJb3JpZ2luX2VjE" + Buffer.from(ids.alnum(180)).toString("base64"),
    expiration: new Date(now.getTime() + durationSeconds * 1000).toISOString(),
    caller: { ...caller, accessKeyId } as Caller,
  };
  sts.sessions[accessKeyId] = session;
  return session;
}

/**
 * A session of a role (AssumeRole, a Lambda function's execution role): calls signed with it are an
 * AssumedRole caller `arn:aws:sts::<account>:assumed-role/<role>/<sessionName>`.
 */
export function issueRoleSession(
  state: StateView,
  ids: Ids,
  role: RoleInfo,
  sessionName: string,
  now: Date,
  durationSeconds: number,
  sourceIdentity?: string,
  sessionPolicies: { policy?: string; policyArns?: string[] } = {},
): StoredSession {
  return issueSession(
    state,
    ids,
    {
      type: "AssumedRole",
      accountId: role.arn.split(":")[4]!,
      roleName: role.roleName,
      roleId: role.roleId,
      roleArn: role.arn,
      sessionName,
      session: { createdAt: now, mfaAuthenticated: false, sourceIdentity, ...sessionPolicies },
    },
    now,
    durationSeconds,
  );
}

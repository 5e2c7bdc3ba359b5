import type { AuthorizationSource, PolicyDocument, PrincipalPolicies } from "../../src/types/authorization.js";
import type { Caller } from "../../src/types/caller.js";
import type { StateView } from "../../src/state/store.js";
import { findAwsManagedPolicy } from "./aws-managed-policies.js";
import { iamStateOf, nameKey, type IamState, type PolicyHolder, type StoredTag, type StoredUser } from "./state.js";

/**
 * What IAM tells enforcement: the policies of a user (inline, managed and its groups') or of a role, with its
 * permissions boundary and tags; managed policies by ARN (AWS managed included); and, for `sts:` actions on a
 * role, its trust policy as the role's resource-based policy.
 */
export function iamAuthorizationSource(state: StateView): AuthorizationSource {
  const iamOf = (accountId: string) => iamStateOf(state, accountId);
  return {
    principalPolicies: (caller) => principalPolicies(iamOf, caller),
    managedPolicy: (arn) => managedPolicy(iamOf, arn),
    resource(arn, action) {
      const m = /^arn:aws:iam::(\d{12}):(user|role|policy)\/(?:.*\/)?([^/]+)$/.exec(arn);
      if (!m) return undefined;
      const iam = iamOf(m[1]!);
      if (m[2] === "policy") return { tags: tags(iam.policies[arn]?.tags) };
      if (m[2] === "user") return { tags: tags(iam.users[nameKey(m[3]!)]?.tags) };
      const role = iam.roles[nameKey(m[3]!)];
      if (!role || role.arn !== arn) return action.startsWith("sts:") ? { policyKind: "trust" } : undefined;
      if (!action.startsWith("sts:")) return { tags: tags(role.tags) };
      return { policyKind: "trust", policy: { document: role.assumeRolePolicyDocument, name: `the trust policy of role ${role.roleName}` }, tags: tags(role.tags) };
    },
  };
}

function principalPolicies(iamOf: (accountId: string) => IamState, caller: Caller): PrincipalPolicies | undefined {
  if (caller.type !== "IAMUser" && caller.type !== "AssumedRole") return undefined;
  const iam = iamOf(caller.accountId);
  if (caller.type === "AssumedRole") {
    const role = iam.roles[nameKey(caller.roleName)];
    if (!role || role.roleId !== caller.roleId) return { identity: [], tags: {} };
    return { identity: holderPolicies(iamOf, role, "role", role.roleName), boundary: boundaryOf(iamOf, role), tags: tags(role.tags) ?? {} };
  }
  const user = iam.users[nameKey(caller.userName)];
  // A user deleted and re-created under the same name is another principal (a new unique id).
  if (!user || user.userId !== caller.userId) return { identity: [], tags: {} };
  return { identity: userPolicies(iamOf, iam, user), boundary: boundaryOf(iamOf, user), tags: tags(user.tags) ?? {} };
}

function userPolicies(iamOf: (accountId: string) => IamState, iam: IamState, user: StoredUser): PolicyDocument[] {
  const identity = holderPolicies(iamOf, user, "user", user.userName);
  for (const name of user.groups) {
    const group = iam.groups[nameKey(name)];
    if (group) identity.push(...holderPolicies(iamOf, group, "group", group.groupName));
  }
  return identity;
}

/** The policies of the user, group or role an ARN names (IAM's policy simulator), or undefined if there is none. */
export function entityPolicies(state: StateView, arn: string): { identity: PolicyDocument[]; boundary?: PolicyDocument } | undefined {
  const m = /^arn:aws:iam::(\d{12}):(user|group|role)\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (!m) return undefined;
  const iamOf = (accountId: string) => iamStateOf(state, accountId);
  const iam = iamOf(m[1]!);
  const key = nameKey(m[3]!);
  if (m[2] === "user") {
    const user = iam.users[key];
    return user && user.arn === arn ? { identity: userPolicies(iamOf, iam, user), boundary: boundaryOf(iamOf, user) } : undefined;
  }
  if (m[2] === "group") {
    const group = iam.groups[key];
    return group && group.arn === arn ? { identity: holderPolicies(iamOf, group, "group", group.groupName) } : undefined;
  }
  const role = iam.roles[key];
  return role && role.arn === arn ? { identity: holderPolicies(iamOf, role, "role", role.roleName), boundary: boundaryOf(iamOf, role) } : undefined;
}

function holderPolicies(iamOf: (accountId: string) => IamState, holder: PolicyHolder, kind: "user" | "group" | "role", owner: string): PolicyDocument[] {
  const docs: PolicyDocument[] = Object.entries(holder.inlinePolicies).map(([name, document]) => ({ document, name: `inline policy ${name} of ${kind} ${owner}`, source: { id: name, type: kind } }));
  for (const arn of holder.attachedPolicies) {
    const doc = managedPolicy(iamOf, arn);
    if (doc) docs.push(doc);
  }
  return docs;
}

function boundaryOf(iamOf: (accountId: string) => IamState, holder: PolicyHolder): PolicyDocument | undefined {
  if (!holder.permissionsBoundary) return undefined;
  // A boundary whose policy no longer exists allows nothing.
  return managedPolicy(iamOf, holder.permissionsBoundary) ?? { document: "{}", name: holder.permissionsBoundary, arn: holder.permissionsBoundary };
}

function managedPolicy(iamOf: (accountId: string) => IamState, arn: string): PolicyDocument | undefined {
  const aws = findAwsManagedPolicy(arn);
  if (aws) return { document: aws.document, name: arn, arn, source: { id: aws.policyName, type: "aws-managed" } };
  const account = /^arn:aws:iam::(\d{12}):policy\//.exec(arn)?.[1];
  const policy = account ? iamOf(account).policies[arn] : undefined;
  const version = policy?.versions.find((v) => v.isDefaultVersion);
  return version && { document: version.document, name: arn, arn, source: { id: policy!.policyName, type: "user-managed" } };
}

const tags = (list: StoredTag[] | undefined) => (list ? Object.fromEntries(list.map((t) => [t.Key, t.Value])) : undefined);

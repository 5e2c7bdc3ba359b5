import type { CallContext } from "../../src/types/service.js";
import type { StateView } from "../../src/state/store.js";
import { GLOBAL_REGION } from "../../src/state/store.js";

/** Tags as IAM stores them. */
export interface StoredTag {
  Key: string;
  Value: string;
}

/** Inline policies by name -> document, and attached managed policies by ARN: the same on users, groups and roles. */
export interface PolicyHolder {
  inlinePolicies: Record<string, string>;
  attachedPolicies: string[];
  permissionsBoundary?: string;
}

export interface StoredUser extends PolicyHolder {
  userName: string;
  userId: string;
  path: string;
  arn: string;
  createDate: string;
  tags: StoredTag[];
  groups: string[];
  loginProfile?: { createDate: string; passwordResetRequired: boolean };
  passwordLastUsed?: string;
}

export interface StoredGroup extends PolicyHolder {
  groupName: string;
  groupId: string;
  path: string;
  arn: string;
  createDate: string;
}

export interface StoredRole extends PolicyHolder {
  roleName: string;
  roleId: string;
  path: string;
  arn: string;
  createDate: string;
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration: number;
  tags: StoredTag[];
  lastUsed?: { date: string; region: string };
}

export interface StoredPolicyVersion {
  versionId: string;
  document: string;
  isDefaultVersion: boolean;
  createDate: string;
}

export interface StoredPolicy {
  policyName: string;
  policyId: string;
  arn: string;
  path: string;
  description?: string;
  createDate: string;
  updateDate: string;
  versions: StoredPolicyVersion[];
  nextVersion: number;
  tags: StoredTag[];
}

export interface StoredAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  userName: string;
  status: "Active" | "Inactive";
  createDate: string;
  lastUsed?: { date: string; serviceName: string; region: string };
}

/** One account's IAM: a global service, so one document per account whatever the region. */
export interface IamState {
  /** Keyed by lower-case name: IAM names are unique regardless of case. */
  users: Record<string, StoredUser>;
  groups: Record<string, StoredGroup>;
  roles: Record<string, StoredRole>;
  /** Customer managed policies, keyed by ARN. */
  policies: Record<string, StoredPolicy>;
  accessKeys: Record<string, StoredAccessKey>;
  accountAliases: string[];
}

const emptyIam = (): IamState => ({ users: {}, groups: {}, roles: {}, policies: {}, accessKeys: {}, accountAliases: [] });

export function iamState(ctx: CallContext): IamState {
  return iamStateOf(ctx.state, ctx.accountId);
}

export function iamStateOf(state: StateView, accountId: string): IamState {
  return state.get("iam", accountId, GLOBAL_REGION, emptyIam);
}

export const nameKey = (name: string) => name.toLowerCase();

import type { PasswordPolicy } from "../../src/generated/types/iam.js";
import type { CallContext } from "../../src/types/service.js";
import type { StateView } from "../../src/state/store.js";
import { GLOBAL_REGION } from "../../src/state/store.js";

/** Tags as IAM stores them. */
export interface StoredTag {
  Key: string;
  Value: string;
}

/**
 * Inline policies by name -> document as given, and attached managed policies by ARN, in attachment order:
 * the same on users, groups and roles.
 */
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
  /** Names of the groups the user belongs to, as the groups spell them. */
  groups: string[];
  /** The console password: its metadata and a salted hash (passwords.ts); the password itself is never kept. */
  loginProfile?: { createDate: string; passwordResetRequired: boolean; passwordHash?: string };
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
  /** The trust policy exactly as given (the wire and the records URL-encode it on the way out). */
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
  /** In creation order (ListPolicyVersions lists them newest first). */
  versions: StoredPolicyVersion[];
  /** Version numbers are never reused: after v5 is deleted the next one is still v6. */
  nextVersion: number;
  tags: StoredTag[];
}

export interface StoredInstanceProfile {
  instanceProfileName: string;
  instanceProfileId: string;
  path: string;
  arn: string;
  createDate: string;
  /** At most one role, by name. */
  roles: string[];
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

/** An OpenID Connect identity provider, keyed by ARN (`arn:aws:iam::<account>:oidc-provider/<url without https://>`). */
export interface StoredOidcProvider {
  /** As given, `https://` removed: GetOpenIDConnectProvider answers it so and the ARN is made of it. */
  url: string;
  arn: string;
  clientIds: string[];
  thumbprints: string[];
  createDate: string;
  tags: StoredTag[];
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
  /** Keyed by lower-case name. */
  instanceProfiles: Record<string, StoredInstanceProfile>;
  /** At most one: AWS accounts have a single alias. */
  accountAliases: string[];
  /** Set by UpdateAccountPasswordPolicy; absent until then. */
  passwordPolicy?: PasswordPolicy;
  /** OpenID Connect providers by ARN. */
  oidcProviders: Record<string, StoredOidcProvider>;
}

const emptyIam = (): IamState => ({ users: {}, groups: {}, roles: {}, policies: {}, accessKeys: {}, instanceProfiles: {}, accountAliases: [], oidcProviders: {} });

export function iamState(ctx: CallContext): IamState {
  return iamStateOf(ctx.state, ctx.accountId);
}

export function iamStateOf(state: StateView, accountId: string): IamState {
  const iam = state.get("iam", accountId, GLOBAL_REGION, emptyIam);
  // Data dirs written before instance profiles existed lack the table.
  iam.instanceProfiles ??= {};
  iam.oidcProviders ??= {};
  return iam;
}

/**
 * The key of a named IAM entity: names are unique regardless of case. The prefix keeps every name an
 * ordinary key: IAM allows a user named `__proto__`, which a plain object would read as its prototype.
 */
export const nameKey = (name: string) => `name:${name.toLowerCase()}`;

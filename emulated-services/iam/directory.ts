import type { StateView } from "../../src/state/store.js";
import { iamStateOf, nameKey } from "./state.js";

/**
 * What other services may ask IAM (STS to assume a role, Lambda to check an execution role): a small
 * read-only view, so no service reaches into IAM's state.
 */
export interface RoleInfo {
  roleName: string;
  roleId: string;
  arn: string;
  assumeRolePolicyDocument: string;
  maxSessionDuration: number;
}

/** The role an ARN names (`arn:aws:iam::<account>:role[/path/]<name>`), if it exists. */
export function findRoleByArn(state: StateView, roleArn: string): RoleInfo | undefined {
  const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  if (!m) return undefined;
  const role = iamStateOf(state, m[1]!).roles[nameKey(m[2]!)];
  if (!role || role.arn !== roleArn) return undefined;
  return {
    roleName: role.roleName,
    roleId: role.roleId,
    arn: role.arn,
    assumeRolePolicyDocument: role.assumeRolePolicyDocument,
    maxSessionDuration: role.maxSessionDuration,
  };
}

/** Notes a role's last use (GetRole's RoleLastUsed), as AssumeRole does. */
export function markRoleUsed(state: StateView, roleArn: string, region: string, at: Date): void {
  const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  const role = m ? iamStateOf(state, m[1]!).roles[nameKey(m[2]!)] : undefined;
  if (role) role.lastUsed = { date: at.toISOString(), region };
}

/** What STS needs of an IAM OpenID Connect provider to accept a web identity token. */
export interface OidcProviderInfo {
  arn: string;
  /** The issuer without `https://`, as the provider was created. */
  url: string;
  clientIds: string[];
}

/** The account's OIDC provider for a token's issuer (`iss`), matched exactly once `https://` is removed. */
export function findOidcProviderByIssuer(state: StateView, accountId: string, issuer: string): OidcProviderInfo | undefined {
  const url = issuer.replace(/^https:\/\//i, "");
  const provider = iamStateOf(state, accountId).oidcProviders[`arn:aws:iam::${accountId}:oidc-provider/${url}`];
  return provider && { arn: provider.arn, url: provider.url, clientIds: [...provider.clientIds] };
}

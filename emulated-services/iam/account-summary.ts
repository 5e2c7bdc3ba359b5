import type { Op } from "./op.js";
import { iamState } from "./state.js";

/**
 * IAM's default quotas, as GetAccountSummary reports them for an account that raised none (IAM User Guide,
 * "IAM and AWS STS quotas"; the AWS CLI's get-account-summary on a current account).
 */
const QUOTAS = {
  UsersQuota: 5000,
  GroupsQuota: 300,
  RolesQuota: 1000,
  PoliciesQuota: 1500,
  InstanceProfilesQuota: 1000,
  ServerCertificatesQuota: 20,
  GroupsPerUserQuota: 10,
  AccessKeysPerUserQuota: 2,
  SigningCertificatesPerUserQuota: 2,
  AttachedPoliciesPerUserQuota: 10,
  AttachedPoliciesPerGroupQuota: 10,
  AttachedPoliciesPerRoleQuota: 10,
  VersionsPerPolicyQuota: 5,
  PolicySizeQuota: 6144,
  UserPolicySizeQuota: 2048,
  GroupPolicySizeQuota: 5120,
  RolePolicySizeQuota: 10240,
  AssumeRolePolicySizeQuota: 2048,
  PolicyVersionsInUseQuota: 10000,
} as const;

/**
 * The account's IAM usage and quotas, counted from state. localtrail keeps no MFA devices, server or signing
 * certificates, SAML providers or root access keys, so those count 0; PolicyVersionsInUse counts managed policy
 * attachments, each of which holds the policy's default version in use.
 */
export const getAccountSummary: Op<"GetAccountSummary"> = (_input, ctx) => {
  const iam = iamState(ctx);
  const holders = [...Object.values(iam.users), ...Object.values(iam.groups), ...Object.values(iam.roles)];
  const usage = {
    Users: Object.keys(iam.users).length,
    Groups: Object.keys(iam.groups).length,
    Roles: Object.keys(iam.roles).length,
    Policies: Object.keys(iam.policies).length,
    InstanceProfiles: Object.keys(iam.instanceProfiles).length,
    Providers: Object.keys(iam.oidcProviders).length,
    ServerCertificates: 0,
    MFADevices: 0,
    MFADevicesInUse: 0,
    AccountMFAEnabled: 0,
    AccountAccessKeysPresent: 0,
    AccountSigningCertificatesPresent: 0,
    PolicyVersionsInUse: holders.reduce((n, h) => n + h.attachedPolicies.length, 0),
    // The version of the session tokens the global STS endpoint issues: 1 unless the account chose v2 tokens.
    GlobalEndpointTokenVersion: 1,
  };
  return { SummaryMap: { ...usage, ...QUOTAS } };
};

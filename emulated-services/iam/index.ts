import { listMfaDevices, listServiceSpecificCredentials, listSigningCertificates, listSshPublicKeys, listVirtualMfaDevices } from "./user-credentials.js";
import type { Operations } from "../../src/generated/types/iam.js";
import { defineService } from "../../src/registry.js";
import { withoutMember } from "../../src/recorder/record-edits.js";
import { createAccessKey, deleteAccessKey, getAccessKeyLastUsed, listAccessKeys, updateAccessKey } from "./access-keys.js";
import { createAccountAlias, deleteAccountAlias, listAccountAliases } from "./account-aliases.js";
import {
  attachGroupPolicy, attachRolePolicy, attachUserPolicy, detachGroupPolicy, detachRolePolicy, detachUserPolicy,
  listAttachedGroupPolicies, listAttachedRolePolicies, listAttachedUserPolicies,
} from "./attached-policies.js";
import { iamCredentials } from "./credentials.js";
import { iamSignIn } from "./sign-in.js";
import { iamAuthorization } from "./authorization.js";
import { addUserToGroup, createGroup, deleteGroup, getGroup, listGroups, listGroupsForUser, removeUserFromGroup, updateGroup } from "./groups.js";
import {
  deleteGroupPolicy, deleteRolePolicy, deleteUserPolicy, getGroupPolicy, getRolePolicy, getUserPolicy,
  listGroupPolicies, listRolePolicies, listUserPolicies, putGroupPolicy, putRolePolicy, putUserPolicy,
} from "./inline-policies.js";
import {
  addRoleToInstanceProfile, createInstanceProfile, deleteInstanceProfile, getInstanceProfile, listInstanceProfiles,
  listInstanceProfilesForRole, removeRoleFromInstanceProfile,
} from "./instance-profiles.js";
import { createLoginProfile, deleteLoginProfile, getLoginProfile, updateLoginProfile } from "./login-profiles.js";
import { deleteAccountPasswordPolicy, getAccountPasswordPolicy, updateAccountPasswordPolicy } from "./password-policy.js";
import { createPolicy, deletePolicy, getPolicy, listPolicies, listPolicyTags, tagPolicy, untagPolicy } from "./policies.js";
import { listEntitiesForPolicy } from "./policy-entities.js";
import { createPolicyVersion, deletePolicyVersion, getPolicyVersion, listPolicyVersions, setDefaultPolicyVersion } from "./policy-versions.js";
import { listRoleTags, tagRole, untagRole } from "./role-tags.js";
import { createRole, deleteRole, getRole, listRoles, updateAssumeRolePolicy, updateRole, updateRoleDescription } from "./roles.js";
import { simulateCustomPolicy, simulatePrincipalPolicy } from "./simulate.js";
import {
  addClientIdToOpenIdConnectProvider, createOpenIdConnectProvider, deleteOpenIdConnectProvider, getOpenIdConnectProvider,
  listOpenIdConnectProviders, listOpenIdConnectProviderTags, removeClientIdFromOpenIdConnectProvider, tagOpenIdConnectProvider,
  untagOpenIdConnectProvider, updateOpenIdConnectProviderThumbprint,
} from "./oidc-providers.js";
import { getAccountSummary } from "./account-summary.js";
import { createUser, deleteUser, getUser, listUserTags, listUsers, tagUser, untagUser, updateUser } from "./users.js";

/** CloudTrail leaves a console password out of the record altogether, not even HIDDEN_DUE_TO_SECURITY_REASONS. */
function withoutPassword(shaped: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!shaped) return shaped;
  const { password: _password, ...rest } = shaped;
  return Object.keys(rest).length > 0 ? rest : null;
}

/** IAM: the operation table. One row per operation; the audit facts only where the defaults do not fit. */
export const iam = defineService<Operations>({
  name: "iam",
  eventSource: "iam.amazonaws.com",
  // IAM is global: CloudTrail records its events in us-east-1 whatever region the client names.
  recordRegion: "us-east-1",
  validation: { code: "ValidationError", recordedCode: "ValidationException", constraints: true },
  audit: {
    dateFormat: "java",
    resourceMembers: {
      UserName: "AWS::IAM::User",
      GroupName: "AWS::IAM::Group",
      RoleName: "AWS::IAM::Role",
      PolicyArn: "AWS::IAM::Policy",
      AccessKeyId: "AWS::IAM::AccessKey",
      InstanceProfileName: "AWS::IAM::InstanceProfile",
      OpenIDConnectProviderArn: "AWS::IAM::OIDCProvider",
    },
  },
  credentialSource: iamCredentials,
  signIn: iamSignIn,
  authorization: iamAuthorization,
  operations: {
    CreateUser: { handler: createUser },
    GetUser: { handler: getUser },
    ListUsers: { handler: listUsers },
    UpdateUser: { handler: updateUser },
    DeleteUser: { handler: deleteUser },
    TagUser: { handler: tagUser },
    UntagUser: { handler: untagUser },
    ListUserTags: { handler: listUserTags },

    CreateAccessKey: {
      handler: createAccessKey,
      audit: {
        // CloudTrail never writes the new secret, not even redacted.
        responseElements: (_call, shaped) => withoutMember(shaped(), "accessKey", "secretAccessKey"),
      },
    },
    ListAccessKeys: { handler: listAccessKeys },
    UpdateAccessKey: { handler: updateAccessKey },
    DeleteAccessKey: { handler: deleteAccessKey },
    GetAccessKeyLastUsed: { handler: getAccessKeyLastUsed },
    ListMFADevices: { handler: listMfaDevices },
    ListVirtualMFADevices: { handler: listVirtualMfaDevices },
    ListSSHPublicKeys: { handler: listSshPublicKeys },
    ListSigningCertificates: { handler: listSigningCertificates },
    ListServiceSpecificCredentials: { handler: listServiceSpecificCredentials },

    UpdateAccountPasswordPolicy: { handler: updateAccountPasswordPolicy },
    GetAccountPasswordPolicy: { handler: getAccountPasswordPolicy },
    DeleteAccountPasswordPolicy: { handler: deleteAccountPasswordPolicy },
    CreateLoginProfile: { handler: createLoginProfile, audit: { requestParameters: (_call, shaped) => withoutPassword(shaped()) } },
    GetLoginProfile: { handler: getLoginProfile },
    UpdateLoginProfile: { handler: updateLoginProfile, audit: { requestParameters: (_call, shaped) => withoutPassword(shaped()) } },
    DeleteLoginProfile: { handler: deleteLoginProfile },

    CreateGroup: { handler: createGroup },
    GetGroup: { handler: getGroup },
    ListGroups: { handler: listGroups },
    UpdateGroup: { handler: updateGroup },
    DeleteGroup: { handler: deleteGroup },
    AddUserToGroup: { handler: addUserToGroup },
    RemoveUserFromGroup: { handler: removeUserFromGroup },
    ListGroupsForUser: { handler: listGroupsForUser },

    CreateRole: { handler: createRole },
    GetRole: { handler: getRole },
    ListRoles: { handler: listRoles },
    UpdateRole: { handler: updateRole },
    UpdateRoleDescription: { handler: updateRoleDescription },
    UpdateAssumeRolePolicy: { handler: updateAssumeRolePolicy },
    DeleteRole: { handler: deleteRole },
    TagRole: { handler: tagRole },
    UntagRole: { handler: untagRole },
    ListRoleTags: { handler: listRoleTags },

    CreateInstanceProfile: { handler: createInstanceProfile },
    GetInstanceProfile: { handler: getInstanceProfile },
    ListInstanceProfiles: { handler: listInstanceProfiles },
    DeleteInstanceProfile: { handler: deleteInstanceProfile },
    AddRoleToInstanceProfile: { handler: addRoleToInstanceProfile },
    RemoveRoleFromInstanceProfile: { handler: removeRoleFromInstanceProfile },
    ListInstanceProfilesForRole: { handler: listInstanceProfilesForRole },

    CreatePolicy: {
      handler: createPolicy,
      // The new policy is known only by the ARN in the response.
      audit: { lookupResources: ({ output }) => (output?.Policy?.Arn ? [{ type: "AWS::IAM::Policy", name: output.Policy.Arn }] : []) },
    },
    GetPolicy: { handler: getPolicy },
    ListPolicies: { handler: listPolicies },
    DeletePolicy: { handler: deletePolicy },
    TagPolicy: { handler: tagPolicy },
    UntagPolicy: { handler: untagPolicy },
    ListPolicyTags: { handler: listPolicyTags },
    ListEntitiesForPolicy: { handler: listEntitiesForPolicy },
    CreatePolicyVersion: { handler: createPolicyVersion },
    GetPolicyVersion: { handler: getPolicyVersion },
    ListPolicyVersions: { handler: listPolicyVersions },
    DeletePolicyVersion: { handler: deletePolicyVersion },
    SetDefaultPolicyVersion: { handler: setDefaultPolicyVersion },

    AttachUserPolicy: { handler: attachUserPolicy },
    DetachUserPolicy: { handler: detachUserPolicy },
    ListAttachedUserPolicies: { handler: listAttachedUserPolicies },
    AttachGroupPolicy: { handler: attachGroupPolicy },
    DetachGroupPolicy: { handler: detachGroupPolicy },
    ListAttachedGroupPolicies: { handler: listAttachedGroupPolicies },
    AttachRolePolicy: { handler: attachRolePolicy },
    DetachRolePolicy: { handler: detachRolePolicy },
    ListAttachedRolePolicies: { handler: listAttachedRolePolicies },

    PutUserPolicy: { handler: putUserPolicy },
    GetUserPolicy: { handler: getUserPolicy },
    ListUserPolicies: { handler: listUserPolicies },
    DeleteUserPolicy: { handler: deleteUserPolicy },
    PutGroupPolicy: { handler: putGroupPolicy },
    GetGroupPolicy: { handler: getGroupPolicy },
    ListGroupPolicies: { handler: listGroupPolicies },
    DeleteGroupPolicy: { handler: deleteGroupPolicy },
    PutRolePolicy: { handler: putRolePolicy },
    GetRolePolicy: { handler: getRolePolicy },
    ListRolePolicies: { handler: listRolePolicies },
    DeleteRolePolicy: { handler: deleteRolePolicy },

    // Simulations change nothing: CloudTrail records them as reads.
    SimulatePrincipalPolicy: { handler: simulatePrincipalPolicy, audit: { readOnly: true } },
    SimulateCustomPolicy: { handler: simulateCustomPolicy, audit: { readOnly: true } },

    CreateAccountAlias: { handler: createAccountAlias },
    ListAccountAliases: { handler: listAccountAliases },
    DeleteAccountAlias: { handler: deleteAccountAlias },
    GetAccountSummary: { handler: getAccountSummary },

    CreateOpenIDConnectProvider: { handler: createOpenIdConnectProvider },
    GetOpenIDConnectProvider: { handler: getOpenIdConnectProvider },
    ListOpenIDConnectProviders: { handler: listOpenIdConnectProviders },
    DeleteOpenIDConnectProvider: { handler: deleteOpenIdConnectProvider },
    AddClientIDToOpenIDConnectProvider: { handler: addClientIdToOpenIdConnectProvider },
    RemoveClientIDFromOpenIDConnectProvider: { handler: removeClientIdFromOpenIdConnectProvider },
    UpdateOpenIDConnectProviderThumbprint: { handler: updateOpenIdConnectProviderThumbprint },
    TagOpenIDConnectProvider: { handler: tagOpenIdConnectProvider },
    UntagOpenIDConnectProvider: { handler: untagOpenIdConnectProvider },
    ListOpenIDConnectProviderTags: { handler: listOpenIdConnectProviderTags },
  },
});

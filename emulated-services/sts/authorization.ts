import type { ServiceAuthorization } from "../../src/types/authorization.js";

/**
 * How STS's calls are authorized (reference/iam-enforcement.md §3.2): GetCallerIdentity and GetSessionToken
 * need no permission at all; AssumeRole is sts:AssumeRole on the role (its trust policy is the role's
 * resource-based policy, which IAM hands the engine), plus sts:TagSession with tags and sts:SetSourceIdentity
 * with a source identity.
 */
export const stsAuthorization: ServiceAuthorization = {
  prefix: "sts",
  variables: {},
  resolvers: { role: (input) => (typeof input.RoleArn === "string" ? [input.RoleArn] : undefined) },
  operations: {
    GetCallerIdentity: [],
    GetSessionToken: [],
    // Unsigned: no identity-based policy applies; the role's trust policy, which the handler evaluates, decides.
    AssumeRoleWithWebIdentity: [],
    GetAccessKeyInfo: [{ action: "sts:GetAccessKeyInfo" }],
    AssumeRole: [
      { action: "sts:AssumeRole" },
      { action: "sts:TagSession", when: "Tags" },
      { action: "sts:TagSession", when: "TransitiveTagKeys" },
      { action: "sts:SetSourceIdentity", when: "SourceIdentity" },
    ],
  },
  conditionKeys: { "sts:ExternalId": "ExternalId", "sts:RoleSessionName": "RoleSessionName", "sts:SourceIdentity": "SourceIdentity" },
  requestTags: ["Tags"],
  denial: { code: "AccessDenied", status: 403, noResource: "omit" },
};

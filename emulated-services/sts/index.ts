import type { Operations } from "../../src/generated/types/sts.js";
import { defineService } from "../../src/registry.js";
import { withoutMember } from "../../src/recorder/record-edits.js";
import { stsCredentials } from "./credentials.js";
import { assumeRole, decodeAuthorizationMessage, getAccessKeyInfo, getCallerIdentity, getSessionToken } from "./handlers.js";
import { stsSignIn } from "./sign-in.js";
import { stsAuthorization } from "./authorization.js";
import { stsRecordRegion } from "./endpoints.js";
import { assumeRoleWithWebIdentity, sessionRequests, stsRecordDate } from "./web-identity.js";

/** The account in a role ARN (arn:aws:iam::<account>:role/...). */
const roleAccount = (arn: string) => arn.split(":")[4] ?? "";

/** A record's member left out altogether. */
function withoutKey(shaped: Record<string, unknown> | null, key: string): Record<string, unknown> | null {
  if (!shaped) return shaped;
  const { [key]: _left, ...rest } = shaped;
  return rest;
}

/** STS: the operation table. */
export const sts = defineService<Operations>({
  name: "sts",
  eventSource: "sts.amazonaws.com",
  recordRegion: stsRecordRegion,
  validation: { code: "ValidationError", recordedCode: "ValidationException", constraints: true },
  audit: { dateFormat: "java", resourceMembers: { RoleArn: "AWS::IAM::Role" } },
  credentialSource: stsCredentials,
  signIn: stsSignIn,
  authorization: stsAuthorization,
  operations: {
    GetCallerIdentity: { handler: getCallerIdentity },
    DecodeAuthorizationMessage: { handler: decodeAuthorizationMessage },
    GetAccessKeyInfo: { handler: getAccessKeyInfo },
    AssumeRole: {
      handler: assumeRole,
      audit: {
        resources: ({ input }) => (input?.RoleArn ? [{ accountId: roleAccount(input.RoleArn), type: "AWS::IAM::Role", ARN: input.RoleArn }] : undefined),
        resourceAccount: ({ input }) => (input?.RoleArn ? roleAccount(input.RoleArn) : undefined),
        // A service's own AssumeRole (Lambda's execution role) is recorded with the credentials only, no assumedRoleUser.
        responseElements: ({ caller }, shaped) => {
          const elements = withoutMember(shaped(), "credentials", "secretAccessKey");
          return caller.type === "AWSService" && elements ? { credentials: elements.credentials } : elements;
        },
      },
    },
    AssumeRoleWithWebIdentity: {
      handler: assumeRoleWithWebIdentity,
      // As AWS's documented record: a read, in the role's account, without the token or the secret key, and saying
      // how the provider's connection was verified (localtrail fetches nothing; AWS's trust store covers common issuers).
      audit: {
        readOnly: true,
        resources: ({ input }) => (input?.RoleArn ? [{ accountId: roleAccount(input.RoleArn), type: "AWS::IAM::Role", ARN: input.RoleArn }] : undefined),
        // The token's source identity and session tags are written as if they were parameters, after the session name.
        requestParameters: ({ input }, shaped) => {
          const params = withoutKey(shaped(), "webIdentityToken");
          if (!params) return params;
          const { roleArn, roleSessionName, ...rest } = params;
          const asked = sessionRequests(input?.WebIdentityToken);
          const all = { roleArn, roleSessionName, sourceIdentity: asked.sourceIdentity, ...rest, principalTags: asked.principalTags, transitiveTagKeys: asked.transitiveTagKeys };
          return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined));
        },
        readRecordsResponse: true,
        responseElements: ({ output }, shaped) => {
          const elements = withoutMember(shaped(), "credentials", "secretAccessKey");
          const credentials = elements?.credentials as Record<string, unknown> | undefined;
          if (credentials && output?.Credentials) credentials.expiration = stsRecordDate(output.Credentials.Expiration);
          return elements;
        },
        additionalEventData: ({ error }) => (error ? undefined : { identityProviderConnectionVerificationMethod: "IAMTrustStore" }),
      },
    },
    GetSessionToken: {
      handler: getSessionToken,
      // It starts with Get but mints credentials: CloudTrail records it as a write.
      audit: { readOnly: false, responseElements: (_call, shaped) => withoutMember(shaped(), "credentials", "secretAccessKey") },
    },
  },
});

import type { Operations } from "../../src/generated/types/sts.js";
import { defineService } from "../../src/registry.js";
import { withoutMember } from "../../src/recorder/record-edits.js";
import { stsCredentials } from "./credentials.js";
import { assumeRole, decodeAuthorizationMessage, getAccessKeyInfo, getCallerIdentity, getSessionToken } from "./handlers.js";
import { stsSignIn } from "./sign-in.js";
import { stsAuthorization } from "./authorization.js";
import { stsRecordRegion } from "./endpoints.js";

/** The account in a role ARN (arn:aws:iam::<account>:role/...). */
const roleAccount = (arn: string) => arn.split(":")[4] ?? "";

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
    GetSessionToken: {
      handler: getSessionToken,
      // It starts with Get but mints credentials: CloudTrail records it as a write.
      audit: { readOnly: false, responseElements: (_call, shaped) => withoutMember(shaped(), "credentials", "secretAccessKey") },
    },
  },
});

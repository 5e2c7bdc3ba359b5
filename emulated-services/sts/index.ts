import type { Operations } from "../../src/generated/types/sts.js";
import { defineService } from "../../src/registry.js";
import { withoutMember } from "../../src/recorder/record-edits.js";
import { stsCredentials } from "./credentials.js";
import { stsSignIn } from "./sign-in.js";
import { assumeRole, decodeAuthorizationMessage, getCallerIdentity, getSessionToken } from "./handlers.js";
import { stsAuthorization } from "./authorization.js";

/** The account in a role ARN (arn:aws:iam::<account>:role/...). */
const roleAccount = (arn: string) => arn.split(":")[4] ?? "";

/** STS: the operation table. */
export const sts = defineService<Operations>({
  name: "sts",
  eventSource: "sts.amazonaws.com",
  // Calls to the global STS endpoint are recorded in us-east-1.
  recordRegion: "us-east-1",
  validation: { code: "ValidationError", recordedCode: "ValidationException", constraints: true },
  audit: { dateFormat: "java", resourceMembers: { RoleArn: "AWS::IAM::Role" } },
  credentialSource: stsCredentials,
  signIn: stsSignIn,
  authorization: stsAuthorization,
  operations: {
    GetCallerIdentity: { handler: getCallerIdentity },
    DecodeAuthorizationMessage: { handler: decodeAuthorizationMessage },
    AssumeRole: {
      handler: assumeRole,
      audit: {
        resources: ({ input }) => (input?.RoleArn ? [{ accountId: roleAccount(input.RoleArn), type: "AWS::IAM::Role", ARN: input.RoleArn }] : undefined),
        resourceAccount: ({ input }) => (input?.RoleArn ? roleAccount(input.RoleArn) : undefined),
        responseElements: (_call, shaped) => withoutMember(shaped(), "credentials", "secretAccessKey"),
      },
    },
    GetSessionToken: {
      handler: getSessionToken,
      // It starts with Get but mints credentials: CloudTrail records it as a write.
      audit: { readOnly: false, responseElements: (_call, shaped) => withoutMember(shaped(), "credentials", "secretAccessKey") },
    },
  },
});

import type { Operations } from "../../src/generated/types/iam.js";
import { defineService } from "../../src/registry.js";
import { withoutMember } from "../../src/recorder/record-edits.js";
import { createAccessKey, deleteAccessKey, getAccessKeyLastUsed, listAccessKeys, updateAccessKey } from "./access-keys.js";
import { iamCredentials } from "./credentials.js";
import { createUser, deleteUser, getUser, listUserTags, listUsers, tagUser, untagUser, updateUser } from "./users.js";

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
    },
  },
  credentialSource: iamCredentials,
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
        responseElements: (_call, shaped) => withoutMember(shaped, "accessKey", "secretAccessKey"),
      },
    },
    ListAccessKeys: { handler: listAccessKeys },
    UpdateAccessKey: { handler: updateAccessKey },
    DeleteAccessKey: { handler: deleteAccessKey },
    GetAccessKeyLastUsed: { handler: getAccessKeyLastUsed },
  },
});

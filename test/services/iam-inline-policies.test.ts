import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateGroupCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteRolePolicyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  GetGroupPolicyCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListGroupPoliciesCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, failure } from "../helpers/clients.js";
import { latestRecord } from "../helpers/records.js";

const S3_READ = `{
    "Version": "2012-10-17",
    "Statement": {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "arn:aws:s3:::example_bucket/*"}
}`;

/** A valid document of about `size` characters that are not whitespace. */
const sized = (size: number) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${"b".repeat(size - 95)}` }] });

describe("IAM inline policies", () => {
  let server: TestServer;
  let iam: IAMClient;
  beforeAll(async () => {
    server = await startTestServer();
    iam = new IAMClient(clientConfig(server.url));
    await iam.send(new CreateUserCommand({ UserName: "dave" }));
    await iam.send(new CreateGroupCommand({ GroupName: "readers" }));
    await iam.send(new CreateRoleCommand({ RoleName: "app", AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}' }));
  });
  afterAll(() => server.close());

  it("puts a user policy, records the document as sent, and returns it URL-encoded", async () => {
    await iam.send(new PutUserPolicyCommand({ UserName: "dave", PolicyName: "s3-read", PolicyDocument: S3_READ }));
    const record = await latestRecord(server.url, "PutUserPolicy");
    expect(record).toMatchObject({ requestParameters: { userName: "dave", policyName: "s3-read", policyDocument: S3_READ }, responseElements: null, readOnly: false });

    const got = await iam.send(new GetUserPolicyCommand({ UserName: "DAVE", PolicyName: "s3-read" }));
    expect(got).toMatchObject({ UserName: "dave", PolicyName: "s3-read" });
    expect(got.PolicyDocument).toContain("%7B%0A%20%20%20%20%22Version%22%3A%20%222012-10-17%22");
    expect(decodeURIComponent(got.PolicyDocument!)).toBe(S3_READ);
    expect((await latestRecord(server.url, "GetUserPolicy")).responseElements).toBeNull();
  });

  it("lists, replaces and deletes inline policies", async () => {
    await iam.send(new PutUserPolicyCommand({ UserName: "dave", PolicyName: "a-first", PolicyDocument: S3_READ }));
    await iam.send(new PutUserPolicyCommand({ UserName: "dave", PolicyName: "a-first", PolicyDocument: sized(200) }));
    expect((await iam.send(new ListUserPoliciesCommand({ UserName: "dave" }))).PolicyNames).toEqual(["a-first", "s3-read"]);
    expect(decodeURIComponent((await iam.send(new GetUserPolicyCommand({ UserName: "dave", PolicyName: "a-first" }))).PolicyDocument!)).toBe(sized(200));
    await iam.send(new DeleteUserPolicyCommand({ UserName: "dave", PolicyName: "a-first" }));
    const gone = await failure(iam.send(new GetUserPolicyCommand({ UserName: "dave", PolicyName: "a-first" })));
    expect(gone).toEqual({ name: "NoSuchEntityException", status: 404, message: "The user policy with name a-first cannot be found." });
    const deleteAgain = await failure(iam.send(new DeleteUserPolicyCommand({ UserName: "dave", PolicyName: "a-first" })));
    expect(deleteAgain.message).toBe("The user policy with name a-first cannot be found.");
  });

  it("keeps a user with inline policies from being deleted", async () => {
    const err = await failure(iam.send(new DeleteUserCommand({ UserName: "dave" })));
    expect(err).toEqual({ name: "DeleteConflictException", status: 409, message: "Cannot delete entity, must delete policies first." });
  });

  it("holds group and role policies the same way, each with its own words", async () => {
    await iam.send(new PutGroupPolicyCommand({ GroupName: "readers", PolicyName: "s3-read", PolicyDocument: S3_READ }));
    expect(await iam.send(new GetGroupPolicyCommand({ GroupName: "readers", PolicyName: "s3-read" }))).toMatchObject({ GroupName: "readers", PolicyName: "s3-read" });
    expect((await iam.send(new ListGroupPoliciesCommand({ GroupName: "readers" }))).PolicyNames).toEqual(["s3-read"]);
    expect((await failure(iam.send(new GetGroupPolicyCommand({ GroupName: "readers", PolicyName: "x" })))).message).toBe("The group policy with name x cannot be found.");

    await iam.send(new PutRolePolicyCommand({ RoleName: "app", PolicyName: "s3-read", PolicyDocument: S3_READ }));
    expect(await iam.send(new GetRolePolicyCommand({ RoleName: "app", PolicyName: "s3-read" }))).toMatchObject({ RoleName: "app", PolicyName: "s3-read" });
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: "app" }))).PolicyNames).toEqual(["s3-read"]);
    expect((await failure(iam.send(new DeleteRolePolicyCommand({ RoleName: "app", PolicyName: "x" })))).message).toBe("The role policy with name x cannot be found.");
    expect((await failure(iam.send(new PutRolePolicyCommand({ RoleName: "ghost", PolicyName: "p", PolicyDocument: S3_READ })))).message).toBe(
      "The role with name ghost cannot be found.",
    );
    const record = await latestRecord(server.url, "PutRolePolicy");
    expect(record).toMatchObject({ errorCode: "NoSuchEntityException", requestParameters: { roleName: "ghost", policyName: "p", policyDocument: S3_READ } });
  });

  it("caps the inline policies of a user at 2048 characters and of a role at 10240", async () => {
    const user = await failure(iam.send(new PutUserPolicyCommand({ UserName: "dave", PolicyName: "big", PolicyDocument: sized(2000) })));
    expect(user).toEqual({ name: "LimitExceededException", status: 409, message: "Maximum policy size of 2048 bytes exceeded for user dave" });
    await iam.send(new PutRolePolicyCommand({ RoleName: "app", PolicyName: "big", PolicyDocument: sized(9000) }));
    const role = await failure(iam.send(new PutRolePolicyCommand({ RoleName: "app", PolicyName: "bigger", PolicyDocument: sized(2000) })));
    expect(role).toEqual({ name: "LimitExceededException", status: 409, message: "Maximum policy size of 10240 bytes exceeded for role app" });
  });

  it("rejects a malformed document with MalformedPolicyDocument", async () => {
    const err = await failure(iam.send(new PutUserPolicyCommand({ UserName: "dave", PolicyName: "bad", PolicyDocument: '"{\\"Version\\": \\"2012-10-17\\"}"' })));
    expect(err).toEqual({ name: "MalformedPolicyDocumentException", status: 400, message: "Syntax errors in policy." });
    const record = await latestRecord(server.url, "PutUserPolicy");
    expect(record).toMatchObject({ errorCode: "MalformedPolicyDocumentException", errorMessage: "Syntax errors in policy." });
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteUserCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
} from "@aws-sdk/client-iam";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, failure } from "../helpers/clients.js";
import { latestRecord, lookupRecords } from "../helpers/records.js";

const ACCOUNT = "000000000000";
const TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}';
const AWS_POLICIES = [
  "AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess", "IAMFullAccess", "IAMReadOnlyAccess", "AmazonS3FullAccess",
  "AmazonS3ReadOnlyAccess", "AmazonEC2FullAccess", "AmazonEC2ReadOnlyAccess", "AWSLambda_FullAccess", "CloudWatchLogsFullAccess",
].map((name) => `arn:aws:iam::aws:policy/${name}`);

describe("IAM managed policy attachments", () => {
  let server: TestServer;
  let iam: IAMClient;
  beforeAll(async () => {
    server = await startTestServer();
    iam = new IAMClient(clientConfig(server.url));
    await iam.send(new CreateUserCommand({ UserName: "carol" }));
    await iam.send(new CreateGroupCommand({ GroupName: "auditors" }));
    await iam.send(new CreateRoleCommand({ RoleName: "fn", AssumeRolePolicyDocument: TRUST }));
    await iam.send(new CreatePolicyCommand({ PolicyName: "team-logs", Path: "/team/", PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:*","Resource":"*"}]}' }));
  });
  afterAll(() => server.close());

  it("attaches AWS and customer managed policies to a user and records it", async () => {
    await iam.send(new AttachUserPolicyCommand({ UserName: "carol", PolicyArn: "arn:aws:iam::aws:policy/IAMReadOnlyAccess" }));
    await iam.send(new AttachUserPolicyCommand({ UserName: "carol", PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/team/team-logs` }));
    await iam.send(new AttachUserPolicyCommand({ UserName: "carol", PolicyArn: "arn:aws:iam::aws:policy/IAMReadOnlyAccess" }));
    const { AttachedPolicies } = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: "carol" }));
    expect(AttachedPolicies).toEqual([
      { PolicyName: "IAMReadOnlyAccess", PolicyArn: "arn:aws:iam::aws:policy/IAMReadOnlyAccess" },
      { PolicyName: "team-logs", PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/team/team-logs` },
    ]);
    const byPath = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: "carol", PathPrefix: "/team/" }));
    expect(byPath.AttachedPolicies!.map((p) => p.PolicyName)).toEqual(["team-logs"]);

    const record = await latestRecord(server.url, "AttachUserPolicy");
    expect(record).toMatchObject({
      requestParameters: { userName: "carol", policyArn: "arn:aws:iam::aws:policy/IAMReadOnlyAccess" },
      responseElements: null,
      readOnly: false,
    });
    const resources = (await lookupRecords(server.url, "ResourceName", "arn:aws:iam::aws:policy/IAMReadOnlyAccess")).map((r) => r.eventName);
    expect(resources).toEqual(["AttachUserPolicy", "AttachUserPolicy"]);
  });

  it("answers a policy that does not exist, and a malformed ARN, as IAM does", async () => {
    const missing = await failure(iam.send(new AttachRolePolicyCommand({ RoleName: "fn", PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/nonexistent-policy` })));
    expect(missing).toEqual({
      name: "NoSuchEntityException",
      status: 404,
      message: `Policy arn:aws:iam::${ACCOUNT}:policy/nonexistent-policy does not exist or is not attachable.`,
    });
    const malformed = await failure(iam.send(new AttachRolePolicyCommand({ RoleName: "fn", PolicyArn: "longpolicynamebutnoarn" })));
    expect(malformed).toEqual({ name: "ValidationError", status: 400, message: "ARN longpolicynamebutnoarn is not valid." });
    const record = await latestRecord(server.url, "AttachRolePolicy");
    expect(record).toMatchObject({ errorCode: "ValidationException", errorMessage: "ARN longpolicynamebutnoarn is not valid." });
    const noRole = await failure(iam.send(new AttachRolePolicyCommand({ RoleName: "ghost", PolicyArn: AWS_POLICIES[0]! })));
    expect(noRole.message).toBe("The role with name ghost cannot be found.");
  });

  it("holds at most 10 managed policies per role", async () => {
    for (const arn of AWS_POLICIES.slice(0, 10)) await iam.send(new AttachRolePolicyCommand({ RoleName: "fn", PolicyArn: arn }));
    const eleventh = await failure(iam.send(new AttachRolePolicyCommand({ RoleName: "fn", PolicyArn: AWS_POLICIES[10]! })));
    expect(eleventh).toEqual({ name: "LimitExceededException", status: 409, message: "Cannot exceed quota for PoliciesPerRole: 10" });
    const { AttachedPolicies } = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "fn", MaxItems: 3 }));
    expect(AttachedPolicies).toHaveLength(3);
  });

  it("detaches, and answers a policy the entity does not hold with 'was not found'", async () => {
    await iam.send(new DetachRolePolicyCommand({ RoleName: "fn", PolicyArn: AWS_POLICIES[0]! }));
    const again = await failure(iam.send(new DetachRolePolicyCommand({ RoleName: "fn", PolicyArn: AWS_POLICIES[0]! })));
    expect(again).toEqual({ name: "NoSuchEntityException", status: 404, message: `Policy ${AWS_POLICIES[0]} was not found.` });
    const record = await latestRecord(server.url, "DetachRolePolicy");
    expect(record).toMatchObject({ errorCode: "NoSuchEntityException", requestParameters: { roleName: "fn", policyArn: AWS_POLICIES[0] } });
  });

  it("attaches to groups and keeps a user with policies from being deleted", async () => {
    await iam.send(new AttachGroupPolicyCommand({ GroupName: "auditors", PolicyArn: "arn:aws:iam::aws:policy/AWSCloudTrail_ReadOnlyAccess" }));
    const { AttachedPolicies } = await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: "auditors" }));
    expect(AttachedPolicies).toEqual([{ PolicyName: "AWSCloudTrail_ReadOnlyAccess", PolicyArn: "arn:aws:iam::aws:policy/AWSCloudTrail_ReadOnlyAccess" }]);
    const err = await failure(iam.send(new DeleteUserCommand({ UserName: "carol" })));
    expect(err).toEqual({ name: "DeleteConflictException", status: 409, message: "Cannot delete entity, must detach all policies first." });
    await iam.send(new DetachUserPolicyCommand({ UserName: "carol", PolicyArn: "arn:aws:iam::aws:policy/IAMReadOnlyAccess" }));
    await iam.send(new DetachUserPolicyCommand({ UserName: "carol", PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/team/team-logs` }));
    await iam.send(new DeleteUserCommand({ UserName: "carol" }));
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListEntitiesForPolicyCommand,
  ListPoliciesCommand,
  ListPolicyTagsCommand,
  ListPolicyVersionsCommand,
  SetDefaultPolicyVersionCommand,
  TagPolicyCommand,
  UntagPolicyCommand,
} from "@aws-sdk/client-iam";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, failure } from "../helpers/clients.js";
import { latestRecord, lookupRecords } from "../helpers/records.js";

const ACCOUNT = "000000000000";
const JAVA_DATE = /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/;

const doc = (action: string) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] });

describe("IAM customer managed policies", () => {
  let server: TestServer;
  let iam: IAMClient;
  const arn = `arn:aws:iam::${ACCOUNT}:policy/team/s3-read`;
  beforeAll(async () => {
    server = await startTestServer();
    iam = new IAMClient(clientConfig(server.url));
  });
  afterAll(() => server.close());

  it("creates a policy at v1 and records it, findable by its ARN", async () => {
    const { Policy } = await iam.send(
      new CreatePolicyCommand({ PolicyName: "s3-read", Path: "/team/", PolicyDocument: doc("s3:Get*"), Description: "read buckets", Tags: [{ Key: "a", Value: "1" }] }),
    );
    expect(Policy).toMatchObject({
      PolicyName: "s3-read",
      Arn: arn,
      Path: "/team/",
      DefaultVersionId: "v1",
      AttachmentCount: 0,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      Tags: [{ Key: "a", Value: "1" }],
    });
    expect(Policy!.PolicyId).toMatch(/^ANPA[A-Z0-9]{17}$/);
    expect(Policy!.Description).toBeUndefined();
    const record = await latestRecord(server.url, "CreatePolicy");
    expect(record.requestParameters).toEqual({ policyName: "s3-read", path: "/team/", policyDocument: doc("s3:Get*"), description: "read buckets", tags: [{ key: "a", value: "1" }] });
    expect(record.responseElements).toMatchObject({ policy: { arn, policyId: Policy!.PolicyId, defaultVersionId: "v1", attachmentCount: 0, isAttachable: true, createDate: expect.stringMatching(JAVA_DATE) } });
    const found = await lookupRecords(server.url, "ResourceName", arn);
    expect(found.map((r) => r.eventName)).toEqual(["CreatePolicy"]);
  });

  it("refuses a second policy of the same name", async () => {
    const err = await failure(iam.send(new CreatePolicyCommand({ PolicyName: "S3-READ", PolicyDocument: doc("s3:*") })));
    expect(err).toEqual({ name: "EntityAlreadyExistsException", status: 409, message: "A policy called S3-READ already exists. Duplicate names are not allowed." });
  });

  it("gets a policy with its description and tags, and answers a malformed ARN with ValidationError", async () => {
    const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    expect(Policy).toMatchObject({ Description: "read buckets", Tags: [{ Key: "a", Value: "1" }] });
    expect(await failure(iam.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/nope` })))).toEqual({
      name: "NoSuchEntityException",
      status: 404,
      message: `Policy arn:aws:iam::${ACCOUNT}:policy/nope does not exist or is not attachable.`,
    });
    expect(await failure(iam.send(new GetPolicyCommand({ PolicyArn: "longpolicynamebutnoarn" })))).toEqual({
      name: "ValidationError",
      status: 400,
      message: "ARN longpolicynamebutnoarn is not valid.",
    });
  });

  it("versions a policy: at most five, numbers never reused, default switchable, documents URL-encoded", async () => {
    const v2 = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc("s3:List*"), SetAsDefault: true }));
    expect(v2.PolicyVersion).toMatchObject({ VersionId: "v2", IsDefaultVersion: true });
    expect(v2.PolicyVersion!.Document).toBeUndefined();
    for (const action of ["s3:A*", "s3:B*", "s3:C*"]) await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc(action) }));
    const sixth = await failure(iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc("s3:D*") })));
    expect(sixth).toEqual({
      name: "LimitExceededException",
      status: 409,
      message: "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.",
    });
    const { Versions } = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
    expect(Versions!.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([["v5", false], ["v4", false], ["v3", false], ["v2", true], ["v1", false]]);

    const { PolicyVersion } = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v2" }));
    expect(PolicyVersion!.Document).toBe(encodeURIComponent(doc("s3:List*")).replace(/\*/g, "%2A"));

    const defaultGone = await failure(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: "v2" })));
    expect(defaultGone).toEqual({ name: "DeleteConflictException", status: 409, message: "Cannot delete the default version of a policy." });
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: "v5" }));
    const v6 = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc("s3:E*") }));
    expect(v6.PolicyVersion!.VersionId).toBe("v6");

    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: "v1" }));
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.DefaultVersionId).toBe("v1");
    const missing = await failure(iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v9" })));
    expect(missing).toEqual({ name: "NoSuchEntityException", status: 404, message: `Policy ${arn} version v9 does not exist or is not attachable.` });

    const record = await latestRecord(server.url, "CreatePolicyVersion");
    expect(record.requestParameters).toEqual({ policyArn: arn, policyDocument: doc("s3:E*") });
    expect(record.responseElements).toEqual({ policyVersion: { versionId: "v6", isDefaultVersion: false, createDate: expect.stringMatching(JAVA_DATE) } });
    expect((await latestRecord(server.url, "GetPolicyVersion")).readOnly).toBe(true);
  });

  it("tags policies with case-sensitive keys and lists them shortest first", async () => {
    await iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: "abc", Value: "x" }, { Key: "A", Value: "y" }, { Key: "z", Value: "w" }] }));
    const { Tags } = await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }));
    expect(Tags!.map((t) => t.Key)).toEqual(["A", "a", "z", "abc"]);
    await iam.send(new UntagPolicyCommand({ PolicyArn: arn, TagKeys: ["a"] }));
    expect((await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }))).Tags!.map((t) => t.Key)).toEqual(["A", "z", "abc"]);
    const dup = await failure(iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: "k", Value: "1" }, { Key: "k", Value: "2" }] })));
    expect(dup).toEqual({ name: "InvalidInputException", status: 400, message: "Duplicate tag keys found." });
    const none = await failure(iam.send(new TagPolicyCommand({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/NotAPolicy`, Tags: [{ Key: "k", Value: "1" }] })));
    expect(none).toEqual({ name: "NoSuchEntityException", status: 404, message: `Policy arn:aws:iam::${ACCOUNT}:policy/NotAPolicy was not found.` });
  });

  it("counts attachments and lists the entities that hold a policy", async () => {
    await iam.send(new CreateUserCommand({ UserName: "alice" }));
    await iam.send(new CreateGroupCommand({ GroupName: "readers", Path: "/team/" }));
    await iam.send(new CreateRoleCommand({ RoleName: "reader", AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: "alice", PolicyArn: arn }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: "readers", PolicyArn: arn }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: "reader", PolicyArn: arn }));
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.AttachmentCount).toBe(3);

    const all = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn }));
    expect(all).toMatchObject({
      PolicyGroups: [{ GroupName: "readers", GroupId: expect.stringMatching(/^AGPA/) }],
      PolicyUsers: [{ UserName: "alice", UserId: expect.stringMatching(/^AIDA/) }],
      PolicyRoles: [{ RoleName: "reader", RoleId: expect.stringMatching(/^AROA/) }],
      IsTruncated: false,
    });
    const roles = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn, EntityFilter: "Role" }));
    expect(roles).toMatchObject({ PolicyGroups: [], PolicyUsers: [], PolicyRoles: [{ RoleName: "reader" }] });
    const inPath = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn, PathPrefix: "/team/" }));
    expect(inPath).toMatchObject({ PolicyGroups: [{ GroupName: "readers" }], PolicyUsers: [], PolicyRoles: [] });

    const attached = await iam.send(new ListPoliciesCommand({ Scope: "Local", OnlyAttached: true }));
    expect(attached.Policies!.map((p) => [p.PolicyName, p.AttachmentCount])).toEqual([["s3-read", 3]]);
  });

  it("refuses to delete a policy that is attached or has versions, then deletes it", async () => {
    const inUse = await failure(iam.send(new DeletePolicyCommand({ PolicyArn: arn })));
    expect(inUse).toEqual({ name: "DeleteConflictException", status: 409, message: "Cannot delete a policy attached to entities." });
    await iam.send(new DetachUserPolicyCommand({ UserName: "alice", PolicyArn: arn }));
    await iam.send(new DetachGroupPolicyCommand({ GroupName: "readers", PolicyArn: arn }));
    await iam.send(new DetachRolePolicyCommand({ RoleName: "reader", PolicyArn: arn }));
    const versions = await failure(iam.send(new DeletePolicyCommand({ PolicyArn: arn })));
    expect(versions.message).toBe(
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
    );
    for (const v of ["v2", "v3", "v4", "v6"]) await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    expect((await failure(iam.send(new GetPolicyCommand({ PolicyArn: arn })))).name).toBe("NoSuchEntityException");
    const record = await latestRecord(server.url, "DeletePolicy");
    expect(record).toMatchObject({ requestParameters: { policyArn: arn }, responseElements: null, readOnly: false });
  });

  it("rejects documents IAM rejects", async () => {
    const err = await failure(iam.send(new CreatePolicyCommand({ PolicyName: "broken", PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}' })));
    expect(err).toEqual({ name: "MalformedPolicyDocumentException", status: 400, message: "Policy statement must contain resources." });
  });
});

describe("AWS managed policies", () => {
  let server: TestServer;
  let iam: IAMClient;
  const admin = "arn:aws:iam::aws:policy/AdministratorAccess";
  const lambdaBasic = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
  beforeAll(async () => {
    server = await startTestServer();
    iam = new IAMClient(clientConfig(server.url));
  });
  afterAll(() => server.close());

  it("exist in every account with AWS's ids, dates and descriptions", async () => {
    const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: admin }));
    expect(Policy).toEqual({
      PolicyName: "AdministratorAccess",
      PolicyId: "ANPAIWMBCKSKIEE64ZLYK",
      Arn: admin,
      Path: "/",
      DefaultVersionId: "v1",
      AttachmentCount: 0,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      Description: "Provides full access to AWS services and resources.",
      CreateDate: new Date("2015-02-06T18:39:46Z"),
      UpdateDate: new Date("2015-02-06T18:39:46Z"),
      Tags: [],
    });
    const basic = await iam.send(new GetPolicyCommand({ PolicyArn: lambdaBasic }));
    expect(basic.Policy).toMatchObject({ Path: "/service-role/", PolicyId: "ANPAJNCQGXC42545SKXIK", DefaultVersionId: "v1" });
  });

  it("return their document, pretty-printed and URL-encoded", async () => {
    const { PolicyVersion } = await iam.send(new GetPolicyVersionCommand({ PolicyArn: lambdaBasic, VersionId: "v1" }));
    expect(JSON.parse(decodeURIComponent(PolicyVersion!.Document!))).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], Resource: "*" }],
    });
    expect(PolicyVersion!.Document!.startsWith("%7B%0A%20%20%20%20%22Version%22%3A%20%222012-10-17%22")).toBe(true);
    expect(PolicyVersion).toMatchObject({ VersionId: "v1", IsDefaultVersion: true });
  });

  it("are listed with Scope=AWS and counted when attached", async () => {
    await iam.send(new CreateUserCommand({ UserName: "ops" }));
    await iam.send(new AttachUserPolicyCommand({ UserName: "ops", PolicyArn: admin }));
    const aws = await iam.send(new ListPoliciesCommand({ Scope: "AWS" }));
    const names = aws.Policies!.map((p) => p.PolicyName!);
    expect(names).toEqual(expect.arrayContaining(["AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess", "AWSLambdaBasicExecutionRole", "AWSCloudTrail_FullAccess"]));
    expect(names).toEqual([...names].sort());
    expect(aws.Policies!.find((p) => p.PolicyName === "AdministratorAccess")!.AttachmentCount).toBe(1);
    const attached = await iam.send(new ListPoliciesCommand({ OnlyAttached: true }));
    expect(attached.Policies!.map((p) => p.PolicyName)).toEqual(["AdministratorAccess"]);
    const serviceRoles = await iam.send(new ListPoliciesCommand({ Scope: "AWS", PathPrefix: "/service-role/" }));
    expect(serviceRoles.Policies!.map((p) => p.PolicyName)).toEqual(["AWSLambdaBasicExecutionRole"]);
    expect((await iam.send(new ListPoliciesCommand({ Scope: "Local" }))).Policies).toEqual([]);
  });

  it("cannot be changed, not even by the account's root", async () => {
    const deleted = await failure(iam.send(new DeletePolicyCommand({ PolicyArn: admin })));
    expect(deleted).toEqual({
      name: "AccessDenied",
      status: 403,
      message: `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: iam:DeletePolicy on resource: policy ${admin}`,
    });
    const versioned = await failure(iam.send(new CreatePolicyVersionCommand({ PolicyArn: admin, PolicyDocument: doc("s3:*") })));
    expect(versioned).toMatchObject({ name: "AccessDenied", status: 403 });
    const record = await latestRecord(server.url, "DeletePolicy");
    expect(record).toMatchObject({ errorCode: "AccessDenied", requestParameters: { policyArn: admin } });
  });
});

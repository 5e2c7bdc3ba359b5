import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  IAMClient,
  ListRolesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  DeleteRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  UpdateRoleDescriptionCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, failure } from "../helpers/clients.js";
import { latestRecord, lookupRecords } from "../helpers/records.js";

const ACCOUNT = "000000000000";

// Pretty-printed, as a user's file would be: IAM keeps the text exactly and returns it URL-encoded.
const TRUST = JSON.stringify(
  { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole" }] },
  null,
  2,
);
const EC2_TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}';

describe("IAM roles", () => {
  let server: TestServer;
  let iam: IAMClient;
  beforeAll(async () => {
    server = await startTestServer();
    iam = new IAMClient(clientConfig(server.url));
  });
  afterAll(() => server.close());

  it("creates a role and answers with the trust policy URL-encoded as RFC 3986 asks", async () => {
    const { Role } = await iam.send(
      new CreateRoleCommand({ RoleName: "deployer", Path: "/ci/", AssumeRolePolicyDocument: TRUST, Description: "CI", MaxSessionDuration: 7200, Tags: [{ Key: "team", Value: "infra" }] }),
    );
    expect(Role).toMatchObject({ RoleName: "deployer", Path: "/ci/", Arn: `arn:aws:iam::${ACCOUNT}:role/ci/deployer`, Tags: [{ Key: "team", Value: "infra" }] });
    expect(Role!.RoleId).toMatch(/^AROA[A-Z0-9]{17}$/);
    // CreateRole leaves out the description, the session duration and RoleLastUsed; GetRole has them.
    expect(Role!.Description).toBeUndefined();
    expect(Role!.MaxSessionDuration).toBeUndefined();
    expect(Role!.AssumeRolePolicyDocument).toBe(
      "%7B%0A%20%20%22Version%22%3A%20%222012-10-17%22%2C%0A%20%20%22Statement%22%3A%20%5B%0A%20%20%20%20%7B%0A%20%20%20%20%20%20%22Effect%22%3A%20%22Allow%22%2C%0A%20%20%20%20%20%20%22Principal%22%3A%20%7B%0A%20%20%20%20%20%20%20%20%22AWS%22%3A%20%22arn%3Aaws%3Aiam%3A%3A000000000000%3Aroot%22%0A%20%20%20%20%20%20%7D%2C%0A%20%20%20%20%20%20%22Action%22%3A%20%22sts%3AAssumeRole%22%0A%20%20%20%20%7D%0A%20%20%5D%0A%7D",
    );
    expect(decodeURIComponent(Role!.AssumeRolePolicyDocument!)).toBe(TRUST);

    const record = await latestRecord(server.url, "CreateRole");
    expect(record.requestParameters).toEqual({
      path: "/ci/",
      roleName: "deployer",
      assumeRolePolicyDocument: TRUST,
      description: "CI",
      maxSessionDuration: 7200,
      tags: [{ key: "team", value: "infra" }],
    });
    // The record's response keeps the document as the wire sends it: URL-encoded.
    expect(record.responseElements).toEqual({
      role: {
        path: "/ci/",
        roleName: "deployer",
        roleId: Role!.RoleId,
        arn: Role!.Arn,
        createDate: expect.stringMatching(/^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/),
        assumeRolePolicyDocument: Role!.AssumeRolePolicyDocument,
        tags: [{ key: "team", value: "infra" }],
      },
    });
    expect(record).toMatchObject({ eventSource: "iam.amazonaws.com", readOnly: false, awsRegion: "us-east-1" });
  });

  it("gets a role with its duration, description and an empty RoleLastUsed until it is assumed", async () => {
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: "DEPLOYER" }));
    expect(Role).toMatchObject({ RoleName: "deployer", Description: "CI", MaxSessionDuration: 7200, RoleLastUsed: {}, Tags: [{ Key: "team", Value: "infra" }] });
    const record = await latestRecord(server.url, "GetRole");
    expect(record).toMatchObject({ readOnly: true, requestParameters: { roleName: "DEPLOYER" }, responseElements: null });
  });

  it("notes the role's last use when STS AssumeRole is called", async () => {
    const sts = new STSClient(clientConfig(server.url));
    await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/ci/deployer`, RoleSessionName: "build" }));
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: "deployer" }));
    expect(Role!.RoleLastUsed!.Region).toBe("us-east-1");
    expect(Role!.RoleLastUsed!.LastUsedDate).toBeInstanceOf(Date);
  });

  it("lists roles without tags or last use, filtered by path", async () => {
    await iam.send(new CreateRoleCommand({ RoleName: "web", AssumeRolePolicyDocument: EC2_TRUST }));
    const all = await iam.send(new ListRolesCommand({}));
    expect(all.Roles!.map((r) => r.RoleName)).toEqual(["deployer", "web"]);
    expect(all.Roles![0]).toMatchObject({ Description: "CI", MaxSessionDuration: 7200 });
    expect(all.Roles![0]!.Tags).toBeUndefined();
    expect(all.Roles![0]!.RoleLastUsed).toBeUndefined();
    const ci = await iam.send(new ListRolesCommand({ PathPrefix: "/ci/" }));
    expect(ci.Roles!.map((r) => r.RoleName)).toEqual(["deployer"]);
    const page = await iam.send(new ListRolesCommand({ MaxItems: 1 }));
    expect(page).toMatchObject({ IsTruncated: true });
    const rest = await iam.send(new ListRolesCommand({ Marker: page.Marker }));
    expect(rest.Roles!.map((r) => r.RoleName)).toEqual(["web"]);
  });

  it("updates the description and session duration", async () => {
    await iam.send(new UpdateRoleCommand({ RoleName: "web", Description: "web tier", MaxSessionDuration: 43200 }));
    const { Role } = await iam.send(new UpdateRoleDescriptionCommand({ RoleName: "web", Description: "front end" }));
    expect(Role).toMatchObject({ RoleName: "web", Description: "front end" });
    expect(Role!.MaxSessionDuration).toBeUndefined();
    const got = await iam.send(new GetRoleCommand({ RoleName: "web" }));
    expect(got.Role).toMatchObject({ Description: "front end", MaxSessionDuration: 43200 });
  });

  it("refuses a session duration outside 3600-43200 with a ValidationError", async () => {
    const err = await failure(iam.send(new UpdateRoleCommand({ RoleName: "web", MaxSessionDuration: 60 })));
    expect(err).toEqual({
      name: "ValidationError",
      status: 400,
      message: "1 validation error detected: Value '60' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600",
    });
    const record = await latestRecord(server.url, "UpdateRole");
    expect(record).toMatchObject({ errorCode: "ValidationException", requestParameters: { roleName: "web", maxSessionDuration: 60 } });
  });

  it("replaces the trust policy and records the document as sent", async () => {
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "web", PolicyDocument: TRUST }));
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: "web" }));
    expect(decodeURIComponent(Role!.AssumeRolePolicyDocument!)).toBe(TRUST);
    const record = await latestRecord(server.url, "UpdateAssumeRolePolicy");
    expect(record).toMatchObject({ requestParameters: { roleName: "web", policyDocument: TRUST }, responseElements: null });
  });

  it("rejects trust policies IAM rejects, with its messages", async () => {
    const bad = async (doc: string) => failure(iam.send(new CreateRoleCommand({ RoleName: "bad", AssumeRolePolicyDocument: doc })));
    expect(await bad("assume-role-policy.json")).toEqual({ name: "MalformedPolicyDocumentException", status: 400, message: "This policy contains invalid Json" });
    const statement = (extra: object) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole", ...extra }] });
    expect((await bad(statement({ Resource: "*" }))).message).toBe("Has prohibited field Resource");
    expect((await bad(statement({ Action: "s3:GetObject" }))).message).toBe("AssumeRole policy may only specify STS AssumeRole actions.");
    expect((await bad(statement({ Principal: undefined }))).message).toBe("Missing required field Principal");
    const record = await latestRecord(server.url, "CreateRole");
    expect(record).toMatchObject({ errorCode: "MalformedPolicyDocumentException", errorMessage: "Missing required field Principal", responseElements: null });
    await expect(iam.send(new GetRoleCommand({ RoleName: "bad" }))).rejects.toMatchObject({ name: "NoSuchEntityException" });
  });

  it("refuses a second role of the same name, whatever the case", async () => {
    const err = await failure(iam.send(new CreateRoleCommand({ RoleName: "WEB", AssumeRolePolicyDocument: EC2_TRUST })));
    expect(err).toEqual({ name: "EntityAlreadyExistsException", status: 409, message: "Role with name WEB already exists." });
  });

  it("tags, untags and lists a role's tags; keys compare without case", async () => {
    await iam.send(new TagRoleCommand({ RoleName: "web", Tags: [{ Key: "env", Value: "prod" }, { Key: "Team", Value: "web" }] }));
    await iam.send(new TagRoleCommand({ RoleName: "web", Tags: [{ Key: "ENV", Value: "staging" }] }));
    const { Tags } = await iam.send(new ListRoleTagsCommand({ RoleName: "web" }));
    expect(Tags).toEqual([{ Key: "ENV", Value: "staging" }, { Key: "Team", Value: "web" }]);
    const dup = await failure(iam.send(new TagRoleCommand({ RoleName: "web", Tags: [{ Key: "a", Value: "1" }, { Key: "A", Value: "2" }] })));
    expect(dup).toEqual({ name: "InvalidInputException", status: 400, message: "Duplicate tag keys found. Please note that Tag keys are case insensitive." });
    await iam.send(new UntagRoleCommand({ RoleName: "web", TagKeys: ["team"] }));
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: "web" }))).Tags).toEqual([{ Key: "ENV", Value: "staging" }]);
    const record = await latestRecord(server.url, "UntagRole");
    expect(record).toMatchObject({ requestParameters: { roleName: "web", tagKeys: ["team"] }, responseElements: null });
    const found = await lookupRecords(server.url, "ResourceName", "web");
    expect(found.map((r) => r.eventName)).toContain("TagRole");
  });

  it("refuses to delete a role that still has policies, then deletes it", async () => {
    await iam.send(new AttachRolePolicyCommand({ RoleName: "web", PolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }));
    const attached = await failure(iam.send(new DeleteRoleCommand({ RoleName: "web" })));
    expect(attached).toEqual({ name: "DeleteConflictException", status: 409, message: "Cannot delete entity, must detach all policies first." });
    await iam.send(new DetachRolePolicyCommand({ RoleName: "web", PolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }));
    await iam.send(new PutRolePolicyCommand({ RoleName: "web", PolicyName: "s3", PolicyDocument: '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}' }));
    const inline = await failure(iam.send(new DeleteRoleCommand({ RoleName: "web" })));
    expect(inline.message).toBe("Cannot delete entity, must delete policies first.");
    await iam.send(new DeleteRolePolicyCommand({ RoleName: "web", PolicyName: "s3" }));
    await iam.send(new DeleteRoleCommand({ RoleName: "web" }));
    const gone = await failure(iam.send(new GetRoleCommand({ RoleName: "web" })));
    expect(gone).toEqual({ name: "NoSuchEntityException", status: 404, message: "The role with name web cannot be found." });
    const record = await latestRecord(server.url, "DeleteRole");
    expect(record).toMatchObject({ requestParameters: { roleName: "web" }, responseElements: null, readOnly: false });
  });
});

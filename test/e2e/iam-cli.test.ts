import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { aws, awsJson, boto3 } from "../helpers/cli.js";
import { lookupRecords } from "../helpers/records.js";

const ACCOUNT = "000000000000";
const TRUST = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
};
const INLINE = { Version: "2012-10-17", Statement: [{ Sid: "ReadBucket", Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::reports/*" }] };

// A Lambda execution role set up the way a user does it from a shell, then read back with boto3.
describe("an execution role built with the AWS CLI and read back with boto3", () => {
  let server: TestServer;
  let dir: string;
  beforeAll(async () => {
    server = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), "localtrail-iam-cli-"));
    writeFileSync(join(dir, "trust.json"), JSON.stringify(TRUST, null, 4));
    writeFileSync(join(dir, "inline.json"), JSON.stringify(INLINE, null, 2));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await server.close();
  });

  it("creates the role from a trust policy file and prints the document decoded", async () => {
    const created = await awsJson<{ Role: { Arn: string; AssumeRolePolicyDocument: unknown } }>(server.url, [
      "iam", "create-role", "--role-name", "report-fn", "--path", "/service/", "--assume-role-policy-document", `file://${join(dir, "trust.json")}`,
    ]);
    expect(created.Role.Arn).toBe(`arn:aws:iam::${ACCOUNT}:role/service/report-fn`);
    // botocore URL-decodes and parses policy documents, so the CLI prints the policy as JSON.
    expect(created.Role.AssumeRolePolicyDocument).toEqual(TRUST);
  });

  it("attaches AdministratorAccess and an inline policy", async () => {
    await awsJson(server.url, ["iam", "attach-role-policy", "--role-name", "report-fn", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess"]);
    await awsJson(server.url, ["iam", "put-role-policy", "--role-name", "report-fn", "--policy-name", "read-reports", "--policy-document", `file://${join(dir, "inline.json")}`]);
    const attached = await awsJson<{ AttachedPolicies: unknown[] }>(server.url, ["iam", "list-attached-role-policies", "--role-name", "report-fn"]);
    expect(attached.AttachedPolicies).toEqual([{ PolicyName: "AdministratorAccess", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }]);
    const inline = await awsJson<{ PolicyDocument: unknown; RoleName: string }>(server.url, ["iam", "get-role-policy", "--role-name", "report-fn", "--policy-name", "read-reports"]);
    expect(inline).toEqual({ RoleName: "report-fn", PolicyName: "read-reports", PolicyDocument: INLINE });
  });

  it("gets the role back with its decoded trust policy and the CLI's error for a missing one", async () => {
    const got = await awsJson<{ Role: Record<string, unknown> }>(server.url, ["iam", "get-role", "--role-name", "report-fn"]);
    expect(got.Role).toMatchObject({ RoleName: "report-fn", Path: "/service/", MaxSessionDuration: 3600, RoleLastUsed: {}, AssumeRolePolicyDocument: TRUST });
    const missing = await aws(server.url, ["iam", "get-role", "--role-name", "nobody"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("An error occurred (NoSuchEntity) when calling the GetRole operation: The role with name nobody cannot be found.");
  });

  it("reads policies and entities with boto3, documents as dictionaries", async () => {
    const out = await boto3<{ document: unknown; defaultVersion: string; roles: string[]; inline: unknown; error: string }>(
      server.url,
      `iam = boto3.client("iam")
policy = iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")["Policy"]
version = iam.get_policy_version(PolicyArn=policy["Arn"], VersionId=policy["DefaultVersionId"])["PolicyVersion"]
entities = iam.list_entities_for_policy(PolicyArn=policy["Arn"])
inline = iam.get_role_policy(RoleName="report-fn", PolicyName="read-reports")["PolicyDocument"]
try:
    iam.delete_role(RoleName="report-fn")
    error = ""
except iam.exceptions.DeleteConflictException as e:
    error = e.response["Error"]["Code"] + ": " + e.response["Error"]["Message"]
print(json.dumps({"document": version["Document"], "defaultVersion": policy["DefaultVersionId"],
  "roles": [r["RoleName"] for r in entities["PolicyRoles"]], "inline": inline, "error": error}))`,
    );
    expect(out).toEqual({
      document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
      defaultVersion: "v1",
      roles: ["report-fn"],
      inline: INLINE,
      error: "DeleteConflict: Cannot delete entity, must detach all policies first.",
    });
  });

  it("leaves the whole story in the event history, written by the CLI and boto3", async () => {
    const records = await lookupRecords(server.url, "ResourceName", "report-fn");
    expect(records.map((r) => r.eventName).reverse()).toEqual([
      "CreateRole", "AttachRolePolicy", "PutRolePolicy", "ListAttachedRolePolicies", "GetRolePolicy", "GetRole", "GetRolePolicy", "DeleteRole",
    ]);
    const create = records.find((r) => r.eventName === "CreateRole")!;
    expect(create.userAgent).toMatch(/^aws-cli\/1\./);
    expect(create.requestParameters!.assumeRolePolicyDocument).toBe(JSON.stringify(TRUST, null, 4));
    expect((create.responseElements!.role as { assumeRolePolicyDocument: string }).assumeRolePolicyDocument).toMatch(/^%7B%0A%20%20%20%20%22Version%22/);
    const denied = records.find((r) => r.eventName === "DeleteRole")!;
    expect(denied).toMatchObject({ errorCode: "DeleteConflictException", errorMessage: "Cannot delete entity, must detach all policies first." });
    expect(denied.userAgent).toMatch(/^Boto3\//);
  });
});

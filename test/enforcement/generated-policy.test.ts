import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AttachRolePolicyCommand, CreateRoleCommand, CreateUserCommand, DeleteUserCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";
import { lookupRecords } from "../helpers/records.js";
import { policy } from "./principals.js";

/**
 * Least privilege from the history: the app runs as a broad role, the generated policy is attached to a
 * fresh role, and the same app run as that role, with enforcement on, is denied nothing.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ flags: ["--enforce-iam"] });
  await new S3Client(clientConfig(server.url)).send(new CreateBucketCommand({ Bucket: "app-bucket" }));
  await new CloudWatchLogsClient(clientConfig(server.url)).send(new (await import("@aws-sdk/client-cloudwatch-logs")).CreateLogGroupCommand({ logGroupName: "/app/logs" }));
});
afterAll(() => server.close());

const trust = policy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::000000000000:root" }, Action: "sts:AssumeRole" });

async function roleSession(roleArn: string, name: string): Promise<AwsCredentialIdentity> {
  // The account's root may not assume roles: a user trusted through the account does.
  const iam = new IAMClient(clientConfig(server.url));
  await iam.send(new CreateUserCommand({ UserName: name })).catch(() => undefined);
  await iam.send(new (await import("@aws-sdk/client-iam")).PutUserPolicyCommand({ UserName: name, PolicyName: "assume", PolicyDocument: policy({ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }) }));
  const { AccessKey } = await iam.send(new (await import("@aws-sdk/client-iam")).CreateAccessKeyCommand({ UserName: name }));
  const user = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
  const { Credentials } = await new STSClient(clientConfig(server.url, user)).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "run" }));
  return { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
}

/** The application: what it does with IAM, S3, KMS, CloudWatch Logs and STS. */
async function app(credentials: AwsCredentialIdentity, run: number): Promise<void> {
  const iam = new IAMClient(clientConfig(server.url, credentials));
  const s3 = new S3Client(clientConfig(server.url, credentials));
  const kms = new KMSClient(clientConfig(server.url, credentials));
  const logs = new CloudWatchLogsClient(clientConfig(server.url, credentials));
  await new STSClient(clientConfig(server.url, credentials)).send(new GetCallerIdentityCommand({}));
  await iam.send(new CreateUserCommand({ UserName: "worker" }));
  await iam.send(new DeleteUserCommand({ UserName: "worker" }));
  await s3.send(new PutObjectCommand({ Bucket: "app-bucket", Key: `reports/${run}.csv`, Body: "a,b" }));
  await s3.send(new GetObjectCommand({ Bucket: "app-bucket", Key: `reports/${run}.csv` }));
  await s3.send(new ListObjectsV2Command({ Bucket: "app-bucket", Prefix: "reports/" }));
  await s3.send(new DeleteObjectCommand({ Bucket: "app-bucket", Key: `reports/${run}.csv` }));
  const key = await kms.send(new CreateKeyCommand({ Description: `run ${run}` }));
  const sealed = await kms.send(new EncryptCommand({ KeyId: key.KeyMetadata!.KeyId!, Plaintext: Buffer.from("secret") }));
  await kms.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: "/app/logs", logStreamName: `run-${run}` }));
  await logs.send(new PutLogEventsCommand({ logGroupName: "/app/logs", logStreamName: `run-${run}`, logEvents: [{ timestamp: Date.now(), message: "hello" }] }));
}

describe("GET /_localtrail/policy", () => {
  it("generates the policy of what a role's sessions did, and the app runs under it with nothing denied", async () => {
    const iam = new IAMClient(clientConfig(server.url));
    const { Role: broad } = await iam.send(new CreateRoleCommand({ RoleName: "app-broad", AssumeRolePolicyDocument: trust }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: "app-broad", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }));
    await app(await roleSession(broad!.Arn!, "runner-1"), 1);

    const response = await fetch(`${server.url}/_localtrail/policy?principal=${encodeURIComponent(broad!.Arn!)}&since=1h`);
    expect(response.status).toBe(200);
    const generated = (await response.json()) as { Version: string; Statement: { Effect: string; Action: string | string[]; Resource: string | string[] }[] };
    expect(generated.Version).toBe("2012-10-17");
    const grants = generated.Statement.flatMap((s) => [s.Action].flat().map((a) => [a, [s.Resource].flat()] as const));
    expect(Object.fromEntries(grants)).toEqual({
      "iam:CreateUser": ["arn:aws:iam::000000000000:user/worker"],
      "iam:DeleteUser": ["arn:aws:iam::000000000000:user/worker"],
      "s3:PutObject": ["arn:aws:s3:::app-bucket/*"],
      "s3:GetObject": ["arn:aws:s3:::app-bucket/*"],
      "s3:DeleteObject": ["arn:aws:s3:::app-bucket/*"],
      "s3:ListBucket": ["arn:aws:s3:::app-bucket"],
      "kms:CreateKey": ["*"],
      "kms:Encrypt": ["arn:aws:kms:us-east-1:000000000000:key/*"],
      "kms:Decrypt": ["arn:aws:kms:us-east-1:000000000000:key/*"],
      "logs:CreateLogStream": ["arn:aws:logs:us-east-1:000000000000:log-group:/app/logs:*"],
      "logs:PutLogEvents": ["arn:aws:logs:us-east-1:000000000000:log-group:/app/logs:*"],
    });

    // The same document from the command line, as a person asks for it.
    const printed = await promisify(execFile)(process.execPath, [join(import.meta.dirname, "../../bin/localtrail.js"), "policy", broad!.Arn!, "--since", "1h", "--endpoint", server.url]);
    expect(JSON.parse(printed.stdout)).toEqual(generated);

    const { Role: least } = await iam.send(new CreateRoleCommand({ RoleName: "app-least", AssumeRolePolicyDocument: trust }));
    await iam.send(new PutRolePolicyCommand({ RoleName: "app-least", PolicyName: "generated", PolicyDocument: JSON.stringify(generated) }));
    const session = await roleSession(least!.Arn!, "runner-2");
    // Every call of the app throws if refused; the history agrees.
    await app(session, 2);
    const runs = (await lookupRecords(server.url, "Username", "run")).filter((r) => r.userIdentity.sessionContext?.sessionIssuer?.userName === "app-least");
    expect(runs.map((r) => r.eventName)).toEqual(expect.arrayContaining(["CreateLogStream", "Decrypt", "CreateUser"]));
    expect(runs.filter((r) => r.errorCode)).toEqual([]);

    // And it is least privilege: what the app never did is denied.
    const other = await new S3Client(clientConfig(server.url, session)).send(new CreateBucketCommand({ Bucket: "not-the-apps" })).catch((e: Error) => e);
    expect((other as Error).name).toBe("AccessDenied");
  });

  it("refuses a request without a principal ARN or with a bad since", async () => {
    expect((await fetch(`${server.url}/_localtrail/policy`)).status).toBe(400);
    expect((await fetch(`${server.url}/_localtrail/policy?principal=arn:aws:iam::000000000000:user/x&since=yesterday`)).status).toBe(400);
    const empty = await (await fetch(`${server.url}/_localtrail/policy?principal=arn:aws:iam::000000000000:user/nobody-at-all`)).json();
    expect(empty).toEqual({ Version: "2012-10-17", Statement: [] });
  });
});

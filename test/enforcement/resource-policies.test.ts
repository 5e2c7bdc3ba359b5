import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutBucketPolicyCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, codeAndStatus, failure, ROOT } from "../helpers/clients.js";
import { latestRecord } from "../helpers/records.js";
import { policy, userWith } from "./principals.js";

/** Resource-based policies and sessions: role trust, session policies, bucket policies across accounts, key policies. */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ flags: ["--enforce-iam"] });
});
afterAll(() => server.close());

const s3 = (credentials = ROOT) => new S3Client(clientConfig(server.url, credentials));
const sts = (credentials = ROOT) => new STSClient(clientConfig(server.url, credentials));
const iam = (credentials = ROOT) => new IAMClient(clientConfig(server.url, credentials));
const kms = (credentials = ROOT) => new KMSClient(clientConfig(server.url, credentials));

async function assume(credentials: typeof ROOT, roleArn: string, extra: { Policy?: string; PolicyArns?: { arn: string }[] } = {}) {
  const { Credentials } = await sts(credentials).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "s1", ...extra }));
  return { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
}

describe("role trust policies and session policies", () => {
  it("a role session is limited by its session policy", async () => {
    await s3().send(new CreateBucketCommand({ Bucket: "app-data" }));
    const trust = policy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::000000000000:user/dev" }, Action: "sts:AssumeRole" });
    const { Role } = await iam().send(new CreateRoleCommand({ RoleName: "app", AssumeRolePolicyDocument: trust }));
    await iam().send(new PutRolePolicyCommand({ RoleName: "app", PolicyName: "s3", PolicyDocument: policy({ Effect: "Allow", Action: "s3:*", Resource: "*" }) }));
    const dev = await userWith(server.url, "dev");

    const full = await assume(dev, Role!.Arn!);
    await s3(full).send(new PutObjectCommand({ Bucket: "app-data", Key: "k", Body: "x" }));

    const readOnly = await assume(dev, Role!.Arn!, { Policy: policy({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::app-data/*" }) });
    await s3(readOnly).send(new GetObjectCommand({ Bucket: "app-data", Key: "k" }));
    const denied = await failure(s3(readOnly).send(new PutObjectCommand({ Bucket: "app-data", Key: "k2", Body: "x" })));
    expect(denied).toEqual({
      name: "AccessDenied",
      status: 403,
      message: 'User: arn:aws:sts::000000000000:assumed-role/app/s1 is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::app-data/k2" because no session policy allows the s3:PutObject action',
    });

    const managedSession = await assume(dev, Role!.Arn!, { PolicyArns: [{ arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }] });
    await s3(managedSession).send(new ListObjectsV2Command({ Bucket: "app-data" }));
    expect(await codeAndStatus(s3(managedSession).send(new PutObjectCommand({ Bucket: "app-data", Key: "k3", Body: "x" })))).toEqual({ name: "AccessDenied", status: 403 });
  });

  it("a trust policy naming the account needs the caller's own permission; root never assumes a role", async () => {
    const trust = policy({ Effect: "Allow", Principal: { AWS: "000000000000" }, Action: "sts:AssumeRole" });
    const { Role } = await iam().send(new CreateRoleCommand({ RoleName: "account-trusted", AssumeRolePolicyDocument: trust }));
    const plain = await userWith(server.url, "plain");
    const denied = await failure(assume(plain, Role!.Arn!));
    expect(denied.message).toBe(`User: arn:aws:iam::000000000000:user/plain is not authorized to perform: sts:AssumeRole on resource: ${Role!.Arn} because no identity-based policy allows the sts:AssumeRole action`);
    const allowed = await userWith(server.url, "assumer", { inline: [[{ Effect: "Allow", Action: "sts:AssumeRole", Resource: Role!.Arn! }]] });
    await assume(allowed, Role!.Arn!);
    expect(await failure(assume(ROOT, Role!.Arn!))).toEqual({ name: "AccessDenied", status: 403, message: "Roles may not be assumed by root accounts." });
  });

  it("trust policy conditions are evaluated (sts:ExternalId)", async () => {
    const trust = policy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::000000000000:user/partner" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "s3cret" } } });
    const { Role } = await iam().send(new CreateRoleCommand({ RoleName: "partner-role", AssumeRolePolicyDocument: trust }));
    const partner = await userWith(server.url, "partner");
    expect(await codeAndStatus(sts(partner).send(new AssumeRoleCommand({ RoleArn: Role!.Arn!, RoleSessionName: "partner-session" })))).toEqual({ name: "AccessDenied", status: 403 });
    await sts(partner).send(new AssumeRoleCommand({ RoleArn: Role!.Arn!, RoleSessionName: "partner-session", ExternalId: "s3cret" }));
  });
});

describe("bucket policies across accounts", () => {
  const OWNER = { accessKeyId: "111111111111", secretAccessKey: "test" };
  const PARTNER = { accessKeyId: "222222222222", secretAccessKey: "test" };

  it("another account reads a bucket only as its bucket policy and its own policies allow, and is told only Access Denied", async () => {
    await s3(OWNER).send(new CreateBucketCommand({ Bucket: "owner-reports" }));
    await s3(OWNER).send(new PutObjectCommand({ Bucket: "owner-reports", Key: "q1.csv", Body: "a,b" }));
    expect(await failure(s3(PARTNER).send(new GetObjectCommand({ Bucket: "owner-reports", Key: "q1.csv" })))).toEqual({ name: "AccessDenied", status: 403, message: "Access Denied" });

    await s3(OWNER).send(
      new PutBucketPolicyCommand({
        Bucket: "owner-reports",
        Policy: policy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: ["s3:GetObject", "s3:ListBucket"], Resource: ["arn:aws:s3:::owner-reports", "arn:aws:s3:::owner-reports/*"] }),
      }),
    );
    // The partner account's root has every permission in its own account: the bucket policy is enough.
    const got = await s3(PARTNER).send(new GetObjectCommand({ Bucket: "owner-reports", Key: "q1.csv" }));
    expect(await got.Body!.transformToString()).toBe("a,b");
    const listed = await s3(PARTNER).send(new ListObjectsV2Command({ Bucket: "owner-reports" }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(["q1.csv"]);
    expect(await codeAndStatus(s3(PARTNER).send(new PutObjectCommand({ Bucket: "owner-reports", Key: "x", Body: "x" })))).toEqual({ name: "AccessDenied", status: 403 });

    // A user of the partner account also needs its own identity policy.
    const analyst = await userWith(server.url, "analyst", { root: PARTNER });
    expect(await codeAndStatus(s3(analyst).send(new GetObjectCommand({ Bucket: "owner-reports", Key: "q1.csv" })))).toEqual({ name: "AccessDenied", status: 403 });
    const reader = await userWith(server.url, "reader", { root: PARTNER, inline: [[{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::owner-reports/*" }]] });
    await s3(reader).send(new GetObjectCommand({ Bucket: "owner-reports", Key: "q1.csv" }));
  });

  it("an explicit Deny in a bucket policy applies even to the owner's root", async () => {
    await s3(OWNER).send(new CreateBucketCommand({ Bucket: "locked" }));
    await s3(OWNER).send(new PutBucketPolicyCommand({ Bucket: "locked", Policy: policy({ Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: "arn:aws:s3:::locked/*" }) }));
    const denied = await failure(s3(OWNER).send(new PutObjectCommand({ Bucket: "locked", Key: "k", Body: "x" })));
    expect(denied).toEqual({ name: "AccessDenied", status: 403, message: 'User: arn:aws:iam::111111111111:root is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::locked/k" with an explicit deny in a resource-based policy' });
  });
});

describe("KMS key policies", () => {
  it("the key policy must allow: the default one delegates to IAM policies, one without the account statement refuses even an IAM admin", async () => {
    const admin = await userWith(server.url, "kms-admin", { managed: ["arn:aws:iam::aws:policy/AdministratorAccess"] });
    const delegated = await kms().send(new CreateKeyCommand({}));
    const sealed = await kms(admin).send(new EncryptCommand({ KeyId: delegated.KeyMetadata!.KeyId!, Plaintext: Buffer.from("hi") }));
    await kms(admin).send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }));
    const nobody = await userWith(server.url, "kms-nobody");
    expect(await codeAndStatus(kms(nobody).send(new EncryptCommand({ KeyId: delegated.KeyMetadata!.KeyId!, Plaintext: Buffer.from("hi") })))).toEqual({ name: "AccessDeniedException", status: 400 });

    const keyPolicy = policy({ Sid: "OnlyRoot", Effect: "Allow", Principal: { AWS: "arn:aws:iam::000000000000:user/kms-owner" }, Action: "kms:*", Resource: "*" });
    await userWith(server.url, "kms-owner");
    const strict = await kms().send(new CreateKeyCommand({ Policy: keyPolicy, BypassPolicyLockoutSafetyCheck: true }));
    const arn = strict.KeyMetadata!.Arn!;
    const denied = await failure(kms(admin).send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from("hi") })));
    expect(denied).toEqual({
      name: "AccessDeniedException",
      status: 400,
      message: `User: arn:aws:iam::000000000000:user/kms-admin is not authorized to perform: kms:Encrypt on resource: ${arn} because no resource-based policy allows the kms:Encrypt action`,
    });
    const record = await latestRecord(server.url, "Encrypt");
    expect(record).toMatchObject({ errorCode: "AccessDenied", errorMessage: denied.message });
  });
});

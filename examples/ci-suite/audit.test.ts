/**
 * A CI suite's audit assertions with localtrail/testing: each test file gets its own localtrail (a process
 * on a free port, so parallel workers never share one), the code under test runs against it, and the
 * matchers say what the audit trail must (and must not) hold. Run it with:
 *
 *   npx vitest run --config examples/ci-suite/vitest.config.ts
 *
 * In your project: npm install --save-dev localtrail, and import from "localtrail/testing" as below.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AttachRolePolicyCommand, CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { localtrailMatchers, startLocaltrail, type Localtrail, type LocaltrailMatchers } from "localtrail/testing";

declare module "vitest" {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- vitest's own declaration has this parameter
  interface Assertion<T = any> extends LocaltrailMatchers<Promise<T>> {}
}
expect.extend(localtrailMatchers);

/** The code under test: a deploy step that runs as a role and writes the release to a bucket. */
async function deploy(config: Localtrail["clientConfig"], release: string): Promise<void> {
  const iam = new IAMClient(config);
  await iam.send(
    new CreateRoleCommand({
      RoleName: "deployer",
      AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::000000000000:root" }, Action: "sts:AssumeRole" }] }),
    }),
  );
  await iam.send(new AttachRolePolicyCommand({ RoleName: "deployer", PolicyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" }));
  const { Credentials } = await new STSClient(config).send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::000000000000:role/deployer", RoleSessionName: "ci-deploy" }));
  const s3 = new S3Client({ ...config, forcePathStyle: true, credentials: { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! } });
  await s3.send(new CreateBucketCommand({ Bucket: "releases" }));
  await s3.send(new PutObjectCommand({ Bucket: "releases", Key: `${release}.zip`, Body: "release" }));
}

describe("the deploy, as the audit trail tells it", () => {
  let trail: Localtrail;
  beforeAll(async () => {
    trail = await startLocaltrail({ ephemeral: true });
  });
  beforeEach(() => trail.reset());
  afterAll(() => trail.stop());

  it("uploads the release as the deploy role's session, not as root", async () => {
    await deploy(trail.clientConfig, "v1.2.3");
    await expect(trail).toHaveRecorded({
      eventName: "PutObject",
      requestParameters: { bucketName: "releases", key: "v1.2.3.zip" },
      userIdentity: { type: "AssumedRole", sessionContext: { sessionIssuer: { userName: "deployer" } } },
    });
    await expect(trail).not.toHaveRecorded({ eventName: "PutObject", userIdentity: { type: "Root" } });
  });

  it("assumes the role exactly once and deletes nothing", async () => {
    await deploy(trail.clientConfig, "v1.2.4");
    await expect(trail).toHaveRecordedTimes(1, { eventName: "AssumeRole", requestParameters: { roleSessionName: "ci-deploy" } });
    await expect(trail).not.toHaveRecorded({ eventName: /^Delete/ });
  });

  it("every call of the deploy succeeded", async () => {
    await deploy(trail.clientConfig, "v1.2.5");
    const failed = (await trail.events()).filter((r) => r.errorCode);
    expect(failed.map((r) => `${r.eventName}: ${r.errorCode}`)).toEqual([]);
  });
});

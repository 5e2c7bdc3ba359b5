/**
 * A CI check as a test suite would write it: run a deploy step against localtrail, then assert what the
 * audit trail says about it: exactly one IAM user created, by the deploy role, and nothing deleted.
 *
 *   npx tsx examples/assert-audit-in-ci.ts [endpoint]        (localtrail running, e.g. npm start)
 */
import { CloudTrailClient, LookupEventsCommand, paginateLookupEvents } from "@aws-sdk/client-cloudtrail";
import { CreateRoleCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";

const endpoint = process.argv[2] ?? process.env.LOCALTRAIL_ENDPOINT ?? "http://127.0.0.1:4566";
const root = { accessKeyId: "test", secretAccessKey: "test" };
const config = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => ({ endpoint, region: "us-east-1", credentials, maxAttempts: 1 });

/** The deploy under test: it runs as a role and creates the service's IAM user. */
async function deploy(runId: string): Promise<void> {
  const iam = new IAMClient(config(root));
  await iam.send(
    new CreateRoleCommand({
      RoleName: `deployer-${runId}`,
      AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::000000000000:root" }, Action: "sts:AssumeRole" }] }),
    }),
  );
  const { Credentials } = await new STSClient(config(root)).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::000000000000:role/deployer-${runId}`, RoleSessionName: `deploy-${runId}` }));
  const asDeployer = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
  await new IAMClient(config(asDeployer)).send(new CreateUserCommand({ UserName: `svc-${runId}` }));
}

async function main(): Promise<void> {
  const runId = Date.now().toString(36);
  const started = new Date(Date.now() - 1000);
  await deploy(runId);

  // What did the deploy session do? LookupEvents by the session's Username, from the start of the run.
  const cloudtrail = new CloudTrailClient(config(root));
  const records = [];
  for await (const page of paginateLookupEvents({ client: cloudtrail }, { StartTime: started, LookupAttributes: [{ AttributeKey: "Username", AttributeValue: `deploy-${runId}` }] })) {
    for (const event of page.Events ?? []) records.push(JSON.parse(event.CloudTrailEvent!));
  }
  const created = records.filter((r) => r.eventName === "CreateUser" && !r.errorCode);
  const deletions = records.filter((r) => /^Delete/.test(r.eventName));
  const failures = [];
  if (created.length !== 1) failures.push(`expected exactly one CreateUser, found ${created.length}`);
  if (created[0]?.requestParameters?.userName !== `svc-${runId}`) failures.push("the created user is not the service user");
  if (created[0]?.userIdentity?.sessionContext?.sessionIssuer?.userName !== `deployer-${runId}`) failures.push("the user was not created by the deploy role");
  if (deletions.length > 0) failures.push(`the deploy deleted things: ${deletions.map((r) => r.eventName).join(", ")}`);
  // The call that created the user is in Event history for us-east-1, where IAM's events live.
  const check = await cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: `svc-${runId}` }] }));
  if (check.Events?.length !== 1) failures.push("the new user's CreateUser is not findable by ResourceName");

  if (failures.length > 0) {
    console.error(`audit check failed:\n  ${failures.join("\n  ")}`);
    process.exit(1);
  }
  console.log(`audit check passed: deploy-${runId} created exactly one user (svc-${runId}) as deployer-${runId}, deleted nothing`);
}

await main();

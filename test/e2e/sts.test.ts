import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IAMClient, CreateRoleCommand, CreateUserCommand, CreateAccessKeyCommand, GetRoleCommand } from "@aws-sdk/client-iam";
import { STSClient, AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from "@aws-sdk/client-sts";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, sdkError } from "../helpers/clients.js";
import { lookupRecords } from "../helpers/records.js";
import { boto3 } from "../helpers/cli.js";
import { signRequest } from "../helpers/signed-request.js";
import { request } from "node:http";

const trust = (principal: unknown) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole" }] });

describe("STS", () => {
  let server: TestServer;
  let alice: { accessKeyId: string; secretAccessKey: string };
  beforeAll(async () => {
    server = await startTestServer();
    const iam = new IAMClient(clientConfig(server.url));
    await iam.send(new CreateUserCommand({ UserName: "alice" }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: "alice" }));
    alice = { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
    await iam.send(new CreateRoleCommand({ RoleName: "deployer", Path: "/ci/", AssumeRolePolicyDocument: trust({ AWS: "arn:aws:iam::000000000000:user/alice" }) }));
    await iam.send(new CreateRoleCommand({ RoleName: "locked", AssumeRolePolicyDocument: trust({ Service: "lambda.amazonaws.com" }) }));
  });
  afterAll(() => server.close());

  it("AssumeRole gives temporary credentials that act as the role session, and records say so", async () => {
    const sts = new STSClient(clientConfig(server.url, alice));
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::000000000000:role/ci/deployer", RoleSessionName: "release-42", DurationSeconds: 900 }));
    expect(out.Credentials!.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(out.Credentials!.SessionToken!.length).toBeGreaterThan(100);
    expect(out.AssumedRoleUser!.Arn).toBe("arn:aws:sts::000000000000:assumed-role/deployer/release-42");
    const expiresIn = out.Credentials!.Expiration!.getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(800_000);
    expect(expiresIn).toBeLessThanOrEqual(900_000);

    const session = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
    const who = await new STSClient(clientConfig(server.url, session)).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: "000000000000", Arn: "arn:aws:sts::000000000000:assumed-role/deployer/release-42", UserId: `${out.AssumedRoleUser!.AssumedRoleId!.split(":")[0]}:release-42` });

    const [record] = await lookupRecords(server.url, "Username", "release-42");
    expect(record!.eventName).toBe("GetCallerIdentity");
    expect(record!.userIdentity).toEqual({
      type: "AssumedRole",
      principalId: out.AssumedRoleUser!.AssumedRoleId,
      arn: "arn:aws:sts::000000000000:assumed-role/deployer/release-42",
      accountId: "000000000000",
      accessKeyId: session.accessKeyId,
      sessionContext: {
        sessionIssuer: { type: "Role", principalId: out.AssumedRoleUser!.AssumedRoleId!.split(":")[0], arn: "arn:aws:iam::000000000000:role/ci/deployer", accountId: "000000000000", userName: "deployer" },
        webIdFederationData: {},
        attributes: { creationDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), mfaAuthenticated: "false" },
      },
    });

    const [assume] = await lookupRecords(server.url, "EventName", "AssumeRole");
    expect(assume).toMatchObject({
      userIdentity: { type: "IAMUser", userName: "alice" },
      requestParameters: { roleArn: "arn:aws:iam::000000000000:role/ci/deployer", roleSessionName: "release-42", durationSeconds: 900 },
      responseElements: { credentials: { accessKeyId: session.accessKeyId, sessionToken: session.sessionToken }, assumedRoleUser: { arn: out.AssumedRoleUser!.Arn } },
      resources: [{ accountId: "000000000000", type: "AWS::IAM::Role", ARN: "arn:aws:iam::000000000000:role/ci/deployer" }],
    });
    expect(assume!.responseElements!.credentials).not.toHaveProperty("secretAccessKey");
    expect((assume!.responseElements!.credentials as { expiration: string }).expiration).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d\d:\d\d [AP]M$/);
    expect(assume).not.toHaveProperty("sharedEventID");

    const role = await new IAMClient(clientConfig(server.url)).send(new GetRoleCommand({ RoleName: "deployer" }));
    expect(role.Role!.RoleLastUsed?.LastUsedDate).toBeInstanceOf(Date);
  });

  it("keeps a source identity on the session's records and through role chaining (IAM User Guide, role chaining example)", async () => {
    await new IAMClient(clientConfig(server.url)).send(new CreateRoleCommand({ RoleName: "chained", AssumeRolePolicyDocument: trust({ AWS: "000000000000" }) }));
    const first = await new STSClient(clientConfig(server.url, alice)).send(
      new AssumeRoleCommand({ RoleArn: "arn:aws:iam::000000000000:role/ci/deployer", RoleSessionName: "with-source", SourceIdentity: "alice-laptop" }),
    );
    expect(first.SourceIdentity).toBe("alice-laptop");
    const asFirst = { accessKeyId: first.Credentials!.AccessKeyId!, secretAccessKey: first.Credentials!.SecretAccessKey!, sessionToken: first.Credentials!.SessionToken! };
    const second = await new STSClient(clientConfig(server.url, asFirst)).send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::000000000000:role/chained", RoleSessionName: "hop-2" }));
    expect(second.SourceIdentity).toBe("alice-laptop");

    const [chaining] = await lookupRecords(server.url, "Username", "with-source");
    expect(chaining).toMatchObject({ eventName: "AssumeRole", userIdentity: { type: "AssumedRole", sessionContext: { sourceIdentity: "alice-laptop" } } });
    const asSecond = { accessKeyId: second.Credentials!.AccessKeyId!, secretAccessKey: second.Credentials!.SecretAccessKey!, sessionToken: second.Credentials!.SessionToken! };
    await new STSClient(clientConfig(server.url, asSecond)).send(new GetCallerIdentityCommand({}));
    const [hop] = await lookupRecords(server.url, "Username", "hop-2");
    expect((hop!.userIdentity.sessionContext as { sourceIdentity?: string }).sourceIdentity).toBe("alice-laptop");
  });

  it("refuses callers the trust policy does not name with AccessDenied, and records the refusal", async () => {
    const sts = new STSClient(clientConfig(server.url));
    const err = await sdkError(sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::000000000000:role/locked", RoleSessionName: "s1" })));
    expect(err).toMatchObject({ name: "AccessDenied", $metadata: { httpStatusCode: 403 } });
    expect(err.message).toBe("User: arn:aws:iam::000000000000:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role/locked");
    const missing = await sdkError(sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::000000000000:role/nope", RoleSessionName: "s1" })));
    expect(missing.name).toBe("AccessDenied");
    const [record] = await lookupRecords(server.url, "EventName", "AssumeRole");
    expect(record).toMatchObject({ errorCode: "AccessDenied", responseElements: null, requestParameters: { roleArn: "arn:aws:iam::000000000000:role/nope" } });
  });

  it("a role assumed across accounts leaves a copy in the role owner's history with one shared event id", async () => {
    const other = { accessKeyId: "111122223333", secretAccessKey: "test" };
    await new IAMClient(clientConfig(server.url, other)).send(new CreateRoleCommand({ RoleName: "auditor", AssumeRolePolicyDocument: trust({ AWS: "000000000000" }) }));
    await new STSClient(clientConfig(server.url)).send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::111122223333:role/auditor", RoleSessionName: "x-account" }));
    const [own] = await lookupRecords(server.url, "ResourceName", "arn:aws:iam::111122223333:role/auditor");
    const [theirs] = await lookupRecords(server.url, "ResourceName", "arn:aws:iam::111122223333:role/auditor", "us-east-1", other);
    expect(own).toMatchObject({ recipientAccountId: "000000000000", userIdentity: { type: "Root" } });
    expect(theirs).toMatchObject({ recipientAccountId: "111122223333", userIdentity: { type: "AWSAccount", principalId: "000000000000", accountId: "000000000000" } });
    expect(own!.sharedEventID).toMatch(/^[0-9a-f-]{36}$/);
    expect(theirs!.sharedEventID).toBe(own!.sharedEventID);
    expect(theirs!.eventID).not.toBe(own!.eventID);
  });

  it("GetSessionToken gives a user temporary credentials whose calls carry session attributes", async () => {
    const out = await new STSClient(clientConfig(server.url, alice)).send(new GetSessionTokenCommand({ DurationSeconds: 3600 }));
    const session = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
    await new CloudTrailClient(clientConfig(server.url, session)).send(new LookupEventsCommand({ MaxResults: 1 }));
    const [record] = await lookupRecords(server.url, "AccessKeyId", session.accessKeyId);
    expect(record!.userIdentity).toMatchObject({ type: "IAMUser", userName: "alice", accessKeyId: session.accessKeyId, sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes: { mfaAuthenticated: "false" } } });
    const [issued] = await lookupRecords(server.url, "EventName", "GetSessionToken");
    expect(issued).toMatchObject({ readOnly: false, responseElements: { credentials: { accessKeyId: session.accessKeyId } } });
    const again = await sdkError(new STSClient(clientConfig(server.url, session)).send(new GetSessionTokenCommand({})));
    expect(again.name).toBe("AccessDenied");
  });

  it("refuses temporary credentials without their session token", async () => {
    const out = await new STSClient(clientConfig(server.url, alice)).send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::000000000000:role/ci/deployer", RoleSessionName: "no-token" }));
    const err = await sdkError(
      new STSClient(clientConfig(server.url, { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey! })).send(new GetCallerIdentityCommand({})),
    );
    expect(err).toMatchObject({ name: "InvalidClientTokenId", $metadata: { httpStatusCode: 403 } });
  });

  it("works from boto3 the same way", async () => {
    const py = await boto3<{ arn: string }>(
      server.url,
      `sts = boto3.client("sts")
c = sts.assume_role(RoleArn="arn:aws:iam::000000000000:role/ci/deployer", RoleSessionName="py")["Credentials"]
s = boto3.client("sts", aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])
print(json.dumps({"arn": s.get_caller_identity()["Arn"]}))`,
      alice,
    );
    expect(py.arn).toBe("arn:aws:sts::000000000000:assumed-role/deployer/py");
  });

  it("records a call to a regional endpoint in that region, and only one to the global endpoint in us-east-1", async () => {
    // boto3 and the CLI v2 sign for the client's region and call sts.<region>.amazonaws.com (here the endpoint URL).
    const py = await boto3<{ account: string }>(server.url, `print(json.dumps({"account": boto3.client("sts").get_caller_identity()["Account"]}))`, alice, "eu-west-1");
    expect(py.account).toBe("000000000000");
    const [regional] = await lookupRecords(server.url, "AccessKeyId", alice.accessKeyId, "eu-west-1");
    expect(regional).toMatchObject({ eventName: "GetCallerIdentity", awsRegion: "eu-west-1" });

    // A client that calls the global endpoint sends Host sts.amazonaws.com and signs for us-east-1.
    const body = "Action=GetCallerIdentity&Version=2011-06-15";
    const signed = await signRequest({ url: "http://sts.amazonaws.com", service: "sts", body, headers: { "content-type": "application/x-www-form-urlencoded", "user-agent": "global-endpoint-client" } });
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(server.url, { method: "POST", headers: signed.headers }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      req.end(body);
    });
    expect(status).toBe(200);
    const global = (await lookupRecords(server.url, "EventName", "GetCallerIdentity")).find((r) => r.userAgent === "global-endpoint-client");
    expect(global).toMatchObject({ awsRegion: "us-east-1" });
  });

  it("issues access key ids in AWS's alphabet that encode their account, which GetAccessKeyInfo and public decoders read", async () => {
    const other = { accessKeyId: "111122223333", secretAccessKey: "test" };
    const iam = new IAMClient(clientConfig(server.url, other));
    await iam.send(new CreateUserCommand({ UserName: "keyed" }));
    const long = (await iam.send(new CreateAccessKeyCommand({ UserName: "keyed" }))).AccessKey!;
    await iam.send(new CreateRoleCommand({ RoleName: "keyed-role", AssumeRolePolicyDocument: trust({ AWS: "arn:aws:iam::111122223333:root" }) }));
    const temp = (await new STSClient(clientConfig(server.url, other)).send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::111122223333:role/keyed-role", RoleSessionName: "kk" }))).Credentials!;
    expect(long.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(temp.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);

    // The decoder published by security researchers (and used by trufflehog-style scanners).
    const decoded = await boto3<string[]>(
      server.url,
      `import base64
def account(key):
    z = int.from_bytes(base64.b32decode(key[4:])[0:6], "big")
    return "{:012d}".format((z & 0x7fffffffff80) >> 7)
print(json.dumps([account(k) for k in sys.argv[1:]]))`.replace("sys.argv[1:]", JSON.stringify([long.AccessKeyId, temp.AccessKeyId])),
    );
    expect(decoded).toEqual(["111122223333", "111122223333"]);

    const info = await boto3<string[]>(
      server.url,
      `sts = boto3.client("sts")
print(json.dumps([sts.get_access_key_info(AccessKeyId=k)["Account"] for k in ${JSON.stringify([long.AccessKeyId, temp.AccessKeyId])}]))`,
    );
    expect(info).toEqual(["111122223333", "111122223333"]);
    const [record] = await lookupRecords(server.url, "EventName", "GetAccessKeyInfo");
    expect(record).toMatchObject({ eventSource: "sts.amazonaws.com", readOnly: true, requestParameters: { accessKeyId: temp.AccessKeyId }, responseElements: null });
  });
});

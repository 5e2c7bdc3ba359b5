import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AddClientIDToOpenIDConnectProviderCommand, CreateOpenIDConnectProviderCommand, CreateRoleCommand, CreateUserCommand,
  DeleteOpenIDConnectProviderCommand, GetAccountSummaryCommand, GetOpenIDConnectProviderCommand, IAMClient,
  ListOpenIDConnectProvidersCommand, ListOpenIDConnectProviderTagsCommand, ListUsersCommand, RemoveClientIDFromOpenIDConnectProviderCommand,
  TagOpenIDConnectProviderCommand, UntagOpenIDConnectProviderCommand, UpdateOpenIDConnectProviderThumbprintCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, failure } from "../helpers/clients.js";
import { lookupRecords } from "../helpers/records.js";
import { awsJson } from "../helpers/cli.js";
import { request } from "node:http";

const ACCOUNT = "000000000000";
const GITHUB = "https://token.actions.githubusercontent.com";
const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/gha-deploy`;
const THUMBPRINT = "6938fd4d98bab03faadb97b34396831e3780aea1";

/** The trust policy GitHub's and AWS's guides give for GitHub Actions: this repository's workflows only. */
const githubTrust = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { Federated: PROVIDER_ARN },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
        StringLike: { "token.actions.githubusercontent.com:sub": "repo:octo-org/app:*" },
      },
    },
  ],
});

describe("OIDC federation for CI", () => {
  let server: TestServer;
  let iam: IAMClient;
  /** An unsigned STS client, as a CI job has before it federates. */
  let sts: STSClient;

  /** A GitHub-Actions-shaped ID token from localtrail's issuer. */
  async function mint(body: Record<string, unknown>): Promise<string> {
    const res = await fetch(`${server.url}/_localtrail/oidc/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ iss: GITHUB, ...body }) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { token: string }).token;
  }

  beforeAll(async () => {
    server = await startTestServer();
    iam = new IAMClient(clientConfig(server.url));
    sts = new STSClient({ endpoint: server.url, region: "us-east-1", maxAttempts: 1 });
  });
  afterAll(() => server.close());

  it("manages OpenID Connect providers as IAM does, errors included", async () => {
    const url = "https://oidc.example.com/tenant";
    const created = await iam.send(new CreateOpenIDConnectProviderCommand({ Url: url, ClientIDList: ["app-1"], ThumbprintList: [THUMBPRINT], Tags: [{ Key: "team", Value: "ci" }] }));
    const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.example.com/tenant`;
    expect(created.OpenIDConnectProviderArn).toBe(arn);
    expect(await failure(iam.send(new CreateOpenIDConnectProviderCommand({ Url: url, ClientIDList: ["app-1"] })))).toEqual({
      name: "EntityAlreadyExistsException",
      status: 409,
      message: `Provider with url ${url} already exists.`,
    });
    expect(await failure(iam.send(new CreateOpenIDConnectProviderCommand({ Url: "http://plain.example.com" })))).toMatchObject({ name: "InvalidInputException", status: 400 });
    expect(await failure(iam.send(new CreateOpenIDConnectProviderCommand({ Url: "https://six.example.com", ThumbprintList: Array(6).fill(THUMBPRINT).map((t, i) => t.slice(0, 39) + i) })))).toMatchObject({
      name: "InvalidInputException",
    });

    await iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: "app-2" }));
    await iam.send(new RemoveClientIDFromOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: "app-1" }));
    await iam.send(new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: arn, ThumbprintList: ["a".repeat(40)] }));
    await iam.send(new TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, Tags: [{ Key: "env", Value: "test" }] }));
    await iam.send(new UntagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, TagKeys: ["team"] }));
    const got = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    // AWS answers the URL without its scheme.
    expect(got).toMatchObject({ Url: "oidc.example.com/tenant", ClientIDList: ["app-2"], ThumbprintList: ["a".repeat(40)], Tags: [{ Key: "env", Value: "test" }] });
    expect(got.CreateDate).toBeInstanceOf(Date);
    expect((await iam.send(new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: arn }))).Tags).toEqual([{ Key: "env", Value: "test" }]);
    expect((await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList).toContainEqual({ Arn: arn });

    await iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    expect(await failure(iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })))).toEqual({
      name: "NoSuchEntityException",
      status: 404,
      message: `OpenIDConnect Provider not found for arn ${arn}`,
    });
    const [record] = await lookupRecords(server.url, "EventName", "CreateOpenIDConnectProvider");
    expect(record).toMatchObject({ eventSource: "iam.amazonaws.com", awsRegion: "us-east-1", errorCode: "InvalidInputException" });
  });

  it("a GitHub Actions job of the trusted repository assumes the role, and both records read as AWS writes them", async () => {
    await iam.send(new CreateOpenIDConnectProviderCommand({ Url: GITHUB, ClientIDList: ["sts.amazonaws.com"] }));
    await iam.send(new CreateRoleCommand({ RoleName: "gha-deploy", AssumeRolePolicyDocument: githubTrust }));
    const sub = "repo:octo-org/app:ref:refs/heads/main";
    const out = await sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: ROLE_ARN, RoleSessionName: "gh-run-7", WebIdentityToken: await mint({ sub }), DurationSeconds: 900 }));
    expect(out.Credentials!.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out).toMatchObject({
      SubjectFromWebIdentityToken: sub,
      Provider: PROVIDER_ARN,
      Audience: "sts.amazonaws.com",
      AssumedRoleUser: { Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/gha-deploy/gh-run-7`, AssumedRoleId: expect.stringMatching(/^AROA[A-Z0-9]{17}:gh-run-7$/) },
    });

    const [assume] = await lookupRecords(server.url, "EventName", "AssumeRoleWithWebIdentity");
    expect(assume!.userIdentity).toEqual({ type: "WebIdentityUser", principalId: `${PROVIDER_ARN}:sts.amazonaws.com:${sub}`, userName: sub, identityProvider: PROVIDER_ARN });
    expect(assume).toMatchObject({
      eventSource: "sts.amazonaws.com",
      readOnly: true,
      recipientAccountId: ACCOUNT,
      requestParameters: { roleArn: ROLE_ARN, roleSessionName: "gh-run-7", durationSeconds: 900 },
      responseElements: {
        credentials: { accessKeyId: out.Credentials!.AccessKeyId, sessionToken: out.Credentials!.SessionToken },
        subjectFromWebIdentityToken: sub,
        assumedRoleUser: { assumedRoleId: out.AssumedRoleUser!.AssumedRoleId, arn: out.AssumedRoleUser!.Arn },
        provider: PROVIDER_ARN,
        audience: "sts.amazonaws.com",
      },
      additionalEventData: { identityProviderConnectionVerificationMethod: "IAMTrustStore" },
      resources: [{ accountId: ACCOUNT, type: "AWS::IAM::Role", ARN: ROLE_ARN }],
    });
    expect(assume!.requestParameters).not.toHaveProperty("webIdentityToken");
    expect(assume!.responseElements!.credentials).not.toHaveProperty("secretAccessKey");

    const session = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
    expect((await new STSClient(clientConfig(server.url, session)).send(new GetCallerIdentityCommand({}))).Arn).toBe(out.AssumedRoleUser!.Arn);
    await new IAMClient(clientConfig(server.url, session)).send(new ListUsersCommand({}));
    const [later] = await lookupRecords(server.url, "EventName", "ListUsers");
    expect(later!.userIdentity).toMatchObject({
      type: "AssumedRole",
      arn: out.AssumedRoleUser!.Arn,
      accessKeyId: session.accessKeyId,
      sessionContext: {
        sessionIssuer: { type: "Role", arn: ROLE_ARN, userName: "gha-deploy" },
        webIdFederationData: { federatedProvider: PROVIDER_ARN, attributes: {} },
        attributes: { mfaAuthenticated: "false" },
      },
    });
  });

  it("refuses another repository, an expired token, a wrong audience and a forged signature, and records who tried", async () => {
    const call = (token: string) => sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: ROLE_ARN, RoleSessionName: "refused", WebIdentityToken: token }));
    const evil = "repo:evil-org/app:ref:refs/heads/main";
    expect(await failure(call(await mint({ sub: evil })))).toEqual({ name: "AccessDenied", status: 403, message: "Not authorized to perform sts:AssumeRoleWithWebIdentity" });
    const [denied] = await lookupRecords(server.url, "Username", evil);
    expect(denied).toMatchObject({ eventName: "AssumeRoleWithWebIdentity", errorCode: "AccessDenied", responseElements: null, userIdentity: { type: "WebIdentityUser", userName: evil } });

    const good = "repo:octo-org/app:ref:refs/heads/main";
    expect(await failure(call(await mint({ sub: good, expiresIn: -600 })))).toMatchObject({ name: "ExpiredTokenException", status: 400, message: expect.stringMatching(/^Token expired: current date\/time \d+ must be before the expiration date\/time \d+$/) });
    expect(await failure(call(await mint({ sub: good, aud: "someone-else" })))).toEqual({ name: "InvalidIdentityTokenException", status: 400, message: "Incorrect token audience" });
    const token = await mint({ sub: good });
    const [h, p] = token.split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, "base64url").toString()), sub: good + "x" })).toString("base64url")}.${token.split(".")[2]}`;
    expect(await failure(call(forged))).toMatchObject({ name: "InvalidIdentityTokenException", status: 400 });
    expect(await failure(call(await mint({ sub: good, iss: "https://gitlab.example.com" })))).toEqual({
      name: "InvalidIdentityTokenException",
      status: 400,
      message: "No OpenIDConnect provider found in your account for https://gitlab.example.com",
    });
    expect(await failure(call("not-a-jwt"))).toMatchObject({ name: "InvalidIdentityTokenException", message: expect.stringContaining("not a valid JWT") });
    // Every refusal of a readable token is recorded; the one that is not a JWT names no one and is not.
    const refused = (await lookupRecords(server.url, "EventName", "AssumeRoleWithWebIdentity")).filter((r) => r.requestParameters?.roleSessionName === "refused");
    expect(refused.map((r) => r.errorCode)).toEqual(["InvalidIdentityTokenException", "InvalidIdentityTokenException", "InvalidIdentityTokenException", "ExpiredTokenException", "AccessDenied"]);
    expect(refused[0]!.userIdentity).toMatchObject({ type: "WebIdentityUser", identityProvider: "gitlab.example.com" });
  });

  it("session tags in the token need sts:TagSession in the trust policy, and are recorded with the source identity", async () => {
    const tagged = { sub: "repo:octo-org/app:ref:refs/heads/main", claims: {
      "https://aws.amazon.com/source_identity": "octocat",
      "https://aws.amazon.com/tags": { principal_tags: { Project: ["Pegasus"] }, transitive_tag_keys: ["Project"] },
    } };
    const withToken = async (roleArn: string) => sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: "tagged", WebIdentityToken: await mint(tagged) }));
    expect(await failure(withToken(ROLE_ARN))).toMatchObject({ name: "AccessDenied", status: 403 });
    const trust = JSON.parse(githubTrust) as { Statement: { Action: string | string[]; Condition: Record<string, Record<string, string>> }[] };
    trust.Statement[0]!.Action = ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"];
    // The trust policy can hold the tags to what it expects (aws:RequestTag), as on AWS.
    trust.Statement[0]!.Condition.StringEquals!["aws:RequestTag/Project"] = "Pegasus";
    await iam.send(new CreateRoleCommand({ RoleName: "gha-tagged", AssumeRolePolicyDocument: JSON.stringify(trust) }));
    const out = await withToken(`arn:aws:iam::${ACCOUNT}:role/gha-tagged`);
    expect(out.SourceIdentity).toBe("octocat");
    const [record] = await lookupRecords(server.url, "EventName", "AssumeRoleWithWebIdentity");
    expect(record!.requestParameters).toEqual({
      roleArn: `arn:aws:iam::${ACCOUNT}:role/gha-tagged`,
      roleSessionName: "tagged",
      sourceIdentity: "octocat",
      principalTags: { Project: "Pegasus" },
      transitiveTagKeys: ["Project"],
    });
  });

  it("the AWS CLI (v1) federates unsigned, as a CI step does", async () => {
    const token = await mint({ sub: "repo:octo-org/app:pull_request" });
    const out = await awsJson<{ Credentials: { AccessKeyId: string }; SubjectFromWebIdentityToken: string }>(server.url, [
      "sts", "assume-role-with-web-identity", "--role-arn", ROLE_ARN, "--role-session-name", "cli-run", "--web-identity-token", token,
    ]);
    expect(out.Credentials.AccessKeyId).toMatch(/^ASIA/);
    expect(out.SubjectFromWebIdentityToken).toBe("repo:octo-org/app:pull_request");
  });

  it("records an unsigned call sent to a regional endpoint in that region", async () => {
    const body = new URLSearchParams({
      Action: "AssumeRoleWithWebIdentity", Version: "2011-06-15", RoleArn: ROLE_ARN, RoleSessionName: "regional",
      WebIdentityToken: await mint({ sub: "repo:octo-org/app:ref:refs/heads/main" }),
    }).toString();
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const { port } = new URL(server.url);
      const req = request({ host: "127.0.0.1", port, method: "POST", path: "/", headers: { host: "sts.eu-west-1.amazonaws.com", "content-type": "application/x-www-form-urlencoded" } }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode));
      });
      req.on("error", reject);
      req.end(body);
    });
    expect(status).toBe(200);
    const [record] = await lookupRecords(server.url, "EventName", "AssumeRoleWithWebIdentity", "eu-west-1");
    expect(record).toMatchObject({ awsRegion: "eu-west-1", requestParameters: { roleSessionName: "regional" } });
  });

  it("serves its issuer's discovery document and JWKS", async () => {
    const discovery = (await (await fetch(`${server.url}/_localtrail/oidc/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
    expect(discovery.issuer).toBe("https://oidc.localtrail.localhost");
    const jwks = (await (await fetch(discovery.jwks_uri)).json()) as { keys: { kty: string; alg: string; kid: string }[] };
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: "RSA", alg: "RS256", kid: expect.any(String) })]);
  });

  it("GetAccountSummary counts the account's entities under AWS's default quotas", async () => {
    const before = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!;
    expect(before).toMatchObject({ UsersQuota: 5000, RolesQuota: 1000, PoliciesQuota: 1500, GroupsQuota: 300, AccountMFAEnabled: 0, Roles: 2, Providers: 1 });
    await iam.send(new CreateUserCommand({ UserName: "summary-user" }));
    const after = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!;
    expect(after.Users).toBe(before.Users! + 1);
  });
});

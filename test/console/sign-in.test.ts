import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { request } from "node:http";
import { CreateAccessKeyCommand, CreateAccountAliasCommand, CreateLoginProfileCommand, CreateRoleCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, STSClient, type Credentials } from "@aws-sdk/client-sts";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";
import { lookupRecords } from "../helpers/records.js";
import { launchBrowser, newPage, screenshot, signIn, signOut } from "../helpers/browser.js";

const ACCOUNT = "000000000000";

describe("console sign-in", () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    const iam = new IAMClient(clientConfig(server.url));
    await iam.send(new CreateUserCommand({ UserName: "alice" }));
    await iam.send(new CreateLoginProfileCommand({ UserName: "alice", Password: "Alice-pass-1" }));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("sends a signed-out visitor to sign-in, and back to the page after signing in as the root user", async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}/_localtrail/console/iam/users`);
    expect(new URL(page.url()).pathname).toBe("/_localtrail/console/signin");
    await screenshot(page, "sign-in");
    await page.getByRole("radio", { name: "Root user", exact: true }).check();
    await page.getByLabel("Account ID or alias").fill(ACCOUNT);
    await page.getByLabel("Password").fill("test");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/iam\/users$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain("Users");

    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === "localtrail-console")!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/_localtrail/console" });
    expect(session.expires).toBeGreaterThan(Date.now() / 1000 + 11 * 3600);

    const [login] = await lookupRecords(server.url, "EventName", "ConsoleLogin");
    expect(login).toMatchObject({
      userIdentity: { type: "Root", principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: "" },
      eventSource: "signin.amazonaws.com",
      eventName: "ConsoleLogin",
      awsRegion: "us-east-1",
      sourceIPAddress: "127.0.0.1",
      requestParameters: null,
      responseElements: { ConsoleLogin: "Success" },
      additionalEventData: { LoginTo: "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true", MobileVersion: "No", MFAUsed: "No" },
      readOnly: false,
      eventType: "AwsConsoleSignIn",
      managementEvent: true,
      recipientAccountId: ACCOUNT,
      eventCategory: "Management",
      tlsDetails: { tlsVersion: "TLSv1.3", cipherSuite: "TLS_AES_128_GCM_SHA256", clientProvidedHostHeader: "signin.aws.amazon.com" },
    });
    expect(login!.userAgent).toMatch(/Chrome\//);
    expect(login!.requestID).toBeUndefined();
    expect(login!.errorCode).toBeUndefined();
    await page.context().close();
  });

  it("records a wrong password, an unknown user and a wrong root password as AWS does, and never the password", async () => {
    const page = await newPage(browser);
    await signIn(page, server.url, { kind: "iam", account: ACCOUNT, userName: "alice", password: "not-her-password" });
    await expect(page.getByRole("alert").textContent()).resolves.toContain("Your authentication information is incorrect");
    await screenshot(page, "sign-in-failed");
    await signIn(page, server.url, { kind: "iam", account: ACCOUNT, userName: "Hunter2-typed-here", password: "whatever" });
    await signIn(page, server.url, { kind: "root", account: ACCOUNT, password: "wrong" });

    const records = await lookupRecords(server.url, "EventName", "ConsoleLogin");
    const [root, unknown, wrong] = records;
    expect(wrong).toMatchObject({
      userIdentity: { type: "IAMUser", accountId: ACCOUNT, accessKeyId: "", userName: "alice" },
      errorMessage: "Failed authentication",
      responseElements: { ConsoleLogin: "Failure" },
      awsRegion: "us-east-1",
    });
    expect(wrong!.userIdentity.principalId).toMatch(/^AIDA/);
    expect(wrong!.userIdentity.arn).toBeUndefined();
    expect(wrong!.errorCode).toBeUndefined();
    expect(unknown).toMatchObject({
      userIdentity: { type: "IAMUser", accountId: ACCOUNT, accessKeyId: "", userName: "HIDDEN_DUE_TO_SECURITY_REASONS" },
      errorMessage: "No username found in supplied account",
      responseElements: { ConsoleLogin: "Failure" },
    });
    expect(unknown!.userIdentity.principalId).toBeUndefined();
    expect(root).toMatchObject({
      userIdentity: { type: "Root", principalId: ACCOUNT, accountId: ACCOUNT, accessKeyId: "" },
      errorMessage: "Failed authentication",
      responseElements: { ConsoleLogin: "Failure" },
      awsRegion: "us-east-1",
    });
    const text = JSON.stringify(records);
    expect(text).not.toContain("not-her-password");
    expect(text).not.toContain("Hunter2-typed-here");
    await page.context().close();
  });

  it("signs an IAM user in with the password of its login profile, and signs out", async () => {
    const page = await newPage(browser);
    await signIn(page, server.url, { kind: "iam", account: ACCOUNT, userName: "alice", password: "Alice-pass-1" });
    expect(new URL(page.url()).pathname).toBe("/_localtrail/console/");
    await screenshot(page, "console-home");
    const [login] = await lookupRecords(server.url, "EventName", "ConsoleLogin");
    expect(login!.userIdentity).toEqual({ type: "IAMUser", principalId: login!.userIdentity.principalId, arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, userName: "alice" });
    expect(login!.responseElements).toEqual({ ConsoleLogin: "Success" });

    await signOut(page);
    expect(new URL(page.url()).pathname).toBe("/_localtrail/console/signin");
    await expect(page.getByRole("status").textContent()).resolves.toContain("You have signed out");
    // The session is gone on the server too: the old page is no longer served.
    await page.goto(`${server.url}/_localtrail/console/iam/users`);
    expect(new URL(page.url()).pathname).toBe("/_localtrail/console/signin");
    await page.context().close();
  });

  it("takes the account's alias instead of its ID", async () => {
    await new IAMClient(clientConfig(server.url)).send(new CreateAccountAliasCommand({ AccountAlias: "acme-dev" }));
    const page = await newPage(browser);
    await signIn(page, server.url, { kind: "iam", account: "acme-dev", userName: "alice", password: "Alice-pass-1" });
    expect(await page.getByLabel("Account menu").textContent()).toContain("acme-dev");
    await page.context().close();
  });

  describe("federation sign-in (custom identity broker)", () => {
    let role: Credentials;
    let assumedAt: string;
    beforeAll(async () => {
      const iam = new IAMClient(clientConfig(server.url));
      await iam.send(new CreateUserCommand({ UserName: "broker" }));
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: "broker" }))).AccessKey!;
      const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole" }] };
      await iam.send(new CreateRoleCommand({ RoleName: "ConsoleRole", AssumeRolePolicyDocument: JSON.stringify(trust) }));
      const sts = new STSClient(clientConfig(server.url, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }));
      role = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/ConsoleRole`, RoleSessionName: "broker-alice" }))).Credentials!;
      assumedAt = (await lookupRecords(server.url, "EventName", "AssumeRole"))[0]!.eventTime;
    });

    const session = () => JSON.stringify({ sessionId: role.AccessKeyId, sessionKey: role.SecretAccessKey, sessionToken: role.SessionToken });

    it("turns role credentials into a console session: getSigninToken, then login, both recorded", async () => {
      const tokenUrl = `${server.url}/_localtrail/federation?Action=getSigninToken&SessionDuration=1800&Session=${encodeURIComponent(session())}`;
      const answer = await fetch(tokenUrl, { headers: { "user-agent": "python-requests/2.32.3" } });
      expect(answer.status).toBe(200);
      const { SigninToken } = (await answer.json()) as { SigninToken: string };
      expect(SigninToken.length).toBeGreaterThan(100);

      const page = await newPage(browser);
      const destination = "https://console.aws.amazon.com/iam/home";
      await page.goto(`${server.url}/_localtrail/federation?Action=login&Issuer=${encodeURIComponent("https://example.com")}&Destination=${encodeURIComponent(destination)}&SigninToken=${SigninToken}`);
      expect(new URL(page.url()).pathname).toBe("/_localtrail/console/iam/users");
      expect(await page.getByLabel("Account menu").textContent()).toContain("ConsoleRole/broker-alice");
      await screenshot(page, "federated-iam-users");

      const sessionContext = {
        sessionIssuer: { type: "Role", arn: `arn:aws:iam::${ACCOUNT}:role/ConsoleRole`, accountId: ACCOUNT, userName: "ConsoleRole" },
        webIdFederationData: {},
        attributes: { creationDate: assumedAt, mfaAuthenticated: "false" },
      };
      const [token] = await lookupRecords(server.url, "EventName", "GetSigninToken");
      expect(token).toMatchObject({
        userIdentity: { type: "AssumedRole", arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ConsoleRole/broker-alice`, accountId: ACCOUNT, accessKeyId: role.AccessKeyId, sessionContext },
        eventSource: "signin.amazonaws.com",
        awsRegion: "us-east-1",
        userAgent: "python-requests/2.32.3",
        requestParameters: null,
        responseElements: { GetSigninToken: "Success" },
        eventType: "AwsConsoleSignIn",
      });
      const [login] = await lookupRecords(server.url, "EventName", "ConsoleLogin");
      expect(login).toMatchObject({
        userIdentity: { type: "AssumedRole", arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ConsoleRole/broker-alice`, sessionContext },
        responseElements: { ConsoleLogin: "Success" },
        additionalEventData: { LoginTo: destination, MobileVersion: "No", MFAUsed: "No" },
      });
      expect(login!.userIdentity.accessKeyId).toBeUndefined();
      expect(login!.userAgent).toMatch(/Chrome\//);
      // The console then calls IAM with credentials of its own for the role session.
      const [list] = await lookupRecords(server.url, "EventName", "ListUsers");
      expect(list).toMatchObject({ userIdentity: { type: "AssumedRole", sessionContext }, userAgent: "AWS Internal", sessionCredentialFromConsole: "true" });
      expect(list!.userIdentity.accessKeyId).toMatch(/^ASIA/);
      expect(list!.userIdentity.accessKeyId).not.toBe(role.AccessKeyId);
      await page.context().close();
    });

    it("answers at /federation when the Host is the sign-in endpoint's, and refuses bad credentials and tokens", async () => {
      const get = (path: string, host: string) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const url = new URL(server.url);
          request({ host: url.hostname, port: url.port, path, headers: { host } }, (res) => {
            let body = "";
            res.on("data", (d: Buffer) => (body += d.toString()));
            res.on("end", () => resolve({ status: res.statusCode!, body }));
          })
            .on("error", reject)
            .end();
        });
      const path = `/federation?Action=getSigninToken&Session=${encodeURIComponent(session())}`;
      const answered = await get(path, "signin.localhost:4566");
      expect(answered.status).toBe(200);
      expect(JSON.parse(answered.body)).toHaveProperty("SigninToken");
      expect((await get(path, "signin.aws.amazon.com")).status).toBe(200);
      // Elsewhere /federation is S3's (a bucket of that name), not the sign-in endpoint.
      expect((await get(path, "127.0.0.1")).body).not.toContain("SigninToken");

      const wrongSecret = JSON.stringify({ sessionId: role.AccessKeyId, sessionKey: "not-the-secret", sessionToken: role.SessionToken });
      expect((await get(`/_localtrail/federation?Action=getSigninToken&Session=${encodeURIComponent(wrongSecret)}`, "127.0.0.1")).status).toBe(400);
      const longTerm = JSON.stringify({ sessionId: "test", sessionKey: "test", sessionToken: "" });
      expect((await get(`/_localtrail/federation?Action=getSigninToken&Session=${encodeURIComponent(longTerm)}`, "127.0.0.1")).status).toBe(400);
      expect((await get("/_localtrail/federation?Action=login&SigninToken=forged&Destination=x", "127.0.0.1")).status).toBe(400);
    });
  });

  it("ends a console session when its 12 hours have passed in emulated time", async () => {
    const page = await newPage(browser);
    await signIn(page, server.url, { kind: "root", account: ACCOUNT, password: "test" });
    await page.goto(`${server.url}/_localtrail/console/iam/roles`);
    expect(new URL(page.url()).pathname).toBe("/_localtrail/console/iam/roles");
    await fetch(`${server.url}/_localtrail/clock`, { method: "POST", body: JSON.stringify({ advance: "PT12H1M" }) });
    await page.goto(`${server.url}/_localtrail/console/iam/roles`);
    expect(new URL(page.url()).pathname).toBe("/_localtrail/console/signin");
    await page.context().close();
  });
});

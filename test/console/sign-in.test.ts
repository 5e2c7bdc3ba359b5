import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { CreateLoginProfileCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
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
});

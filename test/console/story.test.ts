import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateLoginProfileCommand, GetUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, sdkError } from "../helpers/clients.js";
import { lookupRecords } from "../helpers/records.js";
import { AWS_CLI_V2, awsJson } from "../helpers/cli.js";
import { launchBrowser, newPage, screenshot, signIn, signOut } from "../helpers/browser.js";
import type { CloudTrailRecord } from "../../src/types/cloudtrail-record.js";

const ACCOUNT = "000000000000";

/**
 * The story localtrail exists to tell, in a browser: "On January 1, 2020 at 9:00 AM, IAM user John created a
 * new IAM user (Mary) through the AWS Management Console", and the record that proves it (the emulated clock
 * only moves forward, so the story happens on January 1, 2030). With --enforce-iam, so the console's calls
 * are evaluated against John's policies like any other call.
 */
describe("John creates Mary in the console", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ flags: ["--enforce-iam"] }), launchBrowser()]);
    await fetch(`${server.url}/_localtrail/clock`, { method: "POST", body: JSON.stringify({ set: "2030-01-01T08:50:00Z" }) });
    page = await newPage(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("root creates John with a console password and AdministratorAccess", async () => {
    await signIn(page, server.url, { kind: "root", account: ACCOUNT, password: "test" });
    await page.getByRole("link", { name: "IAM", exact: true }).click();
    await screenshot(page, "iam-users-empty");
    await page.getByRole("button", { name: "Create user" }).click();
    await page.getByLabel("User name", { exact: true }).fill("John");
    await page.getByLabel("Provide user access to the AWS Management Console").check();
    await page.getByLabel("Console password").fill("John-Pass-2030");
    await page.getByRole("checkbox", { name: "AdministratorAccess", exact: true }).check();
    await screenshot(page, "iam-create-user");
    await page.getByRole("button", { name: "Create user" }).click();
    await page.waitForURL(/\/iam\/users\/John$/);
    expect(await page.getByRole("status").textContent()).toContain("User John created");
    const policies = page.getByRole("table", { name: "Permissions policies" });
    expect(await policies.getByRole("row").nth(1).textContent()).toContain("AdministratorAccess");
    await screenshot(page, "iam-user-details");
    await page.getByRole("link", { name: "Security credentials" }).click();
    expect(await page.getByText("Console password").locator("xpath=following-sibling::dd").textContent()).toContain("Enabled");
    await screenshot(page, "iam-user-security-credentials");
    signInLink = (await page.getByText("Console sign-in link").locator("xpath=following-sibling::dd").textContent()) ?? "";
    await page.getByRole("link", { name: "Groups (0)" }).click();
    expect(await page.getByRole("table", { name: "Groups" }).textContent()).toContain("No groups");
    await screenshot(page, "iam-user-groups");
    const missing = await page.goto(`${server.url}/_localtrail/console/no-such-page`);
    expect(missing?.status()).toBe(404);
    await screenshot(page, "not-found");
    await signOut(page);
  });

  let signInLink = "";
  it("the account's sign-in link opens IAM user sign-in for the account", async () => {
    expect(signInLink).toBe(`${server.url}/_localtrail/console/signin?account=${ACCOUNT}`);
    await page.goto(signInLink);
    expect(await page.getByRole("radio", { name: "IAM user", exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel("Account ID or alias").inputValue()).toBe(ACCOUNT);
  });

  it("John signs in with his password and creates Mary", async () => {
    await fetch(`${server.url}/_localtrail/clock`, { method: "POST", body: JSON.stringify({ set: "2030-01-01T08:58:00Z" }) });
    await signIn(page, server.url, { kind: "iam", account: ACCOUNT, userName: "John", password: "John-Pass-2030" });
    expect(await page.getByLabel("Account menu").textContent()).toContain("John");
    await page.goto(`${server.url}/_localtrail/console/iam/users`);
    await fetch(`${server.url}/_localtrail/clock`, { method: "POST", body: JSON.stringify({ set: "2030-01-01T09:00:00Z" }) });
    await page.getByRole("button", { name: "Create user" }).click();
    await page.getByLabel("User name", { exact: true }).fill("Mary");
    await page.getByRole("button", { name: "Create user" }).click();
    await page.waitForURL(/\/iam\/users\/Mary$/);
    await page.getByRole("link", { name: "Users", exact: true }).first().click();
    const table = page.getByRole("table", { name: "Users" });
    expect(await table.getByRole("link").allTextContents()).toEqual(["John", "Mary"]);
    // John's sign-in is his password's last use: the list shows it as his last activity; Mary has none.
    expect(await table.getByRole("row", { name: /John/ }).textContent()).toContain("minute");
    expect(await table.getByRole("row", { name: /Mary/ }).textContent()).toContain("Never");
    await screenshot(page, "iam-users");
  });

  let consoleLoginTime = "";
  const expectJohnsCreateUser = (record: CloudTrailRecord | undefined, consoleLoginTime: string) => {
    expect(record).toMatchObject({
      userIdentity: {
        type: "IAMUser",
        arn: `arn:aws:iam::${ACCOUNT}:user/John`,
        accountId: ACCOUNT,
        userName: "John",
        sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate: consoleLoginTime, mfaAuthenticated: "false" } },
      },
      eventSource: "iam.amazonaws.com",
      eventName: "CreateUser",
      awsRegion: "us-east-1",
      sourceIPAddress: "127.0.0.1",
      userAgent: "AWS Internal",
      requestParameters: { userName: "Mary" },
      eventType: "AwsApiCall",
      sessionCredentialFromConsole: "true",
    });
    // The emulated clock runs on from where it was set: Mary was created at 9:00 or a moment later.
    expect(record!.eventTime >= "2030-01-01T09:00:00Z" && record!.eventTime < "2030-01-02").toBe(true);
    expect(record!.userIdentity.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(record!.tlsDetails).toBeUndefined();
    expect(Object.keys(record!).at(-1)).toBe("sessionCredentialFromConsole");
  };

  it("the CreateUser record shows John, through the console, from the browser's address", async () => {
    const [login] = (await lookupRecords(server.url, "Username", "John")).filter((r) => r.eventName === "ConsoleLogin");
    expect(login).toMatchObject({ userIdentity: { type: "IAMUser", userName: "John" }, responseElements: { ConsoleLogin: "Success" } });
    consoleLoginTime = login!.eventTime;
    const records = await lookupRecords(server.url, "ResourceName", "Mary");
    const createUser = records.find((r) => r.eventName === "CreateUser");
    // The session's creationDate is John's sign-in.
    expectJohnsCreateUser(createUser, consoleLoginTime);
    // Every call of John's console session is made with one temporary key.
    const johns = (await lookupRecords(server.url, "Username", "John")).filter((r) => r.eventSource === "iam.amazonaws.com");
    expect(new Set(johns.map((r) => r.userIdentity.accessKeyId))).toEqual(new Set([createUser!.userIdentity.accessKeyId]));
  });

  it("and the AWS CLI finds the same record", async () => {
    const out = await awsJson<{ Events: { EventName: string; Username: string; CloudTrailEvent: string; AccessKeyId?: string }[] }>(
      server.url,
      ["cloudtrail", "lookup-events", "--lookup-attributes", "AttributeKey=ResourceName,AttributeValue=Mary"],
      undefined,
      "us-east-1",
      AWS_CLI_V2,
    );
    const event = out.Events.find((e) => e.EventName === "CreateUser");
    expect(event?.Username).toBe("John");
    expect(event?.AccessKeyId).toMatch(/^ASIA/);
    expectJohnsCreateUser(JSON.parse(event!.CloudTrailEvent) as CloudTrailRecord, consoleLoginTime);
  });

  it("John's page generates the least-privilege policy of what he did", async () => {
    await page.goto(`${server.url}/_localtrail/console/iam/users/John`);
    const generated = await page.getByRole("link", { name: "Generate policy" }).getAttribute("href");
    const policy = (await (await fetch(`${server.url}${generated}`)).json()) as { Statement: { Action: string | string[]; Resource: string | string[] }[] };
    const grants = policy.Statement.flatMap((s) => [s.Action].flat().map((a) => [a, [s.Resource].flat()]));
    expect(grants).toContainEqual(["iam:CreateUser", ["arn:aws:iam::000000000000:user/Mary"]]);
  });

  it("John deletes Mary: her password, key and policy go first, then Mary, each a call of his", async () => {
    const iam = new IAMClient(clientConfig(server.url));
    await iam.send(new CreateLoginProfileCommand({ UserName: "Mary", Password: "Mary-Pass-2030" }));
    await iam.send(new CreateAccessKeyCommand({ UserName: "Mary" }));
    await iam.send(new AttachUserPolicyCommand({ UserName: "Mary", PolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }));
    await page.goto(`${server.url}/_localtrail/console/iam/users/Mary`);
    await page.getByRole("button", { name: "Delete" }).click();
    const confirm = page.getByRole("button", { name: "Delete user" });
    expect(await confirm.isDisabled()).toBe(true);
    await page.getByLabel("To confirm deletion").fill("Mary");
    await screenshot(page, "iam-delete-user");
    await confirm.click();
    await page.waitForURL(/\/iam\/users$/);
    expect(await page.getByRole("status").textContent()).toContain("User Mary deleted");
    expect(await page.getByRole("table", { name: "Users" }).getByRole("link").allTextContents()).toEqual(["John"]);
    expect((await sdkError(iam.send(new GetUserCommand({ UserName: "Mary" })))).name).toBe("NoSuchEntityException");
    const writes = (await lookupRecords(server.url, "Username", "John")).filter((r) => !r.readOnly && r.eventSource === "iam.amazonaws.com").map((r) => r.eventName);
    expect(writes.slice(0, 4)).toEqual(["DeleteUser", "DetachUserPolicy", "DeleteAccessKey", "DeleteLoginProfile"]);
  });
});

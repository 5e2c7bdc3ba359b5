import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { CreateLoginProfileCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";
import { flush, keysUnder } from "../helpers/trails.js";
import { launchBrowser, newPage, screenshot, signIn } from "../helpers/browser.js";

const ACCOUNT = "000000000000";
const console_ = (path: string) => `/_localtrail/console/${path}`;

/**
 * The CloudTrail console in Chromium: the owner finds who created Mary in Event history and reads the record;
 * new events appear live; downloads hold the filter's events; a trail made in the console delivers files
 * that Validate finds valid, then one modified after a log file is overwritten.
 */
describe("the CloudTrail console", () => {
  let server: TestServer;
  let browser: Browser;
  let owner: Page;
  let iam: IAMClient;
  let s3: S3Client;

  const filterBy = async (page: Page, attribute: string, value: string) => {
    await page.getByLabel("Lookup attribute").selectOption({ label: attribute });
    await page.getByLabel("Attribute value").fill(value);
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForLoadState("load");
  };
  const eventsTable = (page: Page) => page.getByRole("table", { name: "Events" });

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    iam = new IAMClient(clientConfig(server.url));
    s3 = new S3Client(clientConfig(server.url));
    await iam.send(new CreateUserCommand({ UserName: "John" }));
    await iam.send(new CreateLoginProfileCommand({ UserName: "John", Password: "John-pass-1" }));
    // John creates Mary through the console.
    const john = await newPage(browser);
    await signIn(john, server.url, { kind: "iam", account: ACCOUNT, userName: "John", password: "John-pass-1" });
    await john.goto(`${server.url}${console_("iam/users/create")}`);
    await john.getByRole("textbox", { name: "User name" }).fill("Mary");
    await john.getByRole("button", { name: "Create user" }).click();
    await john.waitForLoadState("load");
    await john.context().close();
    owner = await newPage(browser);
    await signIn(owner, server.url, { kind: "root", account: ACCOUNT, password: "test" });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("finds Mary's creation by John with Resource name = Mary, and shows the record", async () => {
    await owner.goto(`${server.url}${console_("cloudtrail/events")}`);
    const table = eventsTable(owner);
    for (const column of ["Event name", "Event time", "User name", "Event source", "Resource type", "Resource name"]) await expect(table.getByRole("columnheader", { name: column, exact: true }).count()).resolves.toBe(1);
    await filterBy(owner, "Resource name", "Mary");
    const row = table.getByRole("row").filter({ hasText: "CreateUser" });
    await expect(row.count()).resolves.toBe(1);
    const cells = await row.getByRole("cell").allTextContents();
    expect(cells[0]).toBe("CreateUser");
    expect(cells[2]).toBe("John");
    expect(cells.slice(3)).toEqual(["iam.amazonaws.com", "AWS::IAM::User", "Mary"]);
    await screenshot(owner, "cloudtrail-event-history");

    await row.getByRole("link", { name: "CreateUser" }).click();
    await owner.waitForLoadState("load");
    expect(await owner.getByRole("heading", { level: 1 }).textContent()).toBe("CreateUser");
    const record = owner.locator("pre.ct-json");
    const text = (await record.textContent()) ?? "";
    expect(text).toContain('"sessionCredentialFromConsole": "true"');
    expect(text).toContain('"userAgent": "AWS Internal"');
    expect(text).toContain('"userName": "John"');
    // highlight.js marked it up: keys and strings are spans of their own.
    expect(await record.locator("span.hljs-attr").count()).toBeGreaterThan(10);
    const resources = owner.getByRole("table", { name: "Resources referenced" });
    expect(await resources.getByRole("row").filter({ hasText: "AWS::IAM::User" }).getByRole("cell").allTextContents()).toEqual(["AWS::IAM::User", "Mary", "Link not available"]);
    await screenshot(owner, "cloudtrail-event-detail");
  });

  it("shows markup inside a record as text", async () => {
    await iam.send(new CreateUserCommand({ UserName: "Markup-Max", Path: "/<svg/onload=alert(1)>/" }));
    await owner.goto(`${server.url}${console_("cloudtrail/events")}?attribute=ResourceName&value=Markup-Max`);
    await eventsTable(owner).getByRole("link", { name: "CreateUser" }).click();
    await owner.waitForLoadState("load");
    const record = owner.locator("pre.ct-json");
    expect(await record.textContent()).toContain('"path": "/<svg/onload=alert(1)>/"');
    expect(await owner.locator("pre.ct-json img, pre.ct-json svg").count()).toBe(0);
  });

  it("adds chosen columns and keeps the filter", async () => {
    await owner.goto(`${server.url}${console_("cloudtrail/events")}?attribute=ResourceName&value=Mary`);
    await owner.getByLabel("Preferences").click();
    await owner.getByRole("checkbox", { name: "Source IP address" }).check();
    await owner.getByRole("button", { name: "Confirm" }).click();
    await owner.waitForLoadState("load");
    const table = eventsTable(owner);
    await expect(table.getByRole("columnheader", { name: "Source IP address" }).count()).resolves.toBe(1);
    const cells = await table.getByRole("row").filter({ hasText: "CreateUser" }).getByRole("cell").allTextContents();
    expect(cells[6]).toBe("127.0.0.1");
  });

  it("shows a new event live, without a reload", async () => {
    await owner.goto(`${server.url}${console_("cloudtrail/events")}`);
    await owner.locator("#ct-live[data-state=live]").waitFor();
    await iam.send(new CreateUserCommand({ UserName: "Live-Lisa" }));
    const row = eventsTable(owner).getByRole("row").filter({ hasText: "Live-Lisa" });
    await row.waitFor();
    expect((await row.getByRole("cell").allTextContents()).slice(0, 1)).toEqual(["CreateUser"]);
    await screenshot(owner, "cloudtrail-event-history-live");
  });

  it("downloads the current filter as CSV and as JSON", async () => {
    const query = "attribute=ResourceName&value=Mary";
    const csv = await (await owner.request.get(`${server.url}${console_("cloudtrail/events/download")}?${query}&format=csv`)).text();
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe("Event ID,Event time,User name,Event name,Resource type,Resource name,AWS access key,AWS region,Error code,Source IP address,Resources");
    // Mary's creation, and the reads the IAM console made around it.
    expect(lines.filter((l) => l.includes(",John,CreateUser,AWS::IAM::User,Mary,ASIA"))).toHaveLength(1);
    const json = (await (await owner.request.get(`${server.url}${console_("cloudtrail/events/download")}?${query}&format=json`)).json()) as { Records: Record<string, unknown>[] };
    expect(json.Records).toHaveLength(lines.length - 1);
    expect(json.Records.find((r) => r.eventName === "CreateUser")).toMatchObject({ eventName: "CreateUser", requestParameters: { userName: "Mary" }, sessionCredentialFromConsole: "true" });
  });

  it("creates a trail whose delivered files Validate finds valid, then one modified", async () => {
    await owner.goto(`${server.url}${console_("cloudtrail/trails")}`);
    await owner.getByRole("link", { name: "Create trail" }).click();
    await owner.waitForLoadState("load");
    await owner.getByLabel("Trail name").fill("console-trail");
    await owner.getByLabel("Trail log bucket name").fill("console-trail-logs");
    await screenshot(owner, "cloudtrail-create-trail");
    await owner.getByRole("button", { name: "Create trail" }).click();
    await owner.waitForURL(/\/cloudtrail\/trails\/console-trail$/);
    expect(await owner.getByRole("status").first().textContent()).toContain("Trail console-trail created and logging.");

    await iam.send(new CreateUserCommand({ UserName: "audited" }));
    await flush(server.url);
    await owner.reload();
    await owner.getByRole("button", { name: "Validate" }).click();
    await owner.waitForLoadState("load");
    const files = owner.getByRole("table", { name: "Delivered files" });
    const verdicts = async () => (await files.getByRole("row").allTextContents()).slice(1);
    const rows = await verdicts();
    expect(rows.some((r) => r.includes("Digest file") && r.endsWith("Valid"))).toBe(true);
    expect(rows.some((r) => r.includes("Log file") && r.endsWith("Valid"))).toBe(true);
    expect(rows.every((r) => r.endsWith("Valid"))).toBe(true);
    await screenshot(owner, "cloudtrail-trail-validated");

    const [logKey] = await keysUnder(s3, "console-trail-logs", `AWSLogs/${ACCOUNT}/CloudTrail/`);
    const original = await s3.send(new GetObjectCommand({ Bucket: "console-trail-logs", Key: logKey }));
    const records = JSON.parse(gunzipSync(await original.Body!.transformToByteArray()).toString()) as { Records: { sourceIPAddress: string }[] };
    records.Records[0]!.sourceIPAddress = "203.0.113.66";
    await s3.send(new PutObjectCommand({ Bucket: "console-trail-logs", Key: logKey, Body: gzipSync(JSON.stringify(records)) }));
    await owner.getByRole("button", { name: "Validate" }).click();
    await owner.waitForLoadState("load");
    const tampered = (await verdicts()).find((r) => r.includes(logKey!));
    expect(tampered).toMatch(/Log file.*Modified$/);
    expect(await owner.getByLabel("Validation result").textContent()).toContain("INVALID: hash value doesn't match");
    await screenshot(owner, "cloudtrail-trail-modified");
  });

  it("charts the write call rate on the Insights page", async () => {
    await owner.goto(`${server.url}${console_("cloudtrail/insights")}`);
    await owner.locator("#ct-rate-chart canvas").waitFor();
    expect(await owner.getByRole("table", { name: "Insights events" }).textContent()).toContain("No Insights events");
    await screenshot(owner, "cloudtrail-insights");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";
import { lookupRecords } from "../helpers/records.js";
import { launchBrowser, newPage, screenshot, signIn } from "../helpers/browser.js";

/**
 * Lake's query editor in Chromium: the owner creates an event data store, picks a sample query, runs it,
 * pages the results and downloads them; a bad query shows Lake's error; every step is an AWS call on record.
 */
describe("the CloudTrail console's Lake query editor", () => {
  let server: TestServer;
  let browser: Browser;
  let owner: Page;
  const results = () => owner.getByRole("table", { name: "Query results" });
  const run = async (sql?: string) => {
    if (sql !== undefined) await owner.getByRole("textbox", { name: "Query" }).fill(sql);
    await owner.getByRole("button", { name: "Run" }).click();
    await owner.waitForLoadState("load");
  };

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    owner = await newPage(browser);
    await signIn(owner, server.url, { kind: "root", account: "000000000000", password: "test" });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("creates an event data store, runs a sample query and shows its rows", async () => {
    await owner.goto(`${server.url}/_localtrail/console/cloudtrail/query`);
    await owner.getByRole("button", { name: "Create event data store" }).click();
    await owner.waitForLoadState("load");
    await expect(owner.getByLabel("Event data store").locator("option").first().textContent()).resolves.toMatch(/^console-queries \(/);
    // 55 users created after the store: its events, more than one page of results.
    const iam = new IAMClient(clientConfig(server.url));
    for (let i = 0; i < 55; i++) await iam.send(new CreateUserCommand({ UserName: `lake-user-${String(i).padStart(2, "0")}` }));
    await owner.getByRole("link", { name: "Number of API calls grouped by eventName and eventSource" }).click();
    await expect(owner.getByRole("textbox", { name: "Query" }).inputValue()).resolves.toContain("COUNT(*) AS apiCount");
    await run();
    const table = results();
    await expect(table.getByRole("columnheader").allTextContents()).resolves.toEqual(["eventSource", "eventName", "apiCount"]);
    await expect(table.getByRole("row", { name: /iam\.amazonaws\.com CreateUser 55/ }).count()).resolves.toBe(1);
    await screenshot(owner, "console-lake-query");
  });

  it("pages the results 50 at a time and downloads them all as CSV", async () => {
    await run("SELECT requestParameters['userName'] AS userName FROM $EDS_ID WHERE eventName = 'CreateUser' ORDER BY userName");
    await expect(results().locator("tbody tr").count()).resolves.toBe(50);
    await expect(owner.locator(".counter").last().textContent()).resolves.toContain("55");
    await owner.getByRole("link", { name: "Next page" }).click();
    await owner.waitForLoadState("load");
    await expect(results().locator("tbody td").allTextContents()).resolves.toEqual(["lake-user-50", "lake-user-51", "lake-user-52", "lake-user-53", "lake-user-54"]);
    const [download] = await Promise.all([owner.waitForEvent("download"), owner.getByRole("link", { name: "Download CSV" }).click()]);
    const csv = await new Response((await download.createReadStream()) as unknown as ReadableStream).text();
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe("userName");
    expect(lines).toHaveLength(56);
    expect(lines[1]).toBe("lake-user-00");
  });

  it("shows Lake's error for a query it refuses", async () => {
    await run("SELECT nosuchcolumn FROM $EDS_ID");
    await expect(owner.getByRole("alert").textContent()).resolves.toContain("InvalidQueryStatementException");
  });

  it("runs each query as an AWS call that is recorded", async () => {
    const started = await lookupRecords(server.url, "EventName", "StartQuery");
    expect(started.length).toBeGreaterThanOrEqual(3);
    expect(started[0]).toMatchObject({ userAgent: "AWS Internal", errorCode: "InvalidQueryStatementException" });
    expect((await lookupRecords(server.url, "EventName", "GetQueryResults")).length).toBeGreaterThanOrEqual(3);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { CreateRoleCommand, CreateUserCommand, GetUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, sdkError } from "../helpers/clients.js";
import { launchBrowser, newPage, screenshot, signIn } from "../helpers/browser.js";

const XSS_PATH = "/<svg/onload=alert(1)>/";
const XSS_DESCRIPTION = "<img src=x onerror=alert(2)> runs nightly";

describe("console safety", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let dialogs: string[];
  const iam = () => new IAMClient(clientConfig(server.url));
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await iam().send(new CreateUserCommand({ UserName: "svg-path", Path: XSS_PATH }));
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] };
    await iam().send(new CreateRoleCommand({ RoleName: "nightly", AssumeRolePolicyDocument: JSON.stringify(trust), Description: XSS_DESCRIPTION }));
    page = await newPage(browser);
    dialogs = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await signIn(page, server.url, { kind: "root", account: "000000000000", password: "test" });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows markup in a user's path and a role's description as text; no script runs", async () => {
    await page.goto(`${server.url}/_localtrail/console/iam/users`);
    const row = page.getByRole("row", { name: /svg-path/ });
    expect(await row.getByText(XSS_PATH, { exact: true }).count()).toBe(1);
    expect(await page.locator("#users-table svg").count()).toBe(0);
    await page.getByRole("link", { name: "svg-path" }).click();
    expect(await page.getByText(`arn:aws:iam::000000000000:user${XSS_PATH}svg-path`, { exact: true }).count()).toBe(1);
    expect(await page.getByText("Console access").locator("xpath=following-sibling::dd").textContent()).toBe("Disabled");
    await screenshot(page, "xss-user-details");
    await page.goto(`${server.url}/_localtrail/console/iam/roles`);
    expect(await page.getByText(XSS_DESCRIPTION, { exact: true }).count()).toBe(1);
    expect(await page.locator("#roles-table img").count()).toBe(0);
    expect(await page.getByRole("row", { name: /nightly/ }).textContent()).toContain("AWS service: lambda");
    await screenshot(page, "iam-roles");
    expect(dialogs).toEqual([]);
  });

  it("refuses a POST without the session's CSRF token, and one with a wrong token", async () => {
    const create = `${server.url}/_localtrail/console/iam/users/create`;
    const withoutToken = await page.request.post(create, { form: { userName: "forged-1" }, maxRedirects: 0 });
    expect(withoutToken.status()).toBe(403);
    const wrongToken = await page.request.post(create, { form: { userName: "forged-2", csrf: "guessed" }, maxRedirects: 0 });
    expect(wrongToken.status()).toBe(403);
    const signOut = await page.request.post(`${server.url}/_localtrail/console/signout`, { form: {}, maxRedirects: 0 });
    expect(signOut.status()).toBe(403);
    for (const name of ["forged-1", "forged-2"]) expect((await sdkError(iam().send(new GetUserCommand({ UserName: name })))).name).toBe("NoSuchEntityException");
    // Still signed in: the refused sign-out changed nothing.
    await page.goto(`${server.url}/_localtrail/console/iam/users`);
    expect(new URL(page.url()).pathname).toBe("/_localtrail/console/iam/users");
  });

  it("a form on another site cannot act for the signed-in user", async () => {
    const consoleUrl = new URL(server.url);
    // localhost and 127.0.0.1 are different sites: the SameSite=Strict cookie stays home.
    const attacker: Server = createServer((_req, res) => {
      res.setHeader("content-type", "text/html");
      res.end(`<form id="f" method="post" action="${server.url}/_localtrail/console/iam/users/create"><input name="userName" value="forged-3"></form><script>document.getElementById("f").submit()</script>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
    try {
      await page.goto(`http://localhost:${(attacker.address() as AddressInfo).port}/`);
      await page.waitForURL((url) => url.host === consoleUrl.host);
      expect(new URL(page.url()).pathname).toBe("/_localtrail/console/signin");
      expect((await sdkError(iam().send(new GetUserCommand({ UserName: "forged-3" })))).name).toBe("NoSuchEntityException");
    } finally {
      attacker.close();
    }
  });

  it("answers pages with a CSP that allows only the console's own scripts, and no framing", async () => {
    const response = await page.goto(`${server.url}/_localtrail/console/iam/users`);
    expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
    expect(response?.headers()["x-frame-options"]).toBe("DENY");
  });
});

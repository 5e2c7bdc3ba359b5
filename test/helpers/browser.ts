import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

/** Debian's Chromium, driven headless by playwright-core (.ci/run installs the `chromium` package). */
export const CHROMIUM = process.env.LOCALTRAIL_CHROMIUM ?? "/usr/bin/chromium";

/** One browser per test file: launching one costs far more than a page. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/** A fresh browser context (its own cookies) with one page, sized like a laptop screen. */
export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
  return context.newPage();
}

const SCREENSHOTS = join(process.cwd(), "test-artifacts", "screenshots");

/** Writes a screenshot of the page to test-artifacts/screenshots/<name>.png (a test artefact, not committed). */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? true });
  return path;
}

export interface SignInAs {
  /** Root user or IAM user, as the sign-in page offers. */
  kind: "root" | "iam";
  account: string;
  userName?: string;
  password: string;
}

/** Signs in through the console's sign-in page as a person would: choose, type, press "Sign in". */
export async function signIn(page: Page, baseUrl: string, who: SignInAs): Promise<void> {
  await page.goto(`${baseUrl}/_localtrail/console/signin`);
  await page.getByRole("radio", { name: who.kind === "root" ? "Root user" : "IAM user", exact: true }).check();
  await page.getByLabel("Account ID or alias").fill(who.account);
  if (who.kind === "iam") await page.getByLabel("IAM user name").fill(who.userName ?? "");
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForLoadState("load");
}

/** Signs out through the account menu's "Sign out" button. */
export async function signOut(page: Page): Promise<void> {
  await page.getByLabel("Account menu").click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForLoadState("load");
}

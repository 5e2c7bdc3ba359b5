import type { Hono } from "hono";
import type { FC } from "hono/jsx";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { recordSignIn, type SignInSubject } from "../recorder/sign-in-record.js";
import type { KeyedCaller } from "../types/caller.js";
import { browserAddress, type ConsoleContext, type ConsoleDeps, type ConsoleEnv } from "./context.js";
import { Document, Flash, Logo, href } from "./layout.js";
import { page } from "./render.js";
import { CONSOLE_PATH, SESSION_COOKIE, SIGNIN_COOKIE, cookieOptions, sameToken, token, type ConsolePrincipal } from "./session.js";

/** AWS Management Console sessions of IAM users and the root last up to 12 hours. */
export const CONSOLE_SESSION_SECONDS = 12 * 3600;
/** The console home a sign-in opens, as ConsoleLogin's additionalEventData.LoginTo names it. */
export const CONSOLE_HOME_LOGIN_TO = "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true";
/** The global sign-in endpoint the console's sign-in page stands for (tlsDetails.clientProvidedHostHeader). */
export const SIGNIN_HOST = "signin.aws.amazon.com";
/** What AWS's sign-in page says for any failure, whatever the cause: it never tells which part was wrong. */
const FAILED = "Your authentication information is incorrect. Please try again.";

interface SignInForm {
  kind: "root" | "iam";
  account: string;
  userName: string;
  redirect: string;
}

const SignInPage: FC<{ csrf: string; form: SignInForm; error?: string; info?: string }> = ({ csrf, form, error, info }) => (
  <Document title="Sign in" page="signin">
    <div class="signin">
      <div class="signin-brand">
        <Logo />
        <span>localtrail</span>
      </div>
      <main class="signin-card">
        <h1>Sign in</h1>
        {error && <Flash notice={{ kind: "error", message: error }} />}
        {info && <Flash notice={{ kind: "info", message: info }} />}
        <form method="post" action={href("signin")} class="signin-form" autocomplete="on">
          <input type="hidden" name="csrf" value={csrf} />
          <input type="hidden" name="redirect" value={form.redirect} />
          <fieldset class="choice">
            <legend class="visually-hidden">Sign in as</legend>
            <div class="choice-option">
              <input type="radio" name="kind" value="root" id="kind-root" checked={form.kind === "root"} aria-describedby="kind-root-help" />
              <label for="kind-root">Root user</label>
              <small id="kind-root-help">Account owner that performs tasks requiring unrestricted access.</small>
            </div>
            <div class="choice-option">
              <input type="radio" name="kind" value="iam" id="kind-iam" checked={form.kind === "iam"} aria-describedby="kind-iam-help" />
              <label for="kind-iam">IAM user</label>
              <small id="kind-iam-help">User within an account that performs daily tasks.</small>
            </div>
          </fieldset>
          <div class="field">
            <label for="account">Account ID or alias</label>
            <input id="account" name="account" type="text" value={form.account} required autocomplete="username" spellcheck={false} placeholder="000000000000" />
            <small class="hint">12 digits, or the account's alias. The default account is 000000000000.</small>
          </div>
          <div class="field iam-only">
            <label for="username">IAM user name</label>
            <input id="username" name="username" type="text" value={form.userName} autocomplete="username" spellcheck={false} />
          </div>
          <div class="field">
            <label for="password">Password</label>
            <input id="password" name="password" type="password" required autocomplete="current-password" />
            <small class="hint root-only">The root password is set with --root-password (default: test).</small>
          </div>
          <button type="submit" class="btn btn-primary btn-block">
            Sign in
          </button>
        </form>
      </main>
      <p class="signin-foot">A local emulation of the AWS Management Console. Every action is an AWS API call, recorded in CloudTrail.</p>
    </div>
  </Document>
);

/** A console path to return to after sign-in; anything else (another site, a protocol-relative URL) goes home. */
export function safeConsoleTarget(target: string | undefined): string {
  if (!target) return href();
  try {
    const base = "http://console.invalid";
    const url = new URL(target, base);
    if (url.origin !== base || !(url.pathname === CONSOLE_PATH || url.pathname.startsWith(`${CONSOLE_PATH}/`))) return href();
    if (url.pathname.startsWith(href("signin")) || url.pathname.startsWith(href("signout"))) return href();
    return url.pathname + url.search;
  } catch {
    return href();
  }
}

/** Renders the sign-in page with a fresh token paired with a cookie (there is no session to hold it yet). */
function showSignIn(c: ConsoleContext, form: SignInForm, message?: { error?: string; info?: string }, status: 200 | 401 | 403 = 200) {
  const csrf = token();
  setCookie(c, SIGNIN_COOKIE, csrf, cookieOptions(new URL(c.req.url), 3600));
  c.header("Cache-Control", "no-store");
  return page(c, <SignInPage csrf={csrf} form={form} error={message?.error} info={message?.info} />, status);
}

/** The account an "Account ID or alias" box names: 12 digits (dashes allowed), else an alias IAM knows. */
function resolveAccount(deps: ConsoleDeps, typed: string): string | undefined {
  const digits = typed.replace(/-/g, "");
  if (/^\d{12}$/.test(digits)) return digits;
  return deps.signIn.accountOfAlias(typed.toLowerCase());
}

/** GET and POST /signin, POST /signout. */
export function addSignInRoutes(app: Hono<ConsoleEnv>): void {
  app.get(`${CONSOLE_PATH}/signin`, (c) => {
    const redirect = safeConsoleTarget(c.req.query("redirect_uri"));
    const info = c.req.query("signed_out") !== undefined ? "You have signed out." : undefined;
    // An account's sign-in link (IAM shows it on a user's security credentials) names the account: IAM user sign-in.
    const account = (c.req.query("account") ?? "").slice(0, 64);
    return showSignIn(c, { kind: account ? "iam" : "root", account, userName: "", redirect }, { info });
  });

  app.post(`${CONSOLE_PATH}/signin`, async (c) => {
    const deps = c.var.deps;
    const body = await c.req.parseBody();
    const str = (name: string) => (typeof body[name] === "string" ? (body[name] as string) : "");
    const form: SignInForm = { kind: str("kind") === "iam" ? "iam" : "root", account: str("account").trim(), userName: str("username").trim(), redirect: safeConsoleTarget(str("redirect")) };
    if (!sameToken(body.csrf, getCookie(c, SIGNIN_COOKIE))) return showSignIn(c, form, { error: "Your sign-in page expired. Please try again." }, 403);
    const password = str("password");
    const accountId = resolveAccount(deps, form.account);
    if (!accountId || password === "" || (form.kind === "iam" && form.userName === "")) return showSignIn(c, form, { error: FAILED }, 401);

    const now = deps.env.now();
    const facts = { sourceIp: browserAddress(c), userAgent: c.req.header("user-agent"), host: SIGNIN_HOST };
    const record = (subject: SignInSubject, region: string, errorMessage?: string) =>
      recordSignIn(deps.history, {
        eventName: "ConsoleLogin",
        subject,
        region,
        ...facts,
        success: errorMessage === undefined,
        errorMessage,
        additionalEventData: { LoginTo: CONSOLE_HOME_LOGIN_TO, MobileVersion: "No", MFAUsed: "No" },
        eventTime: now,
        eventId: deps.env.ids.uuid(),
      });

    let caller: KeyedCaller;
    let principal: ConsolePrincipal;
    // The account's root, as auth resolves a 12-digit key, carries the account's alias for the top bar.
    const root = deps.credentials.find(accountId)?.caller;
    const accountAlias = root?.type === "Root" ? root.accountAlias : undefined;
    if (form.kind === "root") {
      // Root sign-ins are recorded in us-east-1 whatever the endpoint (reference/console.md §1.2).
      if (password !== deps.env.config.rootPassword) {
        await record({ kind: "rejectedRoot", accountId }, "us-east-1", "Failed authentication");
        return showSignIn(c, form, { error: FAILED }, 401);
      }
      caller = { type: "Root", accountId, accessKeyId: "" };
      await record({ kind: "principal", caller }, "us-east-1");
      principal = { type: "Root", accountId, displayName: "Root user", arn: `arn:aws:iam::${accountId}:root`, accountAlias };
    } else {
      const region = deps.env.config.signinRegion;
      const check = await deps.signIn.checkUserPassword(accountId, form.userName, password);
      if (check.outcome === "unknownUser") {
        await record({ kind: "unknownUser", accountId }, region, "No username found in supplied account");
        return showSignIn(c, form, { error: FAILED }, 401);
      }
      if (check.outcome === "wrongPassword") {
        await record({ kind: "rejectedUser", accountId, ...check.user }, region, "Failed authentication");
        return showSignIn(c, form, { error: FAILED }, 401);
      }
      caller = { type: "IAMUser", accountId, accessKeyId: "", ...check.user };
      await record({ kind: "principal", caller }, region);
      principal = { type: "IAMUser", accountId, displayName: check.user.userName, arn: check.user.arn, accountAlias };
    }
    const { accessKeyId: _none, ...withoutKey } = caller;
    const credentials = await deps.signIn.issueConsoleCredentials({ ...withoutKey, session: { createdAt: now, mfaAuthenticated: false } }, CONSOLE_SESSION_SECONDS);
    startSession(c, principal, credentials);
    return c.redirect(form.redirect, 303);
  });

  app.post(`${CONSOLE_PATH}/signout`, async (c) => {
    const session = c.var.session;
    // The session middleware has checked the CSRF token: another site cannot sign a user out.
    c.var.deps.sessions.end(session.id);
    deleteCookie(c, SESSION_COOKIE, { path: CONSOLE_PATH });
    return c.redirect(`${href("signin")}?signed_out`, 303);
  });
}

/** Opens a console session for a principal with its console credentials and sets the session cookie. */
export function startSession(c: ConsoleContext, principal: ConsolePrincipal, credentials: Parameters<ConsoleDeps["sessions"]["create"]>[1]): void {
  const deps = c.var.deps;
  const session = deps.sessions.create(principal, credentials);
  const seconds = (session.expiresAt.getTime() - deps.env.now().getTime()) / 1000;
  setCookie(c, SESSION_COOKIE, session.id, cookieOptions(new URL(c.req.url), seconds));
  deleteCookie(c, SIGNIN_COOKIE, { path: CONSOLE_PATH });
}

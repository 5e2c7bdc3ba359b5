import type { Context, Hono } from "hono";
import { recordSignIn } from "../recorder/sign-in-record.js";
import { callerArn, type AssumedRoleCaller } from "../types/caller.js";
import { browserAddress, type ConsoleDeps, type ConsoleEnv } from "./context.js";
import { href } from "./layout.js";
import { securityHeaders } from "./render.js";
import { token } from "./session.js";
import { SIGNIN_HOST, safeConsoleTarget, startSession } from "./sign-in.js";

/** A login URL works for 15 minutes after its token was made (IAM User Guide, custom identity broker). */
const TOKEN_LIFETIME_MS = 15 * 60 * 1000;
/** SessionDuration: 900 seconds to 12 hours. */
const MIN_SESSION = 900;
const MAX_SESSION = 43_200;

interface SigninToken {
  caller: AssumedRoleCaller;
  issuedAt: number;
  /** SessionDuration, if the broker asked for one; else the console session lasts as long as the credentials. */
  sessionSeconds?: number;
  credentialsExpireAt?: number;
}

/** Hosts whose `/federation` is the sign-in endpoint: AWS's global and Regional names, and signin.localhost. */
export function isSigninHost(host: string | undefined): boolean {
  const name = (host ?? "").replace(/:\d+$/, "").toLowerCase();
  return name === "signin.aws.amazon.com" || /^[a-z]{2}(-[a-z]+)+-\d\.signin\.aws\.amazon\.com$/.test(name) || name === "signin.localhost";
}

/**
 * The federation endpoint a custom identity broker uses to open the console with role credentials
 * (reference/console.md §3): `Action=getSigninToken&Session=<JSON credentials>` answers a token and records
 * GetSigninToken for the role session; `Action=login&SigninToken=...&Destination=...` opens a console session
 * for it, records ConsoleLogin and redirects to the destination. GET with a query string or a POSTed form.
 * Always at /_localtrail/federation; at /federation only when the Host is the sign-in endpoint's, since
 * elsewhere that path belongs to S3 (a bucket named "federation").
 */
export function addFederationRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const tokens = new Map<string, SigninToken>();
  const handle = (always: boolean) => async (c: Context<ConsoleEnv>, next: () => Promise<void>) => {
    if (!always && !isSigninHost(c.req.header("host"))) return next();
    c.set("deps", deps);
    const params = new URLSearchParams(c.req.query());
    if (c.req.method === "POST") for (const [k, v] of Object.entries(await c.req.parseBody())) if (typeof v === "string") params.set(k, v);
    const now = deps.env.now().getTime();
    for (const [k, t] of tokens) if (now - t.issuedAt > TOKEN_LIFETIME_MS) tokens.delete(k);
    const host = isSigninHost(c.req.header("host")) ? c.req.header("host")!.replace(/:\d+$/, "").toLowerCase() : SIGNIN_HOST;
    const facts = { sourceIp: browserAddress(c), userAgent: c.req.header("user-agent"), host, region: "us-east-1" };
    securityHeaders(c);

    switch (params.get("Action")) {
      case "getSigninToken": {
        const caller = presentedSession(deps, params.get("Session"));
        if (!caller) return c.text("Invalid request: the Session parameter must hold valid temporary credentials of a role session.", 400);
        const duration = params.get("SessionDuration");
        let sessionSeconds: number | undefined;
        if (duration !== null) {
          sessionSeconds = Number(duration);
          if (!Number.isInteger(sessionSeconds) || sessionSeconds < MIN_SESSION || sessionSeconds > MAX_SESSION) return c.text(`Invalid SessionDuration: expected ${MIN_SESSION} to ${MAX_SESSION} seconds.`, 400);
        }
        const signinToken = token() + token() + token();
        tokens.set(signinToken, { caller: caller.caller, issuedAt: now, sessionSeconds, credentialsExpireAt: caller.expiresAt?.getTime() });
        await recordSignIn(deps.history, { eventName: "GetSigninToken", subject: { kind: "principal", caller: caller.caller }, success: true, ...facts, eventTime: deps.env.now(), eventId: deps.env.ids.uuid() });
        return c.json({ SigninToken: signinToken });
      }
      case "login": {
        const found = tokens.get(params.get("SigninToken") ?? "");
        if (!found) return c.text("The sign-in token is invalid or has expired. Ask your identity broker for a new sign-in URL.", 400);
        const destination = params.get("Destination") ?? "https://console.aws.amazon.com/";
        const seconds = found.sessionSeconds ?? Math.max(MIN_SESSION, Math.floor(((found.credentialsExpireAt ?? now + 3600_000) - now) / 1000));
        const { accessKeyId: _presented, ...caller } = found.caller;
        const credentials = await deps.signIn.issueConsoleCredentials(caller, seconds);
        await recordSignIn(deps.history, {
          eventName: "ConsoleLogin",
          subject: { kind: "principal", caller: found.caller },
          success: true,
          additionalEventData: { LoginTo: destination, MobileVersion: "No", MFAUsed: found.caller.session.mfaAuthenticated ? "Yes" : "No" },
          ...facts,
          eventTime: deps.env.now(),
          eventId: deps.env.ids.uuid(),
        });
        const rootCaller = deps.credentials.find(caller.accountId)?.caller;
        startSession(
          c,
          {
            type: "AssumedRole",
            accountId: caller.accountId,
            displayName: `${caller.roleName}/${caller.sessionName}`,
            arn: callerArn(found.caller),
            accountAlias: rootCaller?.type === "Root" ? rootCaller.accountAlias : undefined,
          },
          credentials,
        );
        return c.redirect(consoleTarget(destination), 302);
      }
      default:
        return c.text("Invalid request: Action must be getSigninToken or login.", 400);
    }
  };
  app.on(["GET", "POST"], "/_localtrail/federation", handle(true));
  app.on(["GET", "POST"], "/federation", handle(false));
}

/**
 * The role session whose credentials a broker presented: `{"sessionId","sessionKey","sessionToken"}` must
 * be live temporary credentials the emulator issued to a role session, secret and token included.
 */
function presentedSession(deps: ConsoleDeps, session: string | null): { caller: AssumedRoleCaller; expiresAt?: Date } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(session ?? "");
  } catch {
    return undefined;
  }
  const { sessionId, sessionKey, sessionToken } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof sessionId !== "string" || typeof sessionKey !== "string" || typeof sessionToken !== "string") return undefined;
  const credential = deps.credentials.find(sessionId);
  if (!credential || credential.secretAccessKey !== sessionKey || credential.sessionToken !== sessionToken) return undefined;
  if (credential.expiresAt && credential.expiresAt.getTime() <= deps.env.now().getTime()) return undefined;
  if (credential.caller.type !== "AssumedRole") return undefined;
  return { caller: credential.caller, expiresAt: credential.expiresAt };
}

/**
 * Where Destination leads in this console: AWS console URLs map to the page of the same service
 * (`https://console.aws.amazon.com/iam/...` to IAM, `/cloudtrail/...` to CloudTrail, anything else home);
 * a path of this console is kept; nothing leads off the console.
 */
export function consoleTarget(destination: string): string {
  let url: URL;
  try {
    url = new URL(destination, "http://console.invalid");
  } catch {
    return href();
  }
  if (/(^|\.)console\.aws\.amazon\.com$/.test(url.hostname)) {
    const service = url.pathname.split("/")[1];
    if (service === "iam" || service === "iamv2") return href("iam/users");
    if (service === "cloudtrail" || service === "cloudtrailv2") return href("cloudtrail/events");
    return href();
  }
  return safeConsoleTarget(url.pathname + url.search);
}

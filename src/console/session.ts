import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IssuedCredentials } from "../types/sign-in.js";

/** The console's cookie: an opaque random id naming a session kept in memory (never the credentials). */
export const SESSION_COOKIE = "localtrail-console";
/** Before sign-in there is no session: the sign-in form's CSRF token is paired with this cookie instead. */
export const SIGNIN_COOKIE = "localtrail-signin";
export const CONSOLE_PATH = "/_localtrail/console";

/** The principal a console session acts as, as its pages show it. */
export interface ConsolePrincipal {
  type: "Root" | "IAMUser" | "AssumedRole";
  accountId: string;
  /** `John`, `Root user`, `ConsoleRole/broker-alice`. */
  displayName: string;
  arn: string;
  accountAlias?: string;
}

/**
 * A signed-in browser: the temporary credentials every console action calls AWS with, who they belong to,
 * and the token each of its forms must carry (CSRF).
 */
export interface ConsoleSession {
  id: string;
  csrf: string;
  principal: ConsolePrincipal;
  credentials: IssuedCredentials;
  /** The console session ends with its credentials (emulated time). */
  expiresAt: Date;
  /** A message for the next page shown (after a redirect): "User Mary created." */
  notice?: { kind: "success" | "error" | "info"; message: string };
}

/** The pending notice of a session, shown once. */
export function takeNotice(session: ConsoleSession): ConsoleSession["notice"] {
  const notice = session.notice;
  session.notice = undefined;
  return notice;
}

export class ConsoleSessions {
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(private readonly now: () => Date) {}

  create(principal: ConsolePrincipal, credentials: IssuedCredentials): ConsoleSession {
    this.sweep();
    const session: ConsoleSession = { id: token(), csrf: token(), principal, credentials, expiresAt: credentials.expiration };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session a cookie names, if any. */
  find(id: string | undefined): ConsoleSession | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (session.expiresAt.getTime() <= this.now().getTime()) {
      this.sessions.delete(id);
      return undefined;
    }
    return session;
  }

  end(id: string): void {
    this.sessions.delete(id);
  }

  /** POST /_localtrail/reset forgets every session, as it forgets the credentials behind them. */
  clear(): void {
    this.sessions.clear();
  }

  private sweep(): void {
    const now = this.now().getTime();
    for (const [id, s] of this.sessions) if (s.expiresAt.getTime() <= now) this.sessions.delete(id);
  }
}

/** 256 random bits, URL-safe. */
export const token = () => randomBytes(32).toString("base64url");

/** Compares a submitted token with the expected one in constant time. */
export function sameToken(given: unknown, expected: string | undefined): boolean {
  if (typeof given !== "string" || !expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Cookie attributes: HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), scoped to
 * the console's path, and Secure wherever a browser keeps a Secure cookie: over HTTPS and on the loopback
 * host (a potentially trustworthy origin); elsewhere over plain HTTP a browser would drop it.
 */
export function cookieOptions(url: URL, maxAgeSeconds: number) {
  const loopback = url.hostname === "localhost" || url.hostname.endsWith(".localhost") || /^127\./.test(url.hostname) || url.hostname === "[::1]";
  return {
    path: CONSOLE_PATH,
    httpOnly: true,
    sameSite: "Strict" as const,
    secure: url.protocol === "https:" || loopback,
    maxAge: Math.max(0, Math.floor(maxAgeSeconds)),
  };
}

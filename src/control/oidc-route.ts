import type { Env, Hono } from "hono";
import type { LocalOidcIssuer, TokenClaims } from "./oidc-issuer.js";

const BASE = "/_localtrail/oidc";

/**
 * localtrail's OIDC issuer, for CI pipelines and tests that federate without a real identity provider:
 * the discovery document, its JWKS, and `POST /_localtrail/oidc/token` to mint an ID token, e.g.
 * `{"sub":"repo:octo/app:ref:refs/heads/main","aud":"sts.amazonaws.com"}`, optionally with `iss` (another
 * issuer's name, such as `https://token.actions.githubusercontent.com`, still signed by localtrail's key),
 * `expiresIn` (seconds, negative for an expired token) and `claims` (any other claims).
 */
export function addOidcIssuerRoutes<E extends Env>(app: Hono<E>, issuer: LocalOidcIssuer, now: () => Date): void {
  const base = (url: string) => `${new URL(url).origin}${BASE}`;
  app.get(`${BASE}/.well-known/openid-configuration`, (c) => c.json(issuer.discovery(base(c.req.url))));
  app.get(`${BASE}/jwks`, (c) => c.json(issuer.jwks()));
  app.post(`${BASE}/token`, async (c) => {
    let body: Record<string, unknown>;
    try {
      body = (await c.req.json()) as Record<string, unknown>;
    } catch {
      return c.json({ error: 'Expected a JSON body: {"sub": "...", "aud": "sts.amazonaws.com"}.' }, 400);
    }
    const { sub, aud = "sts.amazonaws.com", iss, expiresIn = 3600, claims = {} } = body ?? {};
    const audOk = typeof aud === "string" || (Array.isArray(aud) && aud.every((a) => typeof a === "string"));
    if (typeof sub !== "string" || sub === "" || !audOk) return c.json({ error: '"sub" (a string) is required; "aud" is a string or a list of strings.' }, 400);
    if (iss !== undefined && typeof iss !== "string") return c.json({ error: '"iss" must be a string.' }, 400);
    if (typeof expiresIn !== "number" || !Number.isFinite(expiresIn)) return c.json({ error: '"expiresIn" must be a number of seconds.' }, 400);
    if (!claims || typeof claims !== "object" || Array.isArray(claims)) return c.json({ error: '"claims" must be an object.' }, 400);
    const all: TokenClaims = { ...(claims as Record<string, unknown>), sub, aud: aud as string | string[], ...(iss !== undefined && { iss }) };
    const token = issuer.mint(all, now(), Math.trunc(expiresIn));
    return c.json({ token, issuer: iss ?? issuer.issuer });
  });
}

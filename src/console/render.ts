import type { Context } from "hono";
import { html } from "hono/html";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { JSXNode } from "hono/jsx";

/**
 * What a console page may load: only the console's own script, style and images. Markup carries no inline
 * script or style attribute, so injected markup could not run even if escaping failed somewhere.
 */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export function securityHeaders(c: Context): void {
  c.header("Content-Security-Policy", CSP);
  c.header("X-Content-Type-Options", "nosniff");
  c.header("X-Frame-Options", "DENY");
  c.header("Referrer-Policy", "same-origin");
  c.header("Cache-Control", "no-store");
}

/** Answers a console page: the document (Hono's JSX escapes every string it is given) and the security headers. */
export function page(c: Context, node: JSXNode | Promise<string> | string, status: ContentfulStatusCode = 200) {
  securityHeaders(c);
  return c.html(html`<!DOCTYPE html>${node}`, status);
}

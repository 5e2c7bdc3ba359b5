import type { Env, Hono } from "hono";
import type { PolicyDocumentJson } from "../enforcement/generate-policy.js";

/**
 * GET /_localtrail/policy?principal=<arn>[&since=<time>]: the least-privilege policy of what a principal did
 * (src/enforcement/generate-policy.ts). `since` is an ISO time or a span back from the emulated now (`90m`,
 * `1h`, `7d`); without it the whole history counts.
 */
export function addPolicyRoute<E extends Env>(app: Hono<E>, target: { now: () => Date; generate(principal: string, since: Date | undefined): PolicyDocumentJson }): void {
  app.get("/_localtrail/policy", (c) => {
    const principal = c.req.query("principal");
    if (!principal || !/^arn:aws:(iam|sts)::\d{12}:(user|role|assumed-role|root)/.test(principal)) {
      return c.json({ error: "principal: give the ARN of an IAM user or role, e.g. arn:aws:iam::000000000000:role/app" }, 400);
    }
    const sinceText = c.req.query("since");
    const since = sinceText === undefined ? undefined : parseSince(sinceText, target.now());
    if (since === null) return c.json({ error: `since: not an ISO time or a span such as 1h: ${sinceText}` }, 400);
    return c.json(target.generate(principal, since));
  });
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

function parseSince(text: string, now: Date): Date | null {
  const span = /^(\d+)([smhd])$/.exec(text);
  if (span) return new Date(now.getTime() - Number(span[1]) * UNIT_SECONDS[span[2]!]! * 1000);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms);
}

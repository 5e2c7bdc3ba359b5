import type { Env, Hono } from "hono";
import type { PolicyDocumentJson } from "../enforcement/generate-policy.js";
import { parseSince } from "./since.js";

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

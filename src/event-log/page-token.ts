import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { InvalidPageTokenError } from "./event-history.js";
import type { Cursor } from "./segment-index.js";

/**
 * Opaque NextTokens: the cursor and a digest of the query they belong to, HMAC-signed, so a token that was
 * edited, made up, or reused with different parameters is rejected (AWS: InvalidNextTokenException).
 */
export class PageTokens {
  constructor(private readonly secret: Buffer) {}

  encode(queryKey: string, cursor: Cursor): string {
    const body = Buffer.from(JSON.stringify([digest(queryKey), cursor.time, cursor.seq])).toString("base64url");
    return `${body}.${this.sign(body)}`;
  }

  decode(queryKey: string, token: string): Cursor {
    const [body, signature, extra] = token.split(".");
    if (!body || !signature || extra !== undefined) throw new InvalidPageTokenError();
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new InvalidPageTokenError();
    const parsed: unknown = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed[0] !== digest(queryKey) || typeof parsed[1] !== "number" || typeof parsed[2] !== "number") {
      throw new InvalidPageTokenError();
    }
    return { time: parsed[1], seq: parsed[2] };
  }

  private sign(body: string): string {
    return createHmac("sha256", this.secret).update(body).digest("base64url");
  }
}

const digest = (s: string) => createHash("sha256").update(s).digest("base64url").slice(0, 16);

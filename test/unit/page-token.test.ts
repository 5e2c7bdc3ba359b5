import { describe, expect, it } from "vitest";
import { PageTokens } from "../../src/event-log/page-token.js";
import { InvalidPageTokenError } from "../../src/event-log/event-history.js";

describe("NextToken", () => {
  const tokens = new PageTokens(Buffer.alloc(32, 7));

  it("round-trips a cursor for the same query", () => {
    expect(tokens.decode("q", tokens.encode("q", { time: 1700000000000, seq: 42 }))).toEqual({ time: 1700000000000, seq: 42 });
  });

  it("rejects a token of another query, an edited token, one signed by another key, and garbage", () => {
    const token = tokens.encode("q", { time: 1, seq: 2 });
    expect(() => tokens.decode("other", token)).toThrow(InvalidPageTokenError);
    const [body, sig] = token.split(".");
    const edited = Buffer.from(JSON.stringify(["x", 1, 3])).toString("base64url");
    expect(() => tokens.decode("q", `${edited}.${sig}`)).toThrow(InvalidPageTokenError);
    expect(() => new PageTokens(Buffer.alloc(32, 8)).decode("q", `${body}.${sig}`)).toThrow(InvalidPageTokenError);
    expect(() => tokens.decode("q", "garbage")).toThrow(InvalidPageTokenError);
  });
});

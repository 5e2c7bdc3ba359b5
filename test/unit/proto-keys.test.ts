import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/protocols/models.js";
import { readJsonValue } from "../../src/protocols/json.js";
import { readHttpBindings } from "../../src/protocols/rest-bindings.js";
import { structureOf } from "../../src/protocols/shapes.js";
import { AwsError } from "../../src/types/aws-error.js";
import type { Call } from "../../src/types/request-context.js";

// Map keys are the client's: `__proto__` must become an entry, never the object's prototype.
describe("client-chosen map keys", () => {
  it("JSON maps keep __proto__ as an entry", () => {
    const lambda = loadModel("lambda");
    const input = readJsonValue(lambda, lambda.shapes["TagResourceRequest"]!, JSON.parse('{"Resource":"arn","Tags":{"__proto__":"x","a":"b"}}'), "") as { Tags: Record<string, unknown> };
    expect(Object.getPrototypeOf(input.Tags)).toBe(Object.prototype);
    expect(Object.entries(input.Tags)).toEqual([
      ["__proto__", "x"],
      ["a", "b"],
    ]);
  });

  it("header maps (S3 user metadata) keep __proto__ as an entry", () => {
    const s3 = loadModel("s3");
    const call = { raw: { method: "PUT", target: "/b/k", path: "/b/k", query: "", headers: { "x-amz-meta-__proto__": "x", "x-amz-meta-who": "john" }, sourceIp: "" }, pathLabels: { Bucket: "b", Key: "k" } } as unknown as Call;
    const input = readHttpBindings(s3, structureOf(s3, "PutObjectRequest"), call, (m) => new AwsError("InvalidArgument", m)) as { Metadata: Record<string, string> };
    expect(Object.getPrototypeOf(input.Metadata)).toBe(Object.prototype);
    expect(input.Metadata).toEqual(Object.fromEntries([["__proto__", "x"], ["who", "john"]]));
  });
});
